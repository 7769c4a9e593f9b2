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
    # labels are placed on the frame after a draw: wait for the bundle's (a loaded machine is slow)
    laptop.page.wait_for_function("(id) => kgraph.labels().some(x => x.id === id)", arg=f"b{k}")
    labels = {x["id"]: x["text"] for x in laptop.js("() => kgraph.labels()")}
    assert labels[f"b{k}"].startswith(f"+{len(members)} "), "the biggest bundle is labelled"
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
    """The page draws entity labels itself, heaviest first, each only where it overlaps no other
    label: the five most connected entities are labelled at ≥ 11 px on screen, and no two
    labels drawn overlap (the overview is not a pile of text)."""
    placed = laptop.js("() => kgraph.labels()")
    degree = laptop.js(
        """() => { const E = kgraph.data.edges, d = new Array(kgraph.data.nodes.iri.length).fill(0);
          E.from.forEach((a, j) => { d[a]++; d[E.to[j]]++; }); return d; }"""
    )
    drawn = [i for i in laptop.js("() => kgraph.drawnNodes()") if isinstance(i, int)]
    top = sorted(drawn, key=lambda i: (-degree[i], i))[:5]
    size = {x["id"]: x["px"] for x in placed}
    assert all(size.get(i, 0) >= 11 for i in top), (top, size)
    boxes = [x["box"] for x in placed]
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            p, q = boxes[a], boxes[b]
            assert not (p[0] < q[2] and p[2] > q[0] and p[1] < q[3] and p[3] > q[1]), (a, b)
    assert len(placed) >= 25, "a readable share of the entities is named"
    # a label is a target: clicking it selects its entity
    hub = top[0]
    box = next(x["box"] for x in placed if x["id"] == hub)
    frame = laptop.js(
        "() => { const r = document.getElementById('graph').getBoundingClientRect(); return [r.left, r.top]; }"
    )
    laptop.page.mouse.click(frame[0] + (box[0] + box[2]) / 2, frame[1] + (box[1] + box[3]) / 2)
    assert laptop.js("() => kgraph.network.getSelectedNodes()") == [hub]
    laptop.clean()


def test_long_labels_break_into_lines_as_the_layout_sized_them(laptop) -> None:
    """The page breaks long entity labels into lines itself (the data carries each label once):
    every label it draws is broken exactly as kgraph.views.style.wrap_label breaks it for the
    layout's label boxes, and some drawn labels are long enough to break."""
    from kgraph.views.style import wrap_label

    labels = laptop.js("() => kgraph.data.nodes.label")
    # zoomed in on the whole graph, so that more labels find room
    laptop.js("() => kgraph.network.moveTo({scale: 2.5})")
    laptop.page.wait_for_timeout(300)
    placed = [x for x in laptop.js("() => kgraph.labels()") if isinstance(x["id"], int)]
    assert placed
    for x in placed:
        assert x["text"] == wrap_label(labels[x["id"]]), x
    assert any("\n" in x["text"] for x in placed), "a long label is drawn on several lines"
    laptop.clean()


def test_filters_refresh_a_data_view(laptop) -> None:
    """vis-network holds only what is drawn: a DataView over all items, refreshed on a filter (no
    item of the full DataSet is rewritten, none is rebuilt)."""
    assert laptop.js("() => kgraph.view.nodes instanceof vis.DataView")
    assert laptop.js("() => kgraph.network.body.data.nodes === kgraph.view.nodes")
    before = set(laptop.js("() => kgraph.view.nodes.getIds()"))
    # switch off the class of the most entities that is not a hub's (so no bundle unfolds)
    k = laptop.js(
        """() => { const d = kgraph.data, hubs = new Set(kgraph.bundles.map(b => d.nodes.cls[b.hub]));
          return d.classes.map((c, k) => [c.count, k]).filter(x => !hubs.has(x[1])).sort((a, b) => b[0] - a[0])[0][1]; }"""
    )
    laptop.js(
        """(k) => { window.__updates = 0;
          kgraph.nodes.on('update', () => window.__updates++); kgraph.edges.on('update', () => window.__updates++);
          document.querySelectorAll('#legend input')[k].click(); }""",
        k,
    )
    after = set(laptop.js("() => kgraph.view.nodes.getIds()"))
    cls = laptop.js("() => kgraph.data.nodes.cls")
    bundle_cls = laptop.js("() => kgraph.bundles.map(b => b.cls)")
    gone = {i for i in before if isinstance(i, int) and cls[i] == k}
    gone |= {i for i in before if isinstance(i, str) and bundle_cls[int(i[1:])] == k}
    assert gone and after == before - gone
    assert after == set(laptop.js("() => kgraph.drawnNodes()"))
    assert laptop.js("() => window.__updates") == 0  # no item rewritten
    assert laptop.js("() => kgraph.nodes.length") >= len(before)  # the full set is untouched
    laptop.clean()


def test_a_filter_draws_the_canvas_once(laptop) -> None:
    """A filter refreshes both views (entities, then claims): vis-network would draw the whole
    canvas at once on each change (physics off); the page holds the drawing back while the views
    change and draws on the next frame, with the new set (it drew during each refresh, about half
    of a filter's time on the real corpora)."""
    assert laptop.js("() => !kgraph.network.physics.options.enabled")
    counts = laptop.js(
        """async () => { const net = kgraph.network, v = kgraph.view;
          let n = 0, inside = 0, depth = 0;
          const count = () => { n++; if (depth) inside++; };
          net.on('beforeDrawing', count);
          const wrap = (o) => { const f = o.refresh; o.refresh = function () { depth++;
            try { return f.apply(this, arguments); } finally { depth--; } }; return f; };
          const fn = wrap(v.nodes), fe = wrap(v.edges), before = v.nodes.length;
          document.querySelector('#legend input').click();
          const changed = v.nodes.length !== before, atOnce = n;
          await new Promise(res => requestAnimationFrame(() => requestAnimationFrame(res)));
          net.off('beforeDrawing', count); v.nodes.refresh = fn; v.edges.refresh = fe;
          return [inside, changed, n > atOnce]; }"""
    )
    assert counts == [0, True, True]  # none while the views change; the new set drawn after
    laptop.clean()
