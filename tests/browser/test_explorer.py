"""The explorer page as a person sees it, in headless Chromium: what is drawn, the legend, the
evidence behind a clicked line, search, filters and focus, and that the page neither calls out
nor runs anything hidden in the data."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kgraph import claims
from kgraph.query import evidence
from kgraph.views import find_node, graph_of, render_html, select, style

pytestmark = pytest.mark.browser

KG = "https://w3id.org/kgraph/entity/"
KGO = "https://w3id.org/kgraph/ontology#"


class Page:
    """An explorer page opened from a file, with every console error and request it made."""

    def __init__(
        self,
        browser,
        html: str,
        tmp: Path,
        name: str = "page.html",
        *,
        viewport: dict | None = None,
        fragment: str = "",
    ) -> None:
        self.file = tmp / name
        self.file.write_text(html, encoding="utf-8")
        self.url = self.file.as_uri()
        self.page = browser.new_page(viewport=viewport or {"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"{e} {e.stack}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(self.url + fragment)
        self.page.wait_for_function(
            "() => document.documentElement.dataset.drawn === '1'", timeout=20_000
        )

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def panel(self) -> str:
        return self.page.inner_text("#panel")

    def clean(self) -> None:
        """Nothing left the machine and nothing went wrong (data: URLs are inline, not fetched)."""
        assert {u.split("#")[0] for u in self.requests if not u.startswith("data:")} == {self.url}
        assert self.errors == []


@pytest.fixture(scope="module")
def corpus_graph(corpus_store) -> nx.MultiDiGraph:
    return graph_of(corpus_store)


@pytest.fixture(scope="module")
def whole(browser, corpus_store, tmp_path_factory):
    page = Page(browser, render_html(corpus_store), tmp_path_factory.mktemp("whole"))
    yield page
    page.page.close()


def test_draws_every_entity_and_claim(whole, corpus_graph) -> None:
    counts = whole.js(
        """() => [
          kgraph.nodes.get().filter(n => typeof n.id === 'number').length,
          kgraph.edges.get().filter(e => typeof e.id === 'number').length,
          kgraph.network.body.nodeIndices.filter(id => !kgraph.network.body.nodes[id].options.hidden).length + kgraph.bundles.reduce(
            (n, b) => n + b.members.length - 1, 0),
        ]"""
    )
    # every entity is drawn, or counted in a bundle that stands for it
    assert counts == [corpus_graph.number_of_nodes(), corpus_graph.number_of_edges()] * 1 + [
        corpus_graph.number_of_nodes()
    ]
    summary = whole.page.inner_text("#summary")
    assert f"{corpus_graph.number_of_nodes()} entities" in summary
    whole.clean()


def test_legend_shows_the_classes_present(whole, corpus_graph) -> None:
    expected = {
        style.class_style(d["cls"], d.get("class_label")).label
        for _, d in corpus_graph.nodes(data=True)
    }
    shown = whole.page.locator("#legend .name").all_inner_texts()
    assert set(shown) == expected and len(shown) == len(expected)
    assert whole.page.locator("#legend svg").count() == len(expected)  # a swatch each
    assert whole.page.is_visible("#legend") and whole.page.is_visible("#edge-legend")


def test_clicking_a_line_shows_its_statements(whole, corpus_store) -> None:
    j = whole.js("() => kgraph.findEdge('ketamine', 'antagonist of', 'NMDA receptor')")
    assert j >= 0
    # zoom onto the line and click the canvas where it is drawn (a real click, not an API call),
    # once the labels are placed for that view, where no entity and no label lies over it
    point = whole.js(
        """async (j) => {
          const net = kgraph.network, e = kgraph.edges.get(j);
          const pos = net.getPositions([e.from, e.to]);
          const a = pos[e.from], b = pos[e.to];
          net.moveTo({position: {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}, scale: 1.5});
          await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.35, 0.65, 0.25, 0.75, 0.2, 0.8]) {
            const dom = net.canvasToDOM({x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t});
            if (net.getEdgeAt(dom) === j && net.getNodeAt(dom) === undefined && kgraph.labelAt(dom.x, dom.y) === null) {
              const box = document.getElementById('graph').getBoundingClientRect();
              return {x: box.left + dom.x, y: box.top + dom.y};
            }
          }
          return null;
        }""",
        j,
    )
    assert point is not None, "the line is clickable somewhere"
    whole.page.mouse.click(point["x"], point["y"])
    whole.page.wait_for_selector("#panel .statement")
    text = whole.panel()
    rows = [
        r
        for r in evidence(corpus_store, "ketamine", "NMDA receptor")
        if r["p"] == KGO + "antagonistOf"
    ]
    assert rows
    for row in rows:
        assert row["quote"] in text and row["title"] in text
    marks = whole.page.locator("#panel .statement mark").all_inner_texts()
    assert {r["subject_text"] for r in rows} <= set(marks)
    assert {r["object_text"] for r in rows} <= set(marks)
    assert "Certainty" in text and "Evidence" in text
    assert whole.js("() => kgraph.network.getSelectedEdges()") == [j]
    whole.clean()


def test_search_finds_spravato(whole, corpus_graph, corpus_store) -> None:
    expected = find_node(corpus_graph, "Spravato", corpus_store)
    whole.page.fill("#search", "")
    whole.page.type("#search", "Spravato")
    first = whole.page.locator("#search-results button").first
    first.wait_for()
    node = int(first.get_attribute("data-node"))
    assert whole.js("(i) => kgraph.data.nodes.iri[i]", node) == expected
    first.click()
    label = corpus_graph.nodes[expected]["label"]
    assert whole.page.inner_text("#panel h2") == label
    assert whole.js("() => kgraph.network.getSelectedNodes()") == [node]
    ids = corpus_graph.nodes[expected]["identifiers"]
    links = whole.page.locator("#panel dd a")
    assert links.count() == sum(style.identifier_url(i) is not None for i in ids)
    for k in range(links.count()):
        assert links.nth(k).get_attribute("href").startswith(("https://", "http://purl."))
    whole.clean()


def test_filters_and_focus(whole, corpus_graph) -> None:
    visible = "() => kgraph.shownEntities()"
    whole.page.click("#reset")
    first = whole.page.locator("#legend input").first
    cls = int(first.get_attribute("data-classes"))
    count = whole.js("(c) => kgraph.data.classes[c].count", cls)
    first.uncheck()
    assert whole.js(visible) == corpus_graph.number_of_nodes() - count
    first.check()
    whole.page.locator("#edge-legend input").nth(3).uncheck()  # hide negated claims
    negated = sum(1 for f in whole.js("() => kgraph.data.edges.flags") if f & claims.NEGATED)
    assert whole.js("() => kgraph.shownClaims()") == (corpus_graph.number_of_edges() - negated)
    whole.page.click("#reset")
    ketamine = whole.js("(iri) => kgraph.data.nodes.iri.indexOf(iri)", KG + "ketamine")
    whole.js("(i) => kgraph.selectNode(i)", ketamine)
    whole.page.fill("#panel .focus-controls input", "1")
    whole.page.click("#panel .focus-controls button")
    around = nx.ego_graph(corpus_graph.to_undirected(as_view=True), KG + "ketamine", radius=1)
    assert whole.js(visible) == around.number_of_nodes()
    assert "Focus" in whole.page.inner_text("#focus-bar")
    whole.page.click("#focus-bar button")
    assert whole.js(visible) == corpus_graph.number_of_nodes()
    whole.page.check("#physics")
    assert whole.js("() => kgraph.network.physics.options.enabled") is True
    whole.js("() => document.getElementById('physics').click()")  # no wait: the layout is moving
    assert whole.js("() => kgraph.network.physics.options.enabled") is False
    whole.clean()


EVIL_LABEL = "<img src=x onerror=window.__pwned=1>"
EVIL_QUOTE = '</script><script>window.__pwned=1</script> see <a href="javascript:window.__pwned=1">'


def _evil_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(
        "kg:evil",
        label=EVIL_LABEL,
        cls=KGO + "Compound",
        synonyms=["<script>window.__pwned=1</script>"],
        identifiers=["javascript:window.__pwned=1", "MESH:D007649"],
        definition='<svg onload="window.__pwned=1">',
    )
    g.add_node(
        "kg:target", label="<b onmouseover=window.__pwned=1>target</b>", cls=KGO + "Receptor"
    )
    row = {
        "quote": EVIL_QUOTE,
        "subject_text": "<script>",
        "object_text": 'href="javascript',
        "document": "kgd:evil",
        "title": "<script>window.__pwned=1</script>Title",
        "publisher": "<img src=y onerror=window.__pwned=1>",
        "date": "2025",
        "source_type": "ScienceNews",
        "certainty": "Hedged",
        "level": "Preclinical",
        "negated": True,
        "note": "<img src=z onerror=window.__pwned=1>note",
        "qualifiers": "less than <svg onload=window.__pwned=1>",
        "before": "<script>window.__pwned=1</script>before",
        "after": "<iframe src=javascript:window.__pwned=1>",
        "url": "javascript:window.__pwned=1",
        "pubmed": "javascript:window.__pwned=1",
        "doi": 'https://doi.org/10.1/x" onmouseover="window.__pwned=1',
        "proposed": True,
        "confidence": "<b>High</b>",
    }
    g.add_edge(
        "kg:evil",
        "kg:target",
        key=KGO + "antagonistOf",
        predicate=KGO + "antagonistOf",
        label="<i>antagonist</i> of",
        statements=1,
        documents=1,
        negated=1,
        hedged=1,
        levels=["Preclinical"],
        evidence=[row],
    )
    return g


def test_markup_in_the_data_runs_nothing_and_shows_as_text(browser, tmp_path) -> None:
    page = Page(
        browser, render_html(_evil_graph(), title="<script>window.__pwned=1</script>"), tmp_path
    )
    p = page.page
    p.fill("#search", "<script")
    p.locator("#search-results button").first.wait_for()
    p.locator("#search-results button").first.click()
    node_panel = page.panel()
    assert EVIL_LABEL in node_panel and '<svg onload="window.__pwned=1">' in node_panel
    hrefs = [
        p.locator("#panel dd a").nth(k).get_attribute("href")
        for k in range(p.locator("#panel dd a").count())
    ]
    assert hrefs == ["https://meshb.nlm.nih.gov/record/ui?ui=D007649"]  # no javascript: link
    p.locator("#panel .edge-list button").first.click()
    edge_panel = page.panel()
    assert EVIL_QUOTE in edge_panel and "<script>window.__pwned=1</script>Title" in edge_panel
    assert "<img src=y onerror=window.__pwned=1>" in edge_panel
    assert "<img src=z onerror=window.__pwned=1>note" in edge_panel
    assert "<svg onload=window.__pwned=1>" in edge_panel
    assert "<script>window.__pwned=1</script>before" in edge_panel
    assert p.locator("#panel .statement a").count() == 0  # no javascript: or broken links
    p.mouse.move(700, 450)
    p.wait_for_timeout(200)
    assert page.js("() => window.__pwned") is None
    assert (
        page.js(
            "() => document.querySelectorAll('img, svg[onload], b, i, a[href^=javascript]').length"
        )
        == 0
    )
    assert p.title() == "<script>window.__pwned=1</script>"
    page.clean()
    p.close()


def test_chain_view_and_edge_labels(browser, corpus_store, tmp_path) -> None:
    g, _ = select(corpus_store, path_between=("ketamine", "antidepressant effect"))
    page = Page(
        browser,
        render_html(corpus_store, path_between=("ketamine", "antidepressant effect")),
        tmp_path,
    )
    assert (
        page.js(
            "() => kgraph.network.body.nodeIndices.filter(id => !kgraph.network.body.nodes[id].options.hidden).length"
        )
        == g.number_of_nodes()
    )
    assert page.js("() => kgraph.data.highlight.length") == 2
    xs = page.js("() => kgraph.data.nodes.x")
    iris = page.js("() => kgraph.data.nodes.iri")
    assert xs[iris.index(KG + "ketamine")] == min(xs)  # chains run left to right
    labelled = "() => kgraph.edges.get().filter(e => e.label && e.label.trim()).length"
    assert page.js(labelled) == g.number_of_edges()
    page.page.uncheck("#edge-labels")
    assert page.js(labelled) == 0
    page.clean()
    page.page.close()


def test_empty_graph_draws_without_errors(browser, tmp_path) -> None:
    page = Page(browser, render_html(nx.MultiDiGraph()), tmp_path)
    assert page.js("() => kgraph.nodes.length") == 0
    assert page.page.is_hidden("#levels")
    page.clean()
    page.page.close()
