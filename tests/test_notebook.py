"""Notebook display (kgraph.notebook): the summary table and the inline view's cell output.

What the browser makes of the output is tested in ``tests/browser/test_notebook_view.py``; here,
that the output holds exactly the explorer page (unpacked the way the loader unpacks it), ships
the libraries once per kernel session, runs no script in the notebook page, and that a real
kernel produces it.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kgraph import KnowledgeGraph, notebook
from kgraph.notebook import InlineView
from kgraph.views.page import assets


class Outline(HTMLParser):
    """Top-level tags of a cell output: each script's attributes and text, each iframe's srcdoc."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.iframes: list[dict[str, str | None]] = []
        self._in_script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in_script, self._text = dict(attrs), []
        elif tag == "iframe":
            self.iframes.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._text)))
            self._in_script = None


def outline(html: str) -> Outline:
    o = Outline()
    o.feed(html)
    o.close()
    return o


def unpack(b64: str) -> str:
    return gzip.decompress(base64.b64decode(b64)).decode("utf-8")


def assemble(loader: str, libraries: dict[str, str]) -> str:
    """What the loader script does in the browser, in Python."""
    body = re.search(r'var BODY = "([A-Za-z0-9+/=]*)"', loader)
    ids = re.search(r"ASSETS = (\[[^\]]*\])", loader)
    assert body and ids
    page = unpack(body.group(1))
    for asset in json.loads(ids.group(1)):
        page = page.replace(f"/*{asset}*/", unpack(libraries[asset]))
    return page


@pytest.fixture
def fresh_session():
    notebook.reset()
    yield
    notebook.reset()


@pytest.fixture(scope="module")
def ketamine_view(corpus_kg: KnowledgeGraph) -> InlineView:
    return corpus_kg.view("ketamine")


def test_view_shows_the_selection(corpus_kg: KnowledgeGraph, ketamine_view: InlineView) -> None:
    near = corpus_kg.neighbours("ketamine", include_negated=True)
    assert ketamine_view.nodes == len(near) + 1
    assert set(ketamine_view.labels) == set(near["label"]) | {"ketamine"}
    assert "ketamine" in ketamine_view.title
    assert repr(ketamine_view).startswith("<InlineView 'kgraph — ketamine (depth 1)': ")
    whole = corpus_kg.view()
    assert whole.nodes == corpus_kg.to_networkx().number_of_nodes()
    assert whole.edges == corpus_kg.to_networkx().number_of_edges()
    chain = corpus_kg.view(path=("ketamine", "sustained antidepressant effect"), cutoff=2)
    shown = {
        n
        for c in corpus_kg.paths("ketamine", "sustained antidepressant effect", 2)
        for n in c.entities
    }
    assert set(chain.graph) == shown


def test_first_view_ships_libraries_once(corpus_kg: KnowledgeGraph, fresh_session) -> None:
    first = outline(corpus_kg.view("ketamine")._repr_html_())
    second = outline(corpus_kg.view("NMDA receptor")._repr_html_())
    library_ids = {a["id"] for a, _ in first.scripts}
    assert len(library_ids) == 4  # vis-network JS and CSS, the explorer's JS and CSS
    assert second.scripts == []  # reuses them
    assert len(first.iframes) == len(second.iframes) == 1
    notebook.reset()
    third = outline(corpus_kg.view("NMDA receptor")._repr_html_())
    assert {a["id"] for a, _ in third.scripts} == library_ids


def test_no_script_runs_in_the_notebook_page(ketamine_view: InlineView) -> None:
    for html in (ketamine_view.to_html(), ketamine_view.to_html(libraries=False)):
        o = outline(html)
        assert all(a.get("type") == "application/gzip" for a, _ in o.scripts)
        assert html.startswith(("<script", "<iframe")) and html.endswith("</iframe>")
        assert html.count("<iframe") == 1
        assert "<script>" not in html  # the loader's script is inside the escaped srcdoc


def test_output_unpacks_to_the_explorer_page(ketamine_view: InlineView) -> None:
    o = outline(ketamine_view.to_html())
    libraries = {str(a["id"]): text.strip() for a, text in o.scripts}
    page = assemble(str(o.iframes[0]["srcdoc"]), libraries)
    assert page == ketamine_view.page
    shared = {v for k, v in assets().items() if k != "template"}
    assert {unpack(b) for b in libraries.values()} == shared


def test_standalone_output_is_the_page(corpus_kg: KnowledgeGraph) -> None:
    v = corpus_kg.view("ketamine", standalone=True, height=420)
    html = v._repr_html_()
    o = outline(html)
    assert o.scripts == [] and len(o.iframes) == 1
    assert o.iframes[0]["srcdoc"] == v.page
    assert "height:420px" in str(o.iframes[0]["style"])
    assert html == v.to_html()


def test_sizes(ketamine_view: InlineView) -> None:
    sizes = ketamine_view.sizes
    assert sizes["standalone"] > sizes["page"] > 500_000  # vis-network is most of it
    assert sizes["first"] == sizes["later"] + sizes["libraries"]
    assert sizes["later"] * 5 < sizes["first"] < sizes["standalone"] / 2
    assert sizes["later"] < 60_000
    assert sizes["first"] == len(ketamine_view.to_html().encode())


def test_view_text_is_escaped(tmp_path: Path) -> None:
    from kgraph import load

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "d.txt").write_text("Ketamine blocks NMDA receptors.\n")
    (folder / "d.ann").write_text(
        "T1\tCompound 0 8\tKetamine\nN1\tReference T1 kg:ketamine\tketamine\n"
        "T2\tReceptor 16 30\tNMDA receptors\nN2\tReference T2 kg:nmda_receptor\tNMDA receptor\n"
        "R1\tantagonistOf Arg1:T1 Arg2:T2\nA1\tEvidenceLevel R1 Review\n"
    )
    (folder / "manifest.toml").write_text(
        '[[document]]\nid = "d"\ntitle = "</iframe><script>alert(1)</script>"\npublisher = "p"\n'
        'date = "2025"\nsource_type = "ScienceNews"\nseed = "x"\n'
    )
    v = load(folder).view(title='"><script>alert(2)</script>', standalone=True)
    html = v._repr_html_()
    o = outline(html)
    assert o.scripts == [] and len(o.iframes) == 1
    assert "</iframe><script>" not in html and 'alert(2)</script>"' not in html
    assert o.iframes[0]["title"] == '"><script>alert(2)</script>'


def test_save(ketamine_view: InlineView, tmp_path: Path) -> None:
    out = ketamine_view.save(tmp_path / "sub" / "ketamine.html")
    assert out.read_text(encoding="utf-8") == ketamine_view.page


def test_a_kernel_displays_the_view(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import kgraph\nkg = kgraph.load()\nkg"),
        nbformat.v4.new_code_cell('kg.view("ketamine")'),
        nbformat.v4.new_code_cell('kg.view("NMDA receptor")'),
    ]
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    summary, first, second = (c.outputs[0]["data"]["text/html"] for c in nb.cells)
    assert "Entities by class" in summary and "antagonist of" in summary
    assert len(outline(first).scripts) == 4 and outline(second).scripts == []
    assert len(outline(first).iframes) == len(outline(second).iframes) == 1


def test_query_view(corpus_kg: KnowledgeGraph) -> None:
    v = corpus_kg.view(
        query="CONSTRUCT { ?s kgo:antagonistOf ?o } WHERE { ?s kgo:antagonistOf ?o }"
    )
    ends = corpus_kg.sparql("SELECT ?s ?o WHERE { ?s kgo:antagonistOf ?o }")
    assert set(v.graph) == set(ends["s"]) | set(ends["o"])
    assert "ketamine" in v.labels and v.edges == len(ends)
