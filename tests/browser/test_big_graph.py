"""A big graph in the page (3,000 entities): no physics, a backbone overview, at most a few
hundred entities drawn at a time, more as one zooms in, and a selected entity always drawn."""

from __future__ import annotations

import pytest

from benchmarks.views import synthetic_graph
from kgraph.views import render_html
from tests.browser.test_explorer import Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def big(browser, tmp_path_factory):
    g = synthetic_graph(3000, seed=3)
    page = Page(
        browser,
        render_html(g, physics=True),
        tmp_path_factory.mktemp("big"),
        viewport={"width": 1024, "height": 768},
    )
    yield page
    page.page.close()


def test_physics_stays_off_and_cannot_be_switched_on(big) -> None:
    assert big.js("() => kgraph.data.meta.physics") is False
    assert big.js("() => kgraph.network.physics.options.enabled") is False
    assert big.js("() => document.getElementById('physics').disabled")


def test_the_overview_draws_the_backbone_and_zooming_in_draws_more(big) -> None:
    assert big.js("() => kgraph.lod")
    drawn = big.js("() => kgraph.drawnNodes().filter(i => typeof i === 'number')")
    backbone = big.js("() => kgraph.data.meta.backbone")
    assert 0 < len(drawn) <= 300
    assert set(backbone) <= set(drawn), "the overview shows the backbone"
    assert big.js("() => kgraph.view.nodes.length") == len(big.js("() => kgraph.drawnNodes()"))
    assert len(big.js("() => kgraph.drawnEdges()")) <= 400 + 3000  # thinned (plus bundles)
    # zoom in on a corner of the drawing: other entities come in
    big.js(
        """() => { const net = kgraph.network, s = net.getScale(), c = net.getViewPosition();
          net.moveTo({position: {x: c.x + 150 / s, y: c.y + 120 / s}, scale: s * 6, animation: false});
          net.emit('zoom', {}); }"""
    )
    big.page.wait_for_function("() => kgraph.idle()", timeout=10_000)
    zoomed = big.js("() => kgraph.drawnNodes().filter(i => typeof i === 'number')")
    assert set(zoomed) - set(drawn), "zooming in draws entities the overview left out"
    assert len(zoomed) <= 300 + 1


def test_a_selected_entity_is_drawn_whatever_its_rank(big) -> None:
    drawn = set(big.js("() => kgraph.drawnNodes()"))
    last = big.js(
        """() => { const d = kgraph.data, n = d.nodes.iri.length, deg = new Array(n).fill(0);
          d.edges.from.forEach((a, j) => { deg[a]++; deg[d.edges.to[j]]++; });
          let best = -1; for (let i = 0; i < n; i++) if (deg[i] >= 2 && (best < 0 || deg[i] < deg[best])) best = i;
          return best; }"""
    )
    assert last not in drawn
    big.js("(i) => kgraph.selectNode(i)", last)
    assert last in big.js("() => kgraph.drawnNodes()")
    assert big.js("(i) => kgraph.inView([i], 10)", last)
    assert big.js("() => kgraph.network.getSelectedNodes()") == [last]
    big.clean()
