"""The notebook view as a person sees it: cell outputs opened in headless Chromium.

Three routes to the cell output: the view's ``_repr_html_`` called here; a real kernel (nbclient)
executing a notebook, its outputs put in a page as a front end would; and that executed notebook
exported by nbconvert to HTML. In each, every view's iframe must end up holding the explorer with
a drawn vis network of the expected number of nodes (``window.kgraph``, which the explorer page
exposes), with no script error and no request leaving the machine.
"""

from __future__ import annotations

import html
import time
from pathlib import Path

import pytest

from kgraph import KnowledgeGraph, notebook
from kgraph.notebook import InlineView

pytestmark = pytest.mark.browser


class Opened:
    """A page opened in Chromium, with what it logged and requested."""

    def __init__(self, browser, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        # An exported notebook's own template asks for MathJax and the like; nothing may go out.
        self.page.route("http*://**", lambda route: route.abort())
        self.page.goto(url)

    def views(self, expected: int, timeout: float = 30.0) -> dict[str, dict]:
        """Each view iframe's title → what its explorer shows, once all ``expected`` are drawn."""
        deadline = time.monotonic() + timeout
        seen: dict[str, dict] = {}
        while time.monotonic() < deadline:
            seen = {}
            for frame in self.page.frames:
                if frame is self.page.main_frame or frame.parent_frame is not self.page.main_frame:
                    continue
                try:
                    title = frame.frame_element().get_attribute("title") or ""
                    state = frame.evaluate(_STATE)
                except Exception:  # navigating from the loader to the page
                    state = None
                if state is not None:
                    seen[title] = state
            if len(seen) >= expected and all(s["drawn"] for s in seen.values()):
                return seen
            time.sleep(0.1)
        raise AssertionError(f"views not drawn in {timeout}s: {seen}; errors: {self.errors}")

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "about:", "data:", "blob:"))]


_STATE = """() => window.kgraph ? {
  nodes: window.kgraph.data.nodes.iri.length,
  visible: window.kgraph.shownEntities(),  // drawn, or counted in a drawn bundle
  drawn: document.documentElement.getAttribute("data-drawn") === "1",
  canvas: (function () { var c = document.querySelector("#graph canvas");
                         return c ? [c.width, c.height] : null; })(),
  wait: document.getElementById("kgraph-wait") ? document.getElementById("kgraph-wait").textContent : null,
} : null"""


def write_page(path: Path, outputs: list[str]) -> str:
    cells = "".join(f'<div class="output">{o}</div>' for o in outputs)
    path.write_text(
        f'<!doctype html><html><head><meta charset="utf-8"><title>notebook</title></head>'
        f"<body><h1>A notebook</h1>{cells}</body></html>",
        encoding="utf-8",
    )
    return path.as_uri()


def check(opened: Opened, views: list[InlineView]) -> None:
    shown = opened.views(len(views))
    assert set(shown) == {v.title for v in views}
    for v in views:
        state = shown[v.title]
        assert state["nodes"] == state["visible"] == v.nodes, v.title
        assert state["canvas"] and min(state["canvas"]) > 100
    assert opened.errors == []
    assert opened.outside_requests() == []


def test_repr_html_renders(browser, corpus_kg: KnowledgeGraph, tmp_path: Path) -> None:
    notebook.reset()
    first = corpus_kg.view("ketamine")  # carries the libraries
    later = corpus_kg.view(path=("ketamine", "sustained antidepressant effect"), cutoff=2)
    alone = corpus_kg.view("NMDA receptor", depth=2, standalone=True)
    outputs = {v.title: v._repr_html_() for v in (first, later, alone)}
    assert "application/gzip" in outputs[first.title]
    assert "application/gzip" not in outputs[later.title]
    # The view without libraries comes first in the page: it must wait for the one that has them.
    url = write_page(
        tmp_path / "nb.html", [outputs[later.title], outputs[first.title], outputs[alone.title]]
    )
    check(Opened(browser, url), [first, later, alone])
    notebook.reset()


def test_whole_graph_renders(browser, corpus_kg: KnowledgeGraph, tmp_path: Path) -> None:
    v = corpus_kg.view()
    url = write_page(tmp_path / "whole.html", [v.to_html()])
    check(Opened(browser, url), [v])


def test_missing_libraries_are_explained(
    browser, corpus_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    v = corpus_kg.view("ketamine")
    v.timeout = 0.3
    opened = Opened(browser, write_page(tmp_path / "cleared.html", [v.to_html(libraries=False)]))
    frame = next(f for f in opened.page.frames if f is not opened.page.main_frame)
    frame.wait_for_function(
        "document.getElementById('kgraph-wait').textContent.includes('reset()')", timeout=10_000
    )
    assert frame.evaluate("window.kgraph === undefined")


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """A small notebook executed by a real kernel (the view cells' outputs are the product)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    folder = tmp_path_factory.mktemp("kernel")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import kgraph\nkg = kgraph.load()\nkg"),
        nbformat.v4.new_code_cell('kg.view("ketamine")'),
        nbformat.v4.new_code_cell("kg.view()"),
        nbformat.v4.new_code_cell('kg.view("NMDA receptor", standalone=True)'),
    ]
    client = nbclient.NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    return nb, folder


def expected_views(corpus_kg: KnowledgeGraph) -> list[InlineView]:
    return [
        corpus_kg.view("ketamine"),
        corpus_kg.view(),
        corpus_kg.view("NMDA receptor", standalone=True),
    ]


def test_kernel_outputs_render(browser, executed, corpus_kg: KnowledgeGraph) -> None:
    nb, folder = executed
    outputs = [c.outputs[0]["data"]["text/html"] for c in nb.cells[1:]]
    url = write_page(folder / "outputs.html", outputs)
    check(Opened(browser, url), expected_views(corpus_kg))


def test_exported_html_renders(browser, executed, corpus_kg: KnowledgeGraph) -> None:
    nbconvert = pytest.importorskip("nbconvert")
    nb, folder = executed
    body, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
    assert html.escape("kgraph — ketamine (depth 1)") in body or "ketamine (depth 1)" in body
    path = folder / "exported.html"
    path.write_text(body, encoding="utf-8")
    opened = Opened(browser, path.as_uri())
    shown = opened.views(3)
    for v in expected_views(corpus_kg):
        assert shown[v.title]["nodes"] == v.nodes
    assert [e for e in opened.errors if "ERR_FAILED" not in e and "net::" not in e] == []
