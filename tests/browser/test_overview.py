"""The overview on a small laptop screen (1024×768): hub leaves folded into counted bundles that
open on click, filters that re-fit what is left, and a panel that sits beside the graph while
the selected claim stays in view."""

from __future__ import annotations

import networkx as nx
import pytest

from kgraph.views import graph_of, render_html
from tests.browser.test_explorer import KG, Page

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1024, "height": 768}


@pytest.fixture(scope="module")
def corpus_graph(corpus_store) -> nx.MultiDiGraph:
    return graph_of(corpus_store)


@pytest.fixture
def laptop(browser, corpus_store, tmp_path):
    page = Page(browser, render_html(corpus_store), tmp_path, viewport=LAPTOP)
    yield page
    page.page.close()


def _leaves(g: nx.MultiDiGraph) -> dict[str, str]:
    """Each entity linked to one other entity only, and that entity."""
    u = nx.Graph(g.to_undirected(as_view=True))
    u.remove_edges_from(nx.selfloop_edges(u))
    return {v: next(iter(u[v])) for v in u if u.degree(v) == 1}


def _click_node(page: Page, node_id) -> None:
    """A real mouse click on the node as drawn."""
    point = page.js(
        """(id) => {
          const net = kgraph.network, p = net.canvasToDOM(net.getPositions([id])[id]);
          const box = document.getElementById('graph').getBoundingClientRect();
          return {x: box.left + p.x, y: box.top + p.y};
        }""",
        node_id,
    )
    page.page.mouse.click(point["x"], point["y"])


def test_hub_leaves_are_bundled_and_open_on_click(laptop, corpus_graph) -> None:
    bundles = laptop.js(
        "() => kgraph.bundles.map(b => ({hub: b.hub, cls: b.cls, members: b.members}))"
    )
    assert bundles, "ketamine's many single-claim neighbours are folded"
    iris = laptop.js("() => kgraph.data.nodes.iri")
    leaves = _leaves(corpus_graph)
    for b in bundles:  # a bundle holds leaves of its hub, of one class, and only those
        assert len(b["members"]) >= 3
        assert {leaves.get(iris[i]) for i in b["members"]} == {iris[b["hub"]]}
        assert len({laptop.js("(i) => kgraph.data.nodes.cls[i]", i) for i in b["members"]}) == 1
    ketamine = iris.index(KG + "ketamine")
    mine = [k for k, b in enumerate(bundles) if b["hub"] == ketamine]
    assert mine, "ketamine is a hub"
    drawn = set(
        laptop.js(
            "() => kgraph.network.body.nodeIndices.filter(id => !kgraph.network.body.nodes[id].options.hidden)"
        )
    )
    folded = sum(len(b["members"]) for b in bundles)
    assert len(drawn) == corpus_graph.number_of_nodes() - folded + len(bundles)
    k = max(mine, key=lambda k: len(bundles[k]["members"]))
    members = bundles[k]["members"]
    assert not set(members) & drawn
    label = laptop.js("(k) => kgraph.nodes.get('b' + k).label", k)
    assert label.startswith(f"+{len(members)} ")
    _click_node(laptop, f"b{k}")
    laptop.page.wait_for_function("(k) => kgraph.bundles[k].open", arg=k)
    drawn = set(
        laptop.js(
            "() => kgraph.network.body.nodeIndices.filter(id => !kgraph.network.body.nodes[id].options.hidden)"
        )
    )
    assert set(members) <= drawn and f"b{k}" not in drawn
    assert "linked only to ketamine" in laptop.panel()
    laptop.page.click("#panel button:has-text('Fold them again')")
    drawn = set(
        laptop.js(
            "() => kgraph.network.body.nodeIndices.filter(id => !kgraph.network.body.nodes[id].options.hidden)"
        )
    )
    assert f"b{k}" in drawn and not set(members) & drawn
    laptop.clean()


def test_selecting_a_leaf_opens_its_bundle(laptop) -> None:
    k, i = laptop.js("() => [0, kgraph.bundles[0].members[0]]")
    laptop.js("(i) => kgraph.selectNode(i)", i)
    assert laptop.js("(k) => kgraph.bundles[k].open", k)
    assert laptop.js("(i) => kgraph.network.getSelectedNodes()", i) == [i]
    assert laptop.js("(i) => kgraph.inView([i], 10)", i)
    laptop.clean()


def test_panel_sits_beside_the_graph_and_the_claim_stays_in_view(laptop) -> None:
    j = laptop.js("() => kgraph.findEdge('ketamine', 'antagonist of', 'NMDA receptor')")
    assert j >= 0
    ends = laptop.js("(j) => [kgraph.edges.get(j).from, kgraph.edges.get(j).to]", j)
    laptop.js("() => kgraph.network.moveTo({position: {x: 5000, y: 5000}, scale: 2})")
    assert not laptop.js("(ids) => kgraph.inView(ids, 0)", ends)  # far away to start with
    laptop.js("(j) => kgraph.selectEdge(j)", j)
    laptop.page.wait_for_selector("#panel .statement")
    graph = laptop.page.locator("#graph").bounding_box()
    panel = laptop.page.locator("#panel").bounding_box()
    assert panel["width"] >= 300 and graph["width"] >= 380
    assert graph["x"] + graph["width"] <= panel["x"] + 1, "the panel covers no part of the graph"
    canvas = laptop.page.locator("#graph canvas").bounding_box()
    assert abs(canvas["width"] - graph["width"]) < 2, "the canvas fits the narrowed graph area"
    points = laptop.js(
        """(ids) => {
          const net = kgraph.network, pos = net.getPositions(ids);
          return ids.map(id => net.canvasToDOM(pos[id]));
        }""",
        ends,
    )
    for p in points:  # both ends of the selected claim are drawn inside the visible canvas
        assert 0 <= p["x"] <= graph["width"] and 0 <= p["y"] <= graph["height"]
    assert laptop.js("() => kgraph.network.getSelectedEdges()") == [j]
    laptop.page.click("#panel .close")
    graph = laptop.page.locator("#graph").bounding_box()
    assert graph["width"] > 1024 - 300, "closing the panel gives the room back"
    laptop.clean()


def test_class_filter_prunes_and_refits(laptop, corpus_graph) -> None:
    classes = laptop.js("() => kgraph.data.classes.map(c => c.count)")
    big = max(range(len(classes)), key=classes.__getitem__)
    laptop.page.locator(f"#legend input[data-classes='{big}']").uncheck()
    drawn = laptop.js(
        "() => kgraph.network.body.nodeIndices.filter(id => !kgraph.network.body.nodes[id].options.hidden).filter(i => typeof i === 'number')"
    )
    cls = laptop.js("() => kgraph.data.nodes.cls")
    assert drawn and all(cls[i] != big for i in drawn)
    laptop.page.wait_for_function("() => kgraph.idle()", timeout=10_000)
    assert laptop.js("(ids) => kgraph.inView(ids, 0)", drawn), "what is left fills the view"
    laptop.clean()


def test_hub_labels_readable_at_the_default_zoom(laptop) -> None:
    """The most connected entities are labelled at a size a person can read (≥ 9 px)."""
    sizes = laptop.js(
        """() => {
          const net = kgraph.network, scale = net.getScale(), out = [];
          for (const id of net.body.nodeIndices.filter(id => !net.body.nodes[id].options.hidden)) {
            const n = net.body.nodes[id];
            out.push([n.edges.length, n.options.font.size * scale]);
          }
          return out.sort((a, b) => b[0] - a[0]).slice(0, 5).map(x => x[1]);
        }"""
    )
    assert min(sizes) >= 9, sizes
    laptop.clean()
