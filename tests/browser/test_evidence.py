"""Evidence you can follow, permalinks, export and the compare view, in headless Chromium at
1024×768: what a person sees in the panel is checked against the store and the corpus text."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest

from kgraph.query import evidence
from kgraph.views import graph_of, render_html
from kgraph.views.compare import compare
from kgraph.views.details import statement_details, surrounding
from kgraph.vocab import corpus_dir
from tests.browser.test_explorer import KG, Page

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1024, "height": 768}


@pytest.fixture(scope="module")
def corpus_graph(corpus_store) -> nx.MultiDiGraph:
    return graph_of(corpus_store)


@pytest.fixture(scope="module")
def html(corpus_store) -> str:
    return render_html(corpus_store)


@pytest.fixture
def page(browser, html, tmp_path):
    p = Page(browser, html, tmp_path, viewport=LAPTOP)
    yield p
    p.page.close()


def _select(page: Page, s: str, rel: str, o: str) -> int:
    j = page.js(f"() => kgraph.findEdge({s!r}, {rel!r}, {o!r})")
    assert j >= 0, (s, rel, o)
    page.js("(j) => kgraph.selectEdge(j)", j)
    page.page.wait_for_selector("#panel .statement")
    return j


def test_statement_shows_context_qualifiers_note_and_restatement(page, corpus_store) -> None:
    _select(page, "arketamine", "has adverse effect", "dissociation")
    rows = evidence(corpus_store, "arketamine", "dissociation", "hasAdverseEffect")
    details = statement_details(corpus_store)
    cards = page.page.locator("#panel .statement")
    assert cards.count() == len(rows)
    shown = page.panel()
    for row in rows:
        text = (corpus_dir() / f"{row['document'].rsplit('/', 1)[-1]}.txt").read_text("utf-8")
        before, after = surrounding(text, row["start"], row["end"])
        assert row["quote"] in shown
        assert before and before in shown and after in shown  # the sentences around it
        note = row["note"]  # the annotator's note, from the evidence query
        assert details[row["assertion"]]["prefix"] is not None
        if note:
            assert f"Annotator's note: {note}" in shown
    badges = page.page.locator("#panel .badge.qualifier").all_inner_texts()
    assert "less than esketamine" in badges
    assert "Restated in our own words" in shown  # the bundled corpus restates its sources
    page.clean()


def test_contradicting_statements_sit_next_to_the_claim(browser, corpus_copy, tmp_path) -> None:
    from kgraph.build import build_store
    from kgraph.claims import contests
    from kgraph.store import open_store

    # a denial by the enantiomer of what the racemate is said to do: a contest (claims.py)
    ann = corpus_copy / "state-of-ketamine-research-2025.ann"
    denial = "R901\thasAdverseEffect Arg1:T9 Arg2:T40\nA902\tNegated R901\n"
    ann.write_text(ann.read_text("utf-8") + denial, "utf-8")
    store = open_store("memory:")
    build_store(store, [corpus_copy])
    assert any(str(r["s2"]).endswith("/arketamine") for r in contests(store))
    p = Page(browser, render_html(store), tmp_path, viewport=LAPTOP)
    _select(p, "ketamine", "has adverse effect", "side effect")
    box = p.page.locator("#panel .against")
    assert box.count() == 1
    text = box.inner_text()
    rows = evidence(store, "arketamine", "side effect", "hasAdverseEffect")
    assert rows
    flat = " ".join(text.split())
    for row in rows:  # arketamine is denied to have it: the other side
        assert " ".join(row["quote"].split()) in flat
    assert "contradicted by" in text.lower() and "arketamine" in text
    p.clean()
    p.page.close()


def test_links_point_to_the_right_document(browser, corpus_copy, tmp_path) -> None:
    from kgraph import load

    manifest = corpus_copy / "manifest.toml"
    text = manifest.read_text("utf-8")
    doc_id = 'id = "state-of-ketamine-research-2025"'
    assert doc_id in text
    manifest.write_text(text.replace(doc_id, doc_id + '\npmid = "31234567"'), "utf-8")
    g = graph_of(load(corpus_copy).store)
    p = Page(browser, render_html(g), tmp_path, viewport=LAPTOP)
    docs = p.js("() => kgraph.data.documents")
    k = next(i for i, d in enumerate(docs) if d["ident"] == "PMID:31234567")
    assert docs[k]["iri"].endswith("/pubmed/31234567")
    j = p.js("(k) => kgraph.data.evidence.doc.indexOf(k)", k)
    edge = p.js(
        "(k) => kgraph.data.edges.ev0.findIndex((a, j) => a <= k && k < a + kgraph.data.edges.evn[j])",
        j,
    )
    p.js("(j) => kgraph.selectEdge(j)", edge)
    p.page.wait_for_selector("#panel .statement a.pubmed")
    hrefs = p.page.locator("#panel .statement a.pubmed").evaluate_all("a => a.map(x => x.href)")
    assert "https://pubmed.ncbi.nlm.nih.gov/31234567/" in hrefs
    others = [d for d in docs if d["ident"] != "PMID:31234567"]
    assert all(d["pubmed"] is None for d in others)  # no PubMed link without a PMID
    p.clean()
    p.page.close()


def test_permalink_round_trips(browser, html, page, tmp_path) -> None:
    ketamine = page.js(f"() => kgraph.data.nodes.iri.indexOf({KG + 'ketamine'!r})")
    page.js("(i) => kgraph.focus(i, 2)", ketamine)
    page.page.locator("#edge-legend input").nth(3).uncheck()  # hide negated claims
    k = page.js("() => kgraph.bundles.findIndex(b => b.members.length >= 3)")
    if k >= 0:
        page.js("(k) => kgraph.openBundle(k, true)", k)
    _select(page, "ketamine", "antagonist of", "NMDA receptor")
    url = page.js("() => kgraph.copyLink()")
    assert page.page.input_value("#link-text") == url and "#" in url
    state = page.js("() => kgraph.stateParams()")
    assert "sel=" in state and "focus=" in state and "hide=" in state
    panel = page.panel()
    shown = page.js("() => [kgraph.shownEntities(), kgraph.shownClaims()]")
    again = browser.new_page(viewport=LAPTOP)
    again.goto(url)
    again.wait_for_function("document.documentElement.dataset.drawn === '1'")
    again.wait_for_selector("#panel .statement")
    assert again.evaluate("() => kgraph.stateParams()") == state
    assert again.inner_text("#panel") == panel
    assert again.evaluate("() => [kgraph.shownEntities(), kgraph.shownClaims()]") == shown
    assert again.is_visible("#focus-bar")
    again.close()
    page.clean()


def test_export_png_and_graphml_of_what_is_shown(page) -> None:
    cls = page.js("() => kgraph.data.classes.findIndex(c => c.label === 'Organization')")
    page.page.locator(f"#legend input[data-classes='{cls}']").uncheck()
    with page.page.expect_download() as png:
        page.page.click("#export-png")
    data = Path(png.value.path()).read_bytes()
    assert png.value.suggested_filename == "kgraph-view.png" and data[:8] == b"\x89PNG\r\n\x1a\n"
    with page.page.expect_download() as gml:
        page.page.click("#export-graphml")
    g = nx.read_graphml(io.BytesIO(Path(gml.value.path()).read_bytes()))
    assert g.number_of_nodes() == page.js("() => kgraph.shownEntities()")
    assert g.number_of_edges() == page.js("() => kgraph.shownClaims()")
    assert "Organization" not in {d["class"] for _, d in g.nodes(data=True)}
    page.clean()


def test_compare_view_lists_the_differences_with_qualifiers(page, corpus_graph) -> None:
    names = ["arketamine", "esketamine"]
    ids = page.js(f"() => {names!r}.map(n => kgraph.data.nodes.label.indexOf(n))")
    for i in ids:
        page.page.check(f"#compare-list input[data-compound='{i}']")
    page.page.click("#compare-go")
    page.page.wait_for_selector("#panel table.compare")
    expected = compare(corpus_graph, names)
    rows = page.page.locator("#panel table.compare tbody tr[data-object]")
    assert rows.count() == len(expected)
    assert {rows.nth(k).get_attribute("data-object") for k in range(rows.count())} == {
        r["object"] for r in expected
    }
    shared = page.page.locator("#panel table.compare tr.shared").count()
    assert shared == sum(r["shared"] for r in expected)
    dissociation = page.page.locator(f"tr[data-object='{KG}dissociation']")
    cells = dissociation.locator("td")
    assert "less than esketamine" in cells.nth(0).inner_text()  # arketamine's column
    assert cells.nth(1).inner_text().strip() == "—"  # esketamine has no such claim
    nmda = page.page.locator(f"tr[data-object='{KG}nmda_receptor'] td").nth(0).inner_text()
    assert "weak" in nmda
    assert page.js("() => kgraph.stateParams()").startswith("compare=")
    # the side-by-side table does not hide the graph: the canvas keeps the rest of the width
    graph = page.page.locator("#graph").bounding_box()
    panel = page.page.locator("#panel").bounding_box()
    assert graph["x"] + graph["width"] <= panel["x"] + 1
    page.page.locator("#panel table.compare button.claim").first.click()
    page.page.wait_for_selector("#panel .statement")
    page.clean()


def test_compare_from_the_cli_opens_on_the_comparison(browser, tmp_path) -> None:
    from click.testing import CliRunner

    from kgraph.cli import main

    out = tmp_path / "cmp.html"
    store = tmp_path / "store"
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--store", str(store)])
    assert result.exit_code == 0, result.output
    args = ["view", "--store", str(store), "-o", str(out), "--compare", "ketamine", "esketamine"]
    result = runner.invoke(main, [*args, "arketamine", "hydroxynorketamine"])
    assert result.exit_code == 0, result.output
    p = Page(browser, out.read_text("utf-8"), tmp_path, viewport=LAPTOP)
    heads = p.page.locator("#panel table.compare thead th").all_inner_texts()
    assert heads[1:] == ["ketamine", "esketamine", "arketamine", "hydroxynorketamine"]
    p.clean()
    p.page.close()


def test_notebook_compare_delegates(corpus_kg, corpus_graph) -> None:
    df = corpus_kg.compare("arketamine", "esketamine")
    assert len(df) == len(compare(corpus_graph, ["arketamine", "esketamine"]))
    row = df[df["object"] == "dissociation"].iloc[0]
    assert "less than esketamine" in row["arketamine"] and row["esketamine"] == ""


def test_unreviewed_proposals_are_drawn_apart(browser, corpus_copy, tmp_path) -> None:
    from kgraph.build import build_store
    from kgraph.store import open_store

    ann = corpus_copy / "northwestern-ketamine-neurogenesis.ann"
    proposal = "R900\thasOutcome Arg1:T9 Arg2:T7\nA900\tProposed R900\nA901\tConfidence R900 High\n"
    ann.write_text(ann.read_text("utf-8") + proposal, "utf-8")  # other medications: lasting effect
    store = open_store("memory:")
    build_store(store, [corpus_copy], include_proposed=True)
    p = Page(browser, render_html(store), tmp_path, viewport=LAPTOP)
    kinds = p.js(
        "() => kgraph.edges.get().filter(e => typeof e.id === 'number' && e.color)"
        ".map(e => [e.id, e.color.color, e.dashes])"
    )
    proposed = [k for k in kinds if k[1] == "#7b1fa2"]
    assert len(proposed) == 1 and proposed[0][2] == [2, 4]  # one claim, dotted violet
    j = proposed[0][0]
    assert "Unreviewed proposal" in p.page.inner_text("#edge-legend")
    p.js("(j) => kgraph.selectEdge(j)", j)
    p.page.wait_for_selector("#panel .statement.proposed")
    assert "unreviewed proposal · high confidence" in p.panel()
    p.page.locator("#edge-legend input").nth(4).uncheck()  # the proposals can be hidden
    assert j not in p.js(
        "() => kgraph.network.body.edgeIndices.filter(id => !kgraph.network.body.edges[id].options.hidden)"
    )
    p.clean()
    p.page.close()
