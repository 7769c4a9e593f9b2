"""The mechanism path view in headless Chromium: only mechanistic claims in their stated
direction (the one chain search, :func:`kgraph.graphs.mechanism_chains`), ranked by evidence
weight × specificity, each hop's evidence on click."""

from __future__ import annotations

import pytest

from kgraph.graphs import mechanism_chains
from kgraph.query import evidence
from kgraph.views.mechanisms import chains_page
from tests.browser.test_explorer import KGO, Page

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1024, "height": 768}
NOT_MECHANISMS = {KGO + "associatedWith", KGO + "approvedBy", KGO + "studiedBy", KGO + "memberOf"}


def _drawn(page: Page) -> tuple[list[str], list[str]]:
    """Classes of the entities drawn and predicates of the claims drawn."""
    return page.js(
        """() => {
          const d = kgraph.data, net = kgraph.network;
          return [net.body.nodeIndices.filter(id => !net.body.nodes[id].options.hidden).map(i => d.classes[d.nodes.cls[i]].name),
                  net.body.edgeIndices.filter(id => !net.body.edges[id].options.hidden).map(j => d.relations[d.edges.rel[j]].iri)];
        }"""
    )


def test_path_view_from_esketamine_takes_no_organisation_or_association(
    browser, corpus_store, tmp_path
) -> None:
    html, ranked = chains_page(corpus_store, "esketamine")
    assert ranked == [] == mechanism_chains(corpus_store, "esketamine")
    page = Page(browser, html, tmp_path, viewport=LAPTOP)
    classes, predicates = _drawn(page)
    assert "Organization" not in classes and not set(predicates) & NOT_MECHANISMS
    note = page.page.inner_text("#note")
    assert "No chain of mechanistic claims" in note and "approved by" in note  # says why
    page.clean()
    page.page.close()


def test_ketamine_chains_are_mechanistic_ranked_and_each_hop_has_evidence(
    browser, corpus_store, tmp_path
) -> None:
    html, ranked = chains_page(corpus_store, "ketamine")
    expected = mechanism_chains(corpus_store, "ketamine")
    assert len(ranked) == len(expected) > 3
    page = Page(browser, html, tmp_path, viewport=LAPTOP)
    classes, predicates = _drawn(page)
    assert "Organization" not in classes and not set(predicates) & NOT_MECHANISMS
    rows = page.page.locator("#panel ol.chains li.chain")
    assert rows.count() == len(ranked)
    scores = page.js("() => kgraph.data.chains.map(c => c.score)")
    assert scores == sorted(scores, reverse=True)
    # every hop of every chain follows a drawn claim in its stated direction
    for c in page.js("() => kgraph.data.chains"):
        for h, j in enumerate(c["edges"]):
            ends = page.js("(j) => [kgraph.data.edges.from[j], kgraph.data.edges.to[j]]", j)
            assert ends == [c["nodes"][h], c["nodes"][h + 1]]
    hop = page.page.locator("#panel ol.chains button.hop").first
    j = int(hop.get_attribute("data-edge"))
    s, p, o = page.js(
        """(j) => { const d = kgraph.data, E = d.edges;
          return [d.nodes.iri[E.from[j]], d.relations[E.rel[j]].iri, d.nodes.iri[E.to[j]]]; }""",
        j,
    )
    hop.click()
    page.page.wait_for_selector("#panel .statement")
    text = " ".join(page.panel().split())
    for row in evidence(corpus_store, s, o, p):
        assert " ".join(str(row["quote"]).split()) in text
    page.page.click("#panel button.back")
    assert page.page.locator("#panel ol.chains li.chain").count() == len(ranked)
    page.clean()
    page.page.close()
