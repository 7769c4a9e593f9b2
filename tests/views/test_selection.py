"""Which part of the graph a view shows: a neighbourhood, chains between two entities, a query."""

from __future__ import annotations

import networkx as nx
import pytest

from kgraph.errors import KGraphError
from kgraph.graphs import neighbourhood, path_subgraph
from kgraph.graphs import paths as mechanism_paths
from kgraph.views import find_node, graph_of, select
from kgraph.views.selection import graph_from_query

KG = "https://w3id.org/kgraph/entity/"


def _claim(g, s, o, key="p", negated=0, statements=1):
    g.add_edge(s, o, key=key, label=key, negated=negated, statements=statements, documents=1)


@pytest.fixture
def chain() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    _claim(g, "ketamine", "NMDA receptor")
    _claim(g, "NMDA receptor", "BDNF")
    _claim(g, "BDNF", "effect")
    _claim(g, "ketamine", "effect", negated=2, statements=2)  # denied: not a mechanism
    _claim(g, "metabolite", "ketamine")
    _claim(g, "x", "y")
    return g


def test_neighbourhood_depths(chain) -> None:
    assert set(neighbourhood(chain, "NMDA receptor", 0)) == {"NMDA receptor"}
    assert set(neighbourhood(chain, "NMDA receptor", 1)) == {"ketamine", "NMDA receptor", "BDNF"}
    two = neighbourhood(chain, "NMDA receptor", 2)
    assert set(two) == {"ketamine", "NMDA receptor", "BDNF", "effect", "metabolite"}
    assert two.has_edge(
        "ketamine", "effect"
    )  # the denied claim is shown: contradictions stay visible


def test_paths_follow_asserted_claims_in_their_direction(chain) -> None:
    assert mechanism_paths(chain, "ketamine", "effect") == [
        ["ketamine", "NMDA receptor", "BDNF", "effect"]
    ]
    assert mechanism_paths(chain, "ketamine", "effect", cutoff=2) == []
    assert mechanism_paths(chain, "effect", "ketamine") == []
    assert mechanism_paths(chain, "effect", "ketamine", directed=False)[0][0] == "effect"
    assert mechanism_paths(chain, "ketamine", "y") == []


def test_path_subgraph_has_only_the_chains(chain) -> None:
    sub = path_subgraph(chain, mechanism_paths(chain, "ketamine", "effect"))
    assert set(sub) == {"ketamine", "NMDA receptor", "BDNF", "effect"}
    assert not sub.has_edge("ketamine", "effect")


def test_path_limit(chain) -> None:
    g = nx.MultiDiGraph()
    for k in range(30):
        _claim(g, "a", f"m{k}")
        _claim(g, f"m{k}", "b")
    assert len(mechanism_paths(g, "a", "b", limit=7)) == 7


def test_find_node_by_label_synonym_identifier(corpus_store) -> None:
    g = graph_of(corpus_store)
    assert find_node(g, "ketamine") == KG + "ketamine"
    assert find_node(g, "MESH:D007649") == KG + "ketamine"
    spravato = find_node(g, "Spravato", corpus_store)
    assert "spravato" in [s.lower() for s in g.nodes[spravato]["synonyms"]] or (
        g.nodes[spravato]["label"].lower() == "spravato"
    )
    with pytest.raises(KGraphError, match="no entity"):
        find_node(g, "no such thing at all", corpus_store)


def test_select_focus(corpus_store) -> None:
    g, info = select(corpus_store, focus="ketamine", depth=1)
    full = graph_of(corpus_store)
    assert set(g) == {KG + "ketamine"} | set(nx.all_neighbors(full, KG + "ketamine"))
    assert info["highlight"] == [KG + "ketamine"] and "ketamine" in info["title"]


def test_select_path_ketamine_to_antidepressant_effect(corpus_store) -> None:
    g, info = select(corpus_store, path_between=("ketamine", "antidepressant effect"), cutoff=4)
    target = find_node(g, "antidepressant effect")
    assert info["paths"] and all(p[0] == KG + "ketamine" and p[-1] == target for p in info["paths"])
    assert all(len(p) - 1 <= 4 for p in info["paths"])
    assert info["layers"][KG + "ketamine"] == 0 and info["layers"][target] == max(
        info["layers"].values()
    )
    # every claim hop has a statement for it (a hierarchy hop, "is a kind of", is no claim)
    hops = [d for *_, d in g.edges(data=True) if d.get("statements")]
    assert hops and all(d["negated"] < d["statements"] for d in hops)


def test_select_path_with_no_chain_says_so(corpus_store) -> None:
    with pytest.raises(KGraphError, match=r"no (mechanism )?chain"):
        select(corpus_store, path_between=("arketamine", "FDA"), cutoff=1)


def test_select_needs_one_choice(corpus_store) -> None:
    with pytest.raises(KGraphError, match="only one"):
        select(corpus_store, focus="ketamine", query="CONSTRUCT {} WHERE {}")


def test_query_construct_keeps_claim_evidence(corpus_store) -> None:
    g = graph_from_query(
        corpus_store, "CONSTRUCT { ?s kgo:antagonistOf ?o } WHERE { ?s kgo:antagonistOf ?o }"
    )
    assert g.number_of_edges() >= 1
    for *_, d in g.edges(data=True):
        assert d["label"] == "antagonist of" and d.get("evidence")


def test_query_select_spo_with_plain_triples(corpus_store) -> None:
    g = graph_from_query(
        corpus_store,
        "SELECT ?s ?p ?o WHERE { VALUES ?s { kg:ketamine } ?s ?p ?o }",
    )
    assert KG + "ketamine" in g and g.graph["skipped"] > 0  # labels etc. are literals


def test_query_must_give_triples(corpus_store) -> None:
    with pytest.raises(KGraphError, match="CONSTRUCT"):
        graph_from_query(corpus_store, "SELECT ?x WHERE { ?x a kgo:Document }")
    with pytest.raises(KGraphError, match="needs a store"):
        select(nx.MultiDiGraph(), query="CONSTRUCT {} WHERE {}")
