"""The claim rules (kgraph.claims): one owner, and every surface agrees with it."""

from __future__ import annotations

import pytest

from kgraph import claims
from kgraph.claims import CONTESTED, DASHED, HEDGED, NEGATED, PRECLINICAL_ONLY
from kgraph.queries import run_named
from kgraph.views import graph_of
from kgraph.views.network import payload


@pytest.mark.parametrize(
    ("stmts", "neg", "hedged", "levels", "contested", "expected"),
    [
        (2, 0, 0, ["Review"], False, 0),
        (1, 1, 0, ["Opinion"], False, NEGATED),
        (1, 1, 0, ["Opinion"], True, NEGATED),  # wholly denied stays denied
        (3, 1, 0, ["Opinion"], True, CONTESTED),
        (3, 1, 0, ["Opinion"], False, 0),  # one document asserting and denying is no contest
        (2, 0, 0, ["Review"], True, CONTESTED),
        (2, 0, 2, ["ClinicalStudy"], False, HEDGED | DASHED),
        (2, 0, 1, ["ClinicalStudy"], False, 0),
        (1, 0, 0, ["Preclinical"], False, PRECLINICAL_ONLY | DASHED),
        (2, 0, 0, ["ClinicalStudy", "Preclinical"], False, 0),
    ],
)
def test_claim_flags(stmts, neg, hedged, levels, contested, expected) -> None:
    got = claims.claim_flags(stmts, neg, hedged, claims.is_preclinical_only(levels), contested)
    assert int(got) == expected


def test_statement_rules() -> None:
    assert claims.is_firm("Asserted", "ClinicalPhase2")
    assert not claims.is_firm("Hedged", "ClinicalPhase2")
    assert not claims.is_firm("Asserted", "Preclinical")
    assert not claims.is_firm("Asserted", "ClinicalPhase2", negated=True)
    assert claims.is_research("ResearchOverview", "Review")
    assert not claims.is_research("ClinicMarketingPage", "ClinicalPractice")
    assert not claims.is_research("ScienceNews", "Opinion")
    assert claims.direct_triple(negated=False)
    for kind in ({"negated": True}, {"question": True}, {"proposed": True}, {"rejected": True}):
        assert not claims.direct_triple(**{"negated": False, **kind})
    assert not claims.direct_triple(negated=False, comparison="Less")
    assert claims.direct_triple(negated=False, comparison="More")
    assert claims.direct_triple(negated=False, proposed=True, include_proposed=True)


def test_explorer_query_and_notebook_agree_on_contests(corpus_store, corpus_kg) -> None:
    rows = run_named(corpus_store, "contested-claims").dicts()
    from_query = {(str(r[s]), str(r["p"]), str(r["o"])) for r in rows for s in ("s1", "s2")}
    assert from_query == claims.contested_claims(corpus_store)
    g = graph_of(corpus_store)
    p = payload(g)
    iri, rels = p["nodes"]["iri"], p["relations"]
    marked = set()
    for j, flags in enumerate(p["edges"]["flags"]):
        if flags & (CONTESTED | NEGATED):
            s, o = iri[p["edges"]["from"][j]], iri[p["edges"]["to"][j]]
            if (s, rels[p["edges"]["rel"][j]]["iri"], o) in from_query:
                marked.add((s, rels[p["edges"]["rel"][j]]["iri"], o))
    assert marked == from_query  # every side of every contest is marked (⚠, or ✕ if all deny)
    explorer_contested = {
        (iri[p["edges"]["from"][j]], rels[p["edges"]["rel"][j]]["iri"], iri[p["edges"]["to"][j]])
        for j, f in enumerate(p["edges"]["flags"])
        if f & CONTESTED
    }
    assert explorer_contested <= from_query
    df = corpus_kg.claims(contested=True)
    assert set(zip(df["subject"], df["predicate"], df["object"], strict=True)) == from_query
