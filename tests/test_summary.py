"""The claim summary's stored aggregates (kgraph.summary): the hedged supporting count, each
claim's example statements, and the statement-count bins, as a build writes them."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

import rdflib

from kgraph import load
from kgraph.build import build_store
from kgraph.claims import UNCORROBORATED_ORDER, _rank, weight_order
from kgraph.claims import Statement as Weighed
from kgraph.store import open_store
from kgraph.summary import ClaimKey, Summary
from kgraph.validate import validate_graph
from kgraph.vocab import GRAPH_DATA, KGO, corpus_dir

KEY = ClaimKey("kg:a", "kgo:p", "kg:b")
#: (document, source type, negated, certainty, level, statement IRI term): two supporting
#: statements tie for strongest (the smaller IRI wins), a hedged one is weaker, two deny.
STATEMENTS = [
    ("<d1>", "ScienceNews", False, "Asserted", "Review", "<kga:s3>"),
    ("<d2>", "ScienceNews", False, "Asserted", "Review", "<kga:s2>"),
    ("<d3>", "PeerReviewedArticle", False, "Hedged", "Preclinical", "<kga:s1>"),
    ("<d4>", "OpinionArticle", True, "Asserted", "Opinion", "<kga:s0>"),
    ("<d5>", "PeerReviewedArticle", True, "Asserted", "ClinicalPhase2", "<kga:s9>"),
]


def summarised(statements) -> Summary:
    s = Summary()
    for d, st, negated, certainty, level, statement in statements:
        s.tally(d, st, KEY, negated=negated, certainty=certainty, level=level, statement=statement)
    return s


def claim_values(lines: list[str], name: str) -> list[str]:
    return [x.split(" ")[2] for x in lines if x.split(" ")[1] == f"<{KGO}{name}>"]


def test_examples_do_not_depend_on_the_order_of_statements() -> None:
    outputs = {tuple(summarised(p).lines()) for p in itertools.permutations(STATEMENTS)}
    assert len(outputs) == 1
    (lines,) = outputs
    lines = list(lines)
    assert claim_values(lines, "exampleStatement") == ["<kga:s2>"]  # ties: the smaller IRI
    assert claim_values(lines, "exampleDenyingStatement") == ["<kga:s9>"]  # the stronger denial
    assert claim_values(lines, "hedgedSupportingStatementCount") == [
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    ]
    # the stronger by kgraph.claims._rank, whatever the IRIs say
    ranks = {x[5]: _rank(Weighed(x[0], x[1], x[4], x[3], x[2])) for x in STATEMENTS}
    assert ranks["<kga:s9>"] > ranks["<kga:s0>"] and ranks["<kga:s2>"] > ranks["<kga:s1>"]


def test_no_example_without_a_statement_on_that_side() -> None:
    lines = list(summarised(STATEMENTS[:3]).lines())
    assert claim_values(lines, "exampleDenyingStatement") == []
    assert len(claim_values(lines, "exampleStatement")) == 1
    lines = list(summarised(STATEMENTS[3:]).lines())
    assert claim_values(lines, "exampleStatement") == []
    assert claim_values(lines, "hedgedSupportingStatementCount") == [
        '"0"^^<http://www.w3.org/2001/XMLSchema#integer>'
    ]


def test_bins_count_documents_by_their_statements() -> None:
    s = summarised([*STATEMENTS, ("<d1>", "ScienceNews", False, "Hedged", None, "<kga:s7>")])
    s.question("<d6>", "ScienceNews")  # a document with no statement: the bin of 0
    lines = list(s.lines())
    bins = {
        int(n.split('"')[1]): int(m.split('"')[1])
        for n, m in zip(
            claim_values(lines, "binStatementCount"),
            claim_values(lines, "documentCount"),
            strict=True,
        )
    }
    assert bins == {0: 1, 1: 4, 2: 1}


BINS = """PREFIX kgo: <https://w3id.org/kgraph/ontology#>
SELECT ?n ?m WHERE { ?b a kgo:StatementCountBin ; kgo:binStatementCount ?n ; kgo:documentCount ?m }"""
FRESH = """PREFIX kgo: <https://w3id.org/kgraph/ontology#>
SELECT ?n (COUNT(?d) AS ?m) WHERE { ?d a kgo:Document ; kgo:statementCount ?n } GROUP BY ?n"""


def bins(store, sparql: str = BINS) -> dict[int, int]:
    return {int(n.value): int(m.value) for n, m in store.query(sparql).rows}


ABOVE = """PREFIX kgo: <https://w3id.org/kgraph/ontology#>
SELECT ?n ?a WHERE { ?b kgo:binStatementCount ?n ; kgo:documentsAbove ?a }"""


def assert_bins_are_fresh(store) -> None:
    """The stored bins equal a fresh count of the documents' kgo:statementCount values, and each
    says how many documents make more statements."""
    fresh = bins(store, FRESH)
    assert bins(store) == fresh != {}
    assert bins(store, ABOVE) == {n: sum(m for k, m in fresh.items() if k > n) for n in fresh}


def test_bundled_corpus_bins_and_examples() -> None:
    store = load().store
    assert_bins_are_fresh(store)
    # every claim with a supporting statement has an example, the strongest of them
    rows = store.query("""PREFIX kgo: <https://w3id.org/kgraph/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?c ?s ?doc ?st ?level ?certainty ?example WHERE {
          ?s kgo:aboutClaim ?c ; kgo:negated false ; kgo:certainty ?certainty ;
             prov:wasDerivedFrom ?doc . ?doc kgo:sourceType ?st
          OPTIONAL { ?s kgo:evidenceLevel ?level }
          OPTIONAL { ?c kgo:exampleStatement ?example } }""").rows
    best: dict[str, tuple] = {}
    local = lambda t: None if t is None else t.value.rpartition("#")[2]  # noqa: E731
    for c, s, doc, st, level, certainty, example in rows:
        assert example is not None, f"claim {c.value} has no example"
        rank = _rank(Weighed(doc.value, local(st), local(level), local(certainty)))
        key = (rank, tuple(-ord(ch) for ch in s.value))
        if c.value not in best or key > best[c.value][0]:
            best[c.value] = (key, s.value, example.value)
    assert len(best) > 100
    assert all(s == example for _, s, example in best.values())


def test_build_order_does_not_change_the_summary(tmp_path: Path) -> None:
    """The same inputs in another order: the same examples (the same graph)."""
    pubtator = Path(__file__).parent / "data" / "pubtator" / "handmade.PubTator.txt"
    graphs = []
    for i, sources in enumerate(([corpus_dir(), pubtator], [pubtator, corpus_dir()])):
        store = open_store(tmp_path / f"s{i}")
        build_store(store, sources, lenient=True, validate=False)
        lines = store.dump("nq").decode().splitlines()
        graphs.append(sorted(x for x in lines if x.endswith(f"<{GRAPH_DATA}> .")))
    assert graphs[0] == graphs[1]
    assert any(f"<{KGO}exampleStatement>" in x for x in graphs[0])


def test_shapes_catch_a_wrong_or_missing_example() -> None:
    g = rdflib.Graph()
    g.parse(data=load().store.dump("nt"), format="nt")
    missing, wrong = sorted(g.subjects(KGO.exampleStatement, None))[:2]
    g.remove((missing, KGO.exampleStatement, None))
    g.remove((wrong, KGO.exampleStatement, None))
    denial = next(g.subjects(KGO.negated, rdflib.Literal(True)))
    g.add((wrong, KGO.exampleStatement, denial))  # a denying statement (of another claim)
    binned = next(g.subjects(KGO.binStatementCount, None))
    g.set((binned, KGO.documentCount, rdflib.Literal(0)))  # a bin of no document
    report = validate_graph(g)
    example = (
        "A claim's kgo:exampleStatement is one of its supporting statements (about the claim, "
        "not negated), and a claim with a supporting statement has one."
    )
    assert {v.focus for v in report.violations if v.message == example} == {
        f"kga:{x.rpartition('/')[2]}" for x in (missing, wrong)
    }
    assert [v.focus for v in report.violations if v.path == "kgo:documentCount"] == [
        f"kga:{binned.rpartition('/')[2]}"
    ]


def test_weight_order_ranks_claims_as_their_stored_weights_do() -> None:
    """``kgo:weightOrder`` (one integer) sorts the claims exactly as the stored weight, research
    documents and IRI do (corroborated first); the queries that cut at 100 rely on it."""
    store = load().store
    rows = store.query("""PREFIX kgo: <https://w3id.org/kgraph/ontology#>
        SELECT ?c ?w ?n ?order WHERE { ?c a kgo:Claim ; kgo:evidenceWeight ?w ;
          kgo:researchDocumentCount ?n ; kgo:weightOrder ?order }""").rows
    claims = {c.value: (Decimal(w.value), int(n.value), int(o.value)) for c, w, n, o in rows}
    assert len(claims) == len(
        store.query("""PREFIX kgo: <https://w3id.org/kgraph/ontology#>
        SELECT ?c WHERE { ?c a kgo:Claim }""").rows
    )  # every claim has one
    by_order = sorted(claims, key=lambda c: (claims[c][2], c))
    by_values = sorted(claims, key=lambda c: (claims[c][1] < 2, -claims[c][0], -claims[c][1], c))
    assert by_order == by_values
    assert {claims[c][2] < UNCORROBORATED_ORDER for c in claims} == {True, False}
    for c, (w, n, order) in claims.items():
        assert weight_order(str(w), n, f"<{c}>") == order


def test_weight_order_stays_an_exact_integer_everywhere() -> None:
    """The largest order a claim can have (uncorroborated, weight 0, the last IRI) is below
    2**50: exact as a double, and an xsd:integer in every store (Virtuoso 7.2 loaded the orders
    of 2**52 or more as xsd:decimal, so the dump of a served store differed from the build's)."""
    last = "<https://w3id.org/kgraph/assertion/claim-ffffffffffffffffffffffff>"
    top = weight_order("0", 0, last)
    assert UNCORROBORATED_ORDER <= top < 2**50
    assert weight_order("1", 2**30, last) < UNCORROBORATED_ORDER  # research documents capped
