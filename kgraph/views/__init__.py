"""HTML views of the graph (pyvis), self-contained and offline."""

from __future__ import annotations

from pathlib import Path

from ..convert import to_networkx
from ..store import Store

__all__ = ["write_html"]


def write_html(store: Store, path: str | Path) -> dict[str, int]:
    """Write the whole graph as one HTML page; returns its node and edge counts."""
    from pyvis.network import Network

    g = to_networkx(store)
    net = Network(height="900px", width="100%", directed=True, cdn_resources="in_line")
    for n, data in g.nodes(data=True):
        net.add_node(n, label=data["label"], title=data.get("class_label") or "")
    for s, o, data in g.edges(data=True):
        net.add_edge(s, o, label=data["label"], width=data["documents"])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(net.generate_html(), encoding="utf-8")
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
