"""Jupyter display: the graph's summary as HTML tables, and inline interactive views.

Display only: a :class:`~kgraph.graph.KnowledgeGraph` shows its :class:`Summary` as a cell's value;
:meth:`KnowledgeGraph.view() <kgraph.graph.KnowledgeGraph.view>` returns an :class:`InlineView`,
which shows the explorer page of :mod:`kgraph.views` inside the notebook.

**How a view gets into a notebook.** JupyterLab, the classic Notebook and VS Code all show a
cell's HTML output, and exported HTML copies it as it is; an ``<iframe>`` pointing at a file
beside the notebook shows blank in most of them. So a view is an ``<iframe srcdoc="…">`` whose
document is inline, HTML-escaped into the attribute. Being an iframe keeps the explorer's ids,
styles, scripts and Content-Security-Policy apart from the notebook's and from other views, and
it needs no script to run in the notebook page itself.

The explorer page weighs about 0.8 MB, nearly all of it the vis-network library and its style
sheet, the same in every view. So, by default, the first view of a kernel session also writes
those libraries into the notebook once, gzipped and base64-encoded in inert
``<script type="application/gzip">`` blocks (a browser never runs them), and every view's
iframe holds only a small loader and its own page, gzipped, with the libraries left out. The
loader finds the blocks in the notebook page (an iframe made from ``srcdoc`` has the origin of
the page that holds it, and JupyterLab, Notebook, VS Code and exported HTML keep every output
in one page), unpacks them with the browser's ``DecompressionStream``, puts the page together
and shows it. It waits for a block that is not there yet (a view run before the one that
carries the libraries, or a front end that draws outputs as they scroll into sight).

Measured on the bundled corpus, whole graph (118 entities, 159 claims; :attr:`InlineView.sizes`):

========================  ==========
cell output               bytes
========================  ==========
first view of a session   ≈ 250 KB  (libraries ≈ 219 KB)
every later view          ≈ 33 KB
``standalone=True``       ≈ 890 KB  (the page, HTML-escaped; no unpacking)
========================  ==========

What removes the first view's output (clearing it, or clearing all outputs and running only a
later view cell in the same kernel session) leaves later views nothing to load: they say so, and
how to fix it: :func:`reset` (the next view ships the libraries again) or ``standalone=True``
(this output carries everything and runs on its own; use it also for a front end that puts each
output in an origin of its own, such as Google Colab).

>>> from kgraph import load
>>> s = load().summary()
>>> "<table" in s._repr_html_() and "antagonist of" in s._repr_html_()
True
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .views.page import assets

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["InlineView", "Summary", "reset"]

#: Rows of a table shown before "… and N more" in a summary.
MAX_ROWS = 25

_BLOCK = re.compile(r"<(script|style)>(.*?)</\1>", re.S)

# Asset ids (content hashes) this kernel session has already written into a notebook page.
_sent: set[str] = set()


def reset() -> None:
    """Forget which libraries this kernel session has shipped: the next view ships them again.

    Call it after clearing the output of the first view (or all outputs) and before running a
    view cell again.

    >>> reset()
    """
    _sent.clear()


# -- the summary ------------------------------------------------------------------------------
@dataclass
class Summary:
    """What a graph holds: ``counts`` (documents, entities, claims, assertions), entity counts by
    ``classes``, claim counts by ``relations``, and the ``documents`` with their source type.
    Displays as HTML tables; every cell is escaped. :meth:`KnowledgeGraph.summary
    <kgraph.graph.KnowledgeGraph.summary>` makes one from :func:`kgraph.frames.summary`.

    >>> import pandas as pd
    >>> empty = pd.DataFrame(columns=["class", "entities"])
    >>> docs = pd.DataFrame(columns=["document", "source_type", "assertions"])
    >>> s = Summary(dict(documents=0, entities=0, claims=0, assertions=0, negated=0), empty,
    ...             pd.DataFrame(columns=["relation"]), docs)
    >>> s
    <Summary 0 documents, 0 entities, 0 claims, 0 assertions>
    """

    counts: dict[str, int]
    classes: pd.DataFrame
    relations: pd.DataFrame
    documents: pd.DataFrame
    title: str = "kgraph"

    def __repr__(self) -> str:
        c = self.counts
        return (
            f"<Summary {c['documents']} documents, {c['entities']} entities, "
            f"{c['claims']} claims, {c['assertions']} assertions>"
        )

    def _repr_html_(self) -> str:
        c = self.counts
        head = (
            f"<p><b>{html.escape(self.title)}</b>: {c['documents']} documents, "
            f"{c['entities']} entities, {c['claims']} claims from {c['assertions']} "
            f"statements ({c['negated']} negated)</p>"
        )
        return (
            '<div class="kgraph-summary">'
            + head
            + '<div style="display:flex;flex-wrap:wrap;gap:2em;align-items:flex-start">'
            + _table(self.classes, ["class", "entities"], "Entities by class")
            + _table(
                self.relations,
                ["relation", "claims", "statements", "negated", "documents"],
                "Claims by relation",
            )
            + _table(self.sources, ["source_type", "documents", "assertions"], "Sources")
            + "</div>"
            + _table(
                self.documents,
                ["title", "source_type", "publisher", "date", "assertions"],
                "Documents",
            )
            + "</div>"
        )

    @property
    def sources(self) -> pd.DataFrame:
        """Documents and assertions by source type (peer-reviewed article, clinic page, …)."""
        return (
            self.documents.groupby("source_type", dropna=False)
            .agg(documents=("document", "size"), assertions=("assertions", "sum"))
            .reset_index()
            .sort_values(["documents", "source_type"], ascending=[False, True], ignore_index=True)
        )


def _table(df: pd.DataFrame, columns: list[str], caption: str) -> str:
    shown = df.head(MAX_ROWS)
    rows = [
        "<tr>"
        + "".join(
            f"<td{' style=text-align:right' if isinstance(v, int) else ''}>"
            f"{html.escape('' if v is None or v != v else str(v))}</td>"
            for v in (r[c] for c in columns)
        )
        + "</tr>"
        for r in shown.to_dict("records")
    ]
    more = len(df) - len(shown)
    if more > 0:
        rows.append(f'<tr><td colspan="{len(columns)}">… and {more} more</td></tr>')
    header = "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in columns)
    return (
        f"<table><caption style='text-align:left'><b>{html.escape(caption)}</b></caption>"
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


# -- inline views -----------------------------------------------------------------------------
@dataclass
class _Page:
    """A page with its library blocks taken out: ``body`` has a placeholder comment where each
    asset (id → text) was."""

    body: str
    assets: dict[str, str] = field(default_factory=dict)


def _split(page: str, shared: Iterable[str] | None = None) -> _Page:
    """Take the library blocks out of ``page``: each inline ``<script>`` or ``<style>`` whose
    text is one of ``shared`` (default: the texts :func:`kgraph.views.page.assets` inlines in
    every page) becomes an empty block with a placeholder comment.

    >>> p = _split("<style>S</style><script>J</script><script>x</script>", shared=["S", "J"])
    >>> p.body.count("/*kgraph-asset-"), sorted(p.assets.values())
    (2, ['J', 'S'])
    """
    if shared is None:
        shared = [v for k, v in assets().items() if k != "template"]
    texts = set(shared)
    found: dict[str, str] = {}

    def replace(m: re.Match[str]) -> str:
        tag, content = m.group(1), m.group(2)
        if content not in texts:
            return m.group(0)
        asset = "kgraph-asset-" + hashlib.sha256(content.encode()).hexdigest()[:20]
        found[asset] = content
        return f"<{tag}>/*{asset}*/</{tag}>"

    return _Page(_BLOCK.sub(replace, page), found)


def _pack(text: str) -> str:
    """gzip (deterministic: no timestamp) and base64: what the loader unpacks in the browser."""
    return base64.b64encode(gzip.compress(text.encode("utf-8"), 9, mtime=0)).decode("ascii")


@lru_cache(maxsize=1)
def _loader_template() -> str:
    """The loader page (``views/templates/notebook-loader.html``): ``%(body)s``, ``%(assets)s``
    and ``%(timeout)d`` are filled in per view."""
    path = resources.files("kgraph.views").joinpath("templates", "notebook-loader.html")
    return path.read_text(encoding="utf-8")


class InlineView:
    """An interactive view that displays in a notebook cell (see the module notes).

    ``graph`` is what it shows; ``page`` makes the explorer's self-contained HTML page (called
    once, when first needed). With ``standalone=True`` the cell output is the whole page in an
    ``<iframe srcdoc>``; by default the libraries go into the notebook once per kernel session
    and each view carries only its own data. :attr:`sizes` measures both; :meth:`save` writes
    the page to a file.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([("a", "b")])
    >>> v = InlineView(g, page=lambda: "<html><body>a b</body></html>", standalone=True)
    >>> v.nodes, v._repr_html_().startswith("<iframe srcdoc=")
    (2, True)
    """

    def __init__(
        self,
        graph: nx.MultiDiGraph,
        page: Callable[[], str],
        *,
        standalone: bool | None = None,
        height: int = 600,
        timeout: float = 15.0,
        title: str = "kgraph view",
    ) -> None:
        self.graph = graph
        self.title = title
        self.standalone = bool(standalone)
        self.height = height
        self.timeout = timeout
        self._make_page = page
        self._page: str | None = None
        self._split: _Page | None = None

    @property
    def nodes(self) -> int:
        """How many entities the view shows."""
        return self.graph.number_of_nodes()

    @property
    def edges(self) -> int:
        """How many claims the view shows."""
        return self.graph.number_of_edges()

    @property
    def labels(self) -> list[str]:
        """The labels of the entities shown, sorted."""
        return sorted(str(d.get("label", n)) for n, d in self.graph.nodes(data=True))

    def __repr__(self) -> str:
        return f"<InlineView {self.title!r}: {self.nodes} entities, {self.edges} claims>"

    @property
    def page(self) -> str:
        """The complete, self-contained explorer page."""
        if self._page is None:
            self._page = self._make_page()
        return self._page

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path``: an HTML file that opens in any browser, offline."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.page, encoding="utf-8")
        return path

    def _parts(self) -> _Page:
        if self._split is None:
            self._split = _split(self.page)
        return self._split

    @property
    def sizes(self) -> dict[str, int]:
        """Bytes of cell output: ``standalone``; ``first`` (a session's first view, libraries
        included) and ``later`` (any later view) by default; ``libraries`` (what ``first``
        adds to ``later``); and ``page``, the explorer page itself."""
        parts = self._parts()
        libraries = len(_asset_blocks(parts.assets).encode())
        later = len(self._iframe(self._loader(parts)).encode())
        return {
            "standalone": len(self._iframe(self.page).encode()),
            "first": later + libraries,
            "later": later,
            "libraries": libraries,
            "page": len(self.page.encode()),
        }

    def _iframe(self, document: str) -> str:
        return (
            f'<iframe srcdoc="{html.escape(document, quote=True)}" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
            f'title="{html.escape(self.title, quote=True)}"></iframe>'
        )

    def _loader(self, parts: _Page) -> str:
        return _loader_template() % {
            "body": _pack(parts.body),
            "assets": json.dumps(sorted(parts.assets)),
            "timeout": int(self.timeout * 1000),
        }

    def to_html(self, *, libraries: bool = True) -> str:
        """This view's cell output, leaving the session's bookkeeping alone: with
        ``standalone``, the page in an iframe; else the packed libraries (unless
        ``libraries=False``) and the loader iframe.

        >>> from kgraph import load
        >>> v = load().view("ketamine")
        >>> len(v.to_html()) > 5 * len(v.to_html(libraries=False))
        True
        """
        if self.standalone:
            return self._iframe(self.page)
        parts = self._parts()
        blocks = _asset_blocks(parts.assets) if libraries else ""
        return blocks + self._iframe(self._loader(parts))

    def _repr_html_(self) -> str:
        if self.standalone:
            return self._iframe(self.page)
        parts = self._parts()
        missing = {k: v for k, v in parts.assets.items() if k not in _sent}
        out = _asset_blocks(missing) + self._iframe(self._loader(parts))
        _sent.update(missing)
        return out


@lru_cache(maxsize=16)
def _packed_block(asset: str, content: str) -> str:
    return (
        f'<script type="application/gzip" id="{asset}" data-encoding="base64">'
        f"{_pack(content)}</script>"
    )


def _asset_blocks(assets: Mapping[str, str]) -> str:
    """Inert blocks (never run) holding each packed library, found by the loaders by id."""
    return "".join(_packed_block(a, assets[a]) for a in sorted(assets))
