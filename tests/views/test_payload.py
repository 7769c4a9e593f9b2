"""The page's data: every node and claim of the graph, evidence where it belongs, flags and the
JSON written so that no text can break out of its script block."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from kgraph import claims
from kgraph.views import graph_of, style
from kgraph.views.network import payload
from kgraph.views.page import to_json

KG = "https://w3id.org/kgraph/entity/"
KGO = "https://w3id.org/kgraph/ontology#"


@pytest.fixture(scope="module")
def corpus_graph(corpus_store) -> nx.MultiDiGraph:
    return graph_of(corpus_store)


@pytest.fixture(scope="module")
def corpus_payload(corpus_graph) -> dict:
    return payload(corpus_graph, title="corpus")


def _edge(p: dict, s: str, pred: str, o: str) -> int:
    N, E = p["nodes"], p["edges"]
    for j in range(len(E["from"])):
        rel = p["relations"][E["rel"][j]]["iri"]
        if N["iri"][E["from"][j]] == s and N["iri"][E["to"][j]] == o and rel == pred:
            return j
    raise AssertionError(f"no edge {s} {pred} {o}")


def test_every_node_and_claim_is_there(corpus_graph, corpus_payload) -> None:
    p = corpus_payload
    assert len(p["nodes"]["iri"]) == corpus_graph.number_of_nodes() == p["meta"]["nodes"]
    assert len(p["edges"]["from"]) == corpus_graph.number_of_edges() == p["meta"]["edges"]
    node_cols = {len(v) for k, v in p["nodes"].items() if k not in ("info", "wrap")}
    edge_cols = {
        len(v) for k, v in p["edges"].items() if not isinstance(v, dict)
    }  # dicts are sparse
    assert node_cols == {corpus_graph.number_of_nodes()}
    assert edge_cols == {corpus_graph.number_of_edges()}
    assert sum(p["edges"]["evn"]) == len(p["evidence"]["quote"]) == p["meta"]["statements"]


def test_legend_lists_the_classes_present(corpus_graph, corpus_payload) -> None:
    present = {style.local_name(d["cls"]) for _, d in corpus_graph.nodes(data=True)}
    assert {c["name"] for c in corpus_payload["classes"]} == present
    assert sum(c["count"] for c in corpus_payload["classes"]) == corpus_graph.number_of_nodes()


def test_edge_evidence_is_the_claims_own(corpus_payload) -> None:
    p = corpus_payload
    j = _edge(p, KG + "ketamine", KGO + "antagonistOf", KG + "nmda_receptor")
    E, V = p["edges"], p["evidence"]
    rows = range(E["ev0"][j], E["ev0"][j] + E["evn"][j])
    assert E["evn"][j] >= 1 and E["docs"][j] == len({V["doc"][k] for k in rows})
    for k in rows:
        assert V["stext"][k].lower() in V["quote"][k].lower()
        assert V["otext"][k].lower() in V["quote"][k].lower()
        doc = p["documents"][V["doc"][k]]
        assert doc["title"] and doc["type"]


def test_negated_claims_are_flagged(corpus_graph, corpus_payload) -> None:
    negated = sum(
        1
        for *_, d in corpus_graph.edges(data=True)
        if d["negated"] and d["negated"] >= d["statements"]
    )
    flags = corpus_payload["edges"]["flags"]
    assert negated > 0
    assert sum(1 for f in flags if f & claims.NEGATED) == negated


def test_contested_claims_are_flagged_from_the_one_rule() -> None:
    # The explorer draws what kgraph.claims says (the edge's "contested"), it does not re-derive.
    g = nx.MultiDiGraph()
    for n in ("a", "b"):
        g.add_node(n, label=n, cls=KGO + "Compound")
    common = {"statements": 1, "documents": 1, "negated": 0, "hedged": 0, "levels": ["Review"]}
    g.add_edge(
        "a",
        "b",
        key=KGO + "increases",
        predicate=KGO + "increases",
        label="increases",
        contested=True,
        **common,
    )
    g.add_edge(
        "a", "b", key=KGO + "decreases", predicate=KGO + "decreases", label="decreases", **common
    )
    p = payload(g)
    assert [bool(f & claims.CONTESTED) for f in p["edges"]["flags"]] == [True, False]
    assert sorted(p["edges"]["curve"].values()) == [0.18, 0.36]  # parallel claims curve apart


def test_identifiers_carry_registry_links(corpus_payload) -> None:
    N = corpus_payload["nodes"]
    i = N["iri"].index(KG + "ketamine")
    assert ["MESH:D007649", "https://meshb.nlm.nih.gov/record/ui?ui=D007649"] in N["info"][i]["ids"]
    assert all(info["syn"] or info["ids"] or info["def"] for info in N["info"].values())


def test_large_graphs_start_still_without_edge_labels() -> None:
    g = nx.MultiDiGraph(nx.gnm_random_graph(400, 500, seed=1, directed=True))
    p = payload(g)
    assert p["meta"]["large"] and not p["meta"]["physics"] and p["meta"]["edgeLabels"]
    assert p["options"]["physics"]["enabled"] is False
    big = nx.MultiDiGraph(nx.gnm_random_graph(700, 1400, seed=1, directed=True))
    assert not payload(big)["meta"]["edgeLabels"]


NASTY = [
    "</script><script>window.__pwned=1</script>",
    "<!-- <script>",
    "<img src=x onerror=window.__pwned=1>",
    '<a href="javascript:window.__pwned=1">x</a>',
    "\u2028\u2029 & &amp; \\u003c",
]


@pytest.mark.parametrize("text", NASTY)
def test_json_payload_cannot_close_its_block(text: str) -> None:
    out = to_json({"label": text, "nested": [text, {"k": text}]})
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == {"label": text, "nested": [text, {"k": text}]}


def test_json_payload_never_writes_nan() -> None:
    try:
        out = to_json({"x": float("nan")})
    except ValueError:  # the standard library refuses; orjson writes null
        return
    assert json.loads(out) == {"x": None}


def test_vectorised_flags_match_the_rule(corpus_store, corpus_graph, corpus_payload) -> None:
    E, rels = corpus_payload["edges"], corpus_payload["relations"]
    contested = claims.contested_claims(corpus_store)
    iri = corpus_payload["nodes"]["iri"]
    for j in range(len(E["from"])):
        s, o, p = iri[E["from"][j]], iri[E["to"][j]], rels[E["rel"][j]]["iri"]
        d = corpus_graph.edges[s, o, p]
        expected = claims.claim_flags(
            d["statements"],
            d["negated"],
            d["hedged"],
            claims.is_preclinical_only(d["levels"]),
            (s, p, o) in contested,
        )
        assert E["flags"][j] == int(expected), (s, p, o)


def test_json_without_orjson_is_the_same(monkeypatch) -> None:
    data = {"label": NASTY, "n": [1, 2.5, None, True], "info": {"3": {"syn": ["é ✕ \u2028"]}}}
    fast = to_json(data)
    monkeypatch.setitem(__import__("sys").modules, "orjson", None)  # import fails: stdlib json
    slow = to_json(data)
    assert json.loads(fast) == json.loads(slow) == data
    assert "<" not in slow and "\u2028" not in slow


def test_physics_stays_off_above_the_small_size() -> None:
    """Positions come from Python; above layout.SMALL entities the page never simulates (even if
    asked), and it names the backbone its overview draws."""
    from kgraph.views.backbone import BACKBONE
    from kgraph.views.layout import SMALL

    small = nx.MultiDiGraph(nx.gnm_random_graph(50, 60, seed=1, directed=True))
    assert payload(small, physics=True)["meta"]["physics"] is True
    big = nx.MultiDiGraph(nx.gnm_random_graph(SMALL + 100, 800, seed=1, directed=True))
    p = payload(big, physics=True)
    assert p["meta"]["physics"] is False and p["options"]["physics"]["enabled"] is False
    assert len(p["meta"]["backbone"]) == BACKBONE
    assert payload(small)["meta"]["backbone"] == []


def test_claims_with_different_fields_read_like_one_at_a_time() -> None:
    """The columns are read in one pass when claims share their fields; a field only a later
    claim has, one a later claim lacks, a query view's claim without statements and a
    predicate given only as the edge key all come out as reading each claim on its own."""
    g = nx.MultiDiGraph()
    for v, label in (("a", "ketamine"), ("b", ""), ("c", "NMDA receptor")):
        g.add_node(KG + v, label=label, cls=KGO + "Compound")
    row = {
        "quote": "A blocks C.",
        "document": "doc:1",
        "level": "Preclinical",
        "certainty": "Asserted",
    }
    common = {"statements": 1, "documents": 1, "negated": 0, "hedged": 0, "levels": ["Preclinical"]}
    g.add_edge(KG + "a", KG + "c", key=KGO + "antagonistOf", predicate=KGO + "antagonistOf",
               label="antagonist of", evidence=[row], **common)  # fmt: skip
    g.add_edge(KG + "b", KG + "c", key=KGO + "increases", predicate=KGO + "increases",
               label="increases", evidence=[dict(row, note="see figure 2")],
               evidence_weight=0.75, why="one preclinical study", **common)  # fmt: skip
    g.add_edge(KG + "a", KG + "b", key=KGO + "treats", label="treats", evidence=None,
               statements=0, documents=0, negated=0, hedged=0, levels=["Review"])  # fmt: skip
    p = payload(g, title="mixed")
    E, N, ev = p["edges"], p["nodes"], p["evidence"]
    order = [(N["iri"][a], N["iri"][b]) for a, b in zip(E["from"], E["to"], strict=True)]
    assert order == [(s, o) for s, o, _ in g.edges(keys=True)]
    assert [p["relations"][r]["iri"] for r in E["rel"]] == [k for *_, k in g.edges(keys=True)]
    claims_ = [d for *_, d in g.edges(data=True)]  # a→c, a→b, b→c
    assert E["w"] == [d.get("evidence_weight") for d in claims_] == [None, None, 0.75]
    assert E["why"] == {2: "one preclinical study"}
    assert E["evn"] == E["stmts"] == [1, 0, 1]
    assert ev["note"] == {1: "see figure 2"} and ev["qual"] == {}  # statement rows: a→c, b→c
    assert N["label"] == ["ketamine", KG + "b", "NMDA receptor"]  # an empty label: its IRI
    review = next(k for k, x in enumerate(p["levels"]) if x["id"] == "Review")
    assert E["lv"] == {1: [review]}
