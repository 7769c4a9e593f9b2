"""The HTML explorer: the graph as one self-contained, offline page a researcher can read.

Each entity is drawn in its class's colour and shape; each claim is a line labelled with its
relation, as thick as the number of documents behind it, dashed when hedged or only preclinical,
red ✕ when every source denies it and orange ⚠ when sources disagree. Clicking a line lists every
statement behind it (quote with subject and object highlighted, document, publisher, date, source
type, certainty, evidence level); clicking an entity shows its definition, synonyms, identifiers
(linked to their registries) and claims. The page has search (labels, synonyms, identifiers),
filters (class, relation, evidence level, document, kind of claim), a physics switch and
"focus on this node". Positions are computed in Python (:mod:`kgraph.views.layout`), so the page
draws at once and the same graph always looks the same; above 300 entities labels appear as you
zoom in. Everything (vis-network included) is inlined: the file works offline, and a
Content-Security-Policy forbids any request. Data never reaches ``innerHTML``.

>>> from kgraph import load
>>> kg = load()
>>> html = render_html(kg.store, focus="Spravato", depth=1)
>>> html.startswith("<!doctype html>") and "Spravato" in html
True
>>> import os, tempfile
>>> page = os.path.join(tempfile.mkdtemp(), "chains.html")
>>> write_html(kg.store, page, path_between=("ketamine", "NMDA receptor"))["nodes"] >= 2
True
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import networkx as nx

from ..curation.explorer import review_block
from ..errors import KGraphError
from ..graphs import KIND_OF, mechanism_chains, neighbourhood, path_subgraph, paths
from ..store import Store
from .network import payload
from .page import render_page
from .selection import find_node, graph_from_query, graph_of

__all__ = ["find_node", "graph_of", "render_html", "select", "write_html"]


def select(
    source: Store | nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    path_between: tuple[str, str] | None = None,
    query: str | None = None,
    cutoff: int = 4,
) -> tuple[nx.MultiDiGraph, dict]:
    """The graph a view shows and what to say about it (``title``, ``highlight``, ``note``,
    ``paths``).

    ``source`` is a store or a graph from :func:`graph_of` / :func:`kgraph.to_networkx`. At most
    one of ``focus`` (a name; with ``depth``), ``path_between`` (two names; chains of at most
    ``cutoff`` claims) and ``query`` (SPARQL CONSTRUCT, or SELECT ``?s ?p ?o``; needs a store).

    >>> from kgraph import load
    >>> g, info = select(load().store, focus="Spravato", depth=1)
    >>> info["title"], g.number_of_nodes() > 1
    ('kgraph — esketamine (depth 1)', True)
    """
    if sum(x is not None for x in (focus, path_between, query)) > 1:
        raise KGraphError("give only one of focus, path_between and query")
    store = None if isinstance(source, nx.Graph) else source
    if query is not None:
        if store is None:
            raise KGraphError("a query view needs a store, not a graph")
        g = graph_from_query(store, query)
        skipped = g.graph.get("skipped", 0)
        note = (
            f"{skipped} result triples with literal or blank-node ends are not drawn"
            if skipped
            else None
        )
        return g, {"title": "kgraph — query result", "highlight": [], "note": note}
    full = graph_of(store) if store is not None else source
    if focus is not None:
        node = find_node(full, focus, store)
        g = neighbourhood(full, node, depth)
        label = full.nodes[node].get("label", node)
        return g, {"title": f"kgraph — {label} (depth {depth})", "highlight": [node], "note": None}
    if path_between is not None:
        a, b = (find_node(full, name, store) for name in path_between)
        # mechanism chains (the mechanism-chains query's, as kg.paths) from a store; from a bare
        # graph, any asserted claims, following them backwards when nothing leads forwards
        found = mechanism_chains(store, a, b, cutoff=cutoff) if store is not None else []
        chains = [list(c.entities) for c in found]
        note = None
        if store is None:
            chains = paths(full, a, b, cutoff=cutoff)
            if not chains:
                chains = paths(full, a, b, cutoff=cutoff, directed=False)
                note = "No chain follows the claims' direction; showing chains that go against it."
        if not chains:
            what = "mechanism chain" if store is not None else "chain of asserted claims"
            raise KGraphError(
                f"no {what} of at most {cutoff} claims leads from {path_between[0]!r} to "
                f"{path_between[1]!r}"
                + (" (--focus shows what is claimed around each)" if store is not None else "")
            )
        g = path_subgraph(full, chains)
        for c in found:  # "rapid antidepressant effect is a kind of antidepressant effect"
            for (u, v), p in zip(itertools.pairwise(c.entities), c.predicates, strict=True):
                if p == KIND_OF[0]:
                    g.add_edge(
                        u,
                        v,
                        key=p,
                        predicate=p,
                        label=KIND_OF[1],
                        statements=0,
                        documents=0,
                        negated=0,
                        hedged=0,
                        levels=[],
                        contested=False,
                    )
        step: dict[str, int] = {}  # column: the earliest a node comes in any chain; b last
        for chain in chains:
            for k, node in enumerate(chain):
                step[node] = min(k, step.get(node, k))
        step[b] = max(len(chain) - 1 for chain in chains)
        names = [full.nodes[x].get("label", x) for x in (a, b)]
        title = f"kgraph — {names[0]} → {names[1]}"
        summary = f"{len(chains)} chain{'s' if len(chains) != 1 else ''} of up to {cutoff} claims"
        return g, {
            "title": title,
            "highlight": [a, b],
            "note": f"{summary}. {note}" if note else summary,
            "paths": chains,
            "layers": step,
        }
    return full, {"title": "kgraph — knowledge graph explorer", "highlight": [], "note": None}


def render_html(
    source: Store | nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    path_between: tuple[str, str] | None = None,
    query: str | None = None,
    title: str | None = None,
    cutoff: int = 4,
    physics: bool | None = None,
    compare: Sequence[str] | None = None,
    review: bool = False,
    post: str | None = None,
) -> str:
    """The explorer page for a store or graph (whole, or a view chosen as in :func:`select`).

    ``physics`` starts the page with the layout simulation on or off (default: off; the
    positions are computed in Python). ``compare`` (two or more compound names) opens the page
    on their side-by-side comparison (:mod:`kgraph.views.compare`). ``review`` (a store only)
    adds the review mode of :mod:`kgraph.curation.explorer`, which POSTs its acts to ``post``
    when given and otherwise collects them for download.

    >>> from kgraph import load
    >>> render_html(load().store, focus="ketamine").startswith("<!doctype html>")
    True
    """
    options = {"focus": focus, "depth": depth, "path_between": path_between, "query": query}
    options |= {"review": review, "post": post}
    return _render(source, title=title, cutoff=cutoff, physics=physics, compare=compare, **options)[
        0
    ]


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while building: the page's columns are millions of
    new objects and no cycles, and collections triggered by them cost a third of the time.
    On the way out the survivors join the oldest generation (``gc.freeze`` then ``unfreeze``),
    so re-enabling the collector does not start with a pass over every one of them."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _render(
    source, *, title=None, physics=None, compare=None, review=False, post=None, **selection
) -> tuple[str, dict]:
    g, info = select(source, **selection)
    chosen: list[str] = []
    if compare:
        if len(compare) < 2:
            raise KGraphError("a comparison needs two or more compounds")
        store = None if isinstance(source, nx.Graph) else source
        chosen = [find_node(g, name, store) for name in compare]
        info["title"] = "kgraph — " + " · ".join(str(g.nodes[v].get("label", v)) for v in chosen)
    with _bulk():
        data = payload(
            g,
            title=title or info["title"],
            highlight=info["highlight"],
            note=info.get("note"),
            physics=physics,
            layers=info.get("layers"),
        )
        index = {v: i for i, v in enumerate(g)} if chosen else {}
        data["compare"] = [index[v] for v in chosen]
        block = None
        if review:  # the review mode hook (kgraph.curation.explorer)
            if isinstance(source, nx.Graph):
                raise KGraphError("review mode needs a store, not a graph")
            block = review_block(source, g, post=post, open_=True)
        html = render_page(data, title=data["title"], review=block)
    meta = data["meta"]
    summary = {
        "nodes": meta["nodes"],
        "edges": meta["edges"],
        "statements": meta["statements"],
        "documents": meta["documents"],
        "title": data["title"],
        "note": info.get("note"),
    }
    if "paths" in info:
        summary["paths"] = len(info["paths"])
    return html, summary


def write_html(source: Store | nx.MultiDiGraph, path: str | Path, **options) -> dict[str, object]:
    """Write the explorer page (:func:`render_html`, with the same ``options``) to ``path``;
    returns what it shows: ``nodes``, ``edges``, ``statements``, ``documents``, ``title``,
    ``note``, ``bytes``, ``path`` (and ``paths`` for a path view).

    >>> import os, tempfile
    >>> from kgraph import load
    >>> out = os.path.join(tempfile.mkdtemp(), "k.html")
    >>> write_html(load().store, out, focus="ketamine")["nodes"] > 1
    True
    """
    html, summary = _render(source, **options)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = html.encode("utf-8")
    path.write_bytes(data)
    summary["bytes"] = len(data)
    summary["path"] = str(path)
    return summary
