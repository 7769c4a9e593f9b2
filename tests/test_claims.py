"""The claim rules (kgraph.claims): one owner, and every surface agrees with it."""

from __future__ import annotations

import re
from pathlib import Path

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


# -- issue 13: the evidence weight ------------------------------------------------------------
S = claims.Statement


def test_clinic_only_ranks_below_a_research_overview_and_a_news_report() -> None:
    clinic = claims.claim_weight([S("clinic", "ClinicMarketingPage", "ClinicalPractice")])
    research = claims.claim_weight(
        [S("overview", "ResearchOverview", "Review"), S("news", "ScienceNews", "Review")]
    )
    assert clinic.value < research.value
    assert research.corroborated and not clinic.corroborated
    assert "marketing or opinion" in clinic.reason and "corroborated" in research.reason


def test_marketing_and_opinion_never_corroborate() -> None:
    many = [S(f"page{i}", "ClinicMarketingPage", "ClinicalPractice") for i in range(5)]
    many += [S(f"op{i}", "OpinionArticle", "Review") for i in range(5)]
    many += [S("news", "ScienceNews", "Opinion")]  # research source, but only an opinion
    w = claims.claim_weight(many)
    assert w.documents == 11 and w.research_documents == 0 and not w.corroborated


def test_a_document_counts_once() -> None:
    once = claims.claim_weight([S("a", "ScienceNews", "Review")])
    twice = claims.claim_weight([S("a", "ScienceNews", "Review"), S("a", "ScienceNews", "Review")])
    assert once == twice and once.documents == 1
    two = claims.claim_weight([S("a", "ScienceNews", "Review"), S("b", "ScienceNews", "Review")])
    assert two.value > once.value and two.documents == 2


def test_denial_lowers_the_weight_hedging_and_levels_count() -> None:
    base = [S("a", "ResearchOverview", "Review")]
    assert claims.claim_weight([*base, S("b", "OpinionArticle", "Opinion", negated=True)]).value < (
        claims.claim_weight(base).value
    )
    assert claims.statement_weight("ScienceNews", "Review", "Hedged") < claims.statement_weight(
        "ScienceNews", "Review", "Asserted"
    )
    assert claims.statement_weight("ScienceNews", "Preclinical", "Asserted") < (
        claims.statement_weight("ScienceNews", "ClinicalPhase3", "Asserted")
    )
    assert claims.claim_weight([S("a", "ScienceNews", "Review", negated=True)]).value == 0


def test_the_worked_example_in_the_ontology_readme_is_what_the_code_computes() -> None:
    readme = (Path(__file__).resolve().parents[1] / "ontology" / "README.md").read_text()
    section = readme.split("## Evidence weight of a claim")[1]
    w = claims.claim_weight(
        [
            S("overview", "ResearchOverview", "Review"),
            S("news", "ScienceNews", "ClinicalPhase2"),
            S("news", "ScienceNews", "Review", "Hedged"),
            S("opinion", "OpinionArticle", "Opinion", negated=True),
        ]
    )
    assert f"**{w.value:.2f}**" in section and w.reason in " ".join(section.split())
    for name, r in claims.SOURCE_RELIABILITY.items():
        assert re.search(rf"{name}[^|]*\| {r}", section), name
    clinic = claims.claim_weight([S("clinic", "ClinicMarketingPage", "ClinicalPractice")])
    assert f"**{clinic.value:.2f}**" in section


def test_corroborated_claims_query_agrees_with_the_weight(corpus_store) -> None:
    rows = run_named(corpus_store, "corroborated-claims").dicts()
    stored = claims.claim_weights(corpus_store)
    assert {str(r["claim"]) for r in rows} == {c for c, w in stored.items() if w.corroborated}
    for r in rows:
        assert "ClinicMarketingPage" != r["source_types"]
        w = stored[str(r["claim"])]
        assert (r["evidence_weight"], r["why"], r["research_documents"]) == (
            w.value,
            w.reason,
            w.research_documents,
        )


# -- issue 13: the weight is stored in the claim summary, computed once by claim_weight ------
def test_the_stored_weight_is_claim_weight_for_every_claim(corpus_store) -> None:
    stored = claims.claim_weights(corpus_store)
    fresh = claims.recomputed_weights(corpus_store)
    n_claims = len(
        corpus_store.query("SELECT ?c WHERE { ?c a <https://w3id.org/kgraph/ontology#Claim> }").rows
    )
    assert len(stored) == len(fresh) == n_claims > 100
    for c, w in stored.items():
        f = fresh[c]
        assert (w.value, w.reason, w.research_documents, w.corroborated) == (
            f.value,
            f.reason,
            f.research_documents,
            f.corroborated,
        ), c
    # stored as xsd:decimal in the canonical form a store writes back (builds are byte-stable)
    literals = corpus_store.query(
        "SELECT ?w WHERE { ?c <https://w3id.org/kgraph/ontology#evidenceWeight> ?w }"
    ).rows
    assert {r[0].datatype.value for r in literals} == {"http://www.w3.org/2001/XMLSchema#decimal"}
    assert all(r[0].value == claims.weight_text(float(r[0].value)) for r in literals)


def test_the_summary_keeps_what_claim_weight_needs_in_any_order() -> None:
    import random

    rng = random.Random(13)
    types, levels = list(claims.SOURCE_RELIABILITY), [None, *claims.LEVEL_FACTOR]
    for _ in range(300):
        statements = [
            S(
                f"d{rng.randrange(5)}",
                rng.choice(types),
                rng.choice(levels),
                rng.choice(["Asserted", "Hedged"]),
                rng.random() < 0.3,
            )
            for _ in range(rng.randrange(1, 12))
        ]
        expected = claims.claim_weight(statements)
        for _ in range(3):
            rng.shuffle(statements)
            tally = claims.WeightTally()
            for st in statements:
                tally.add(st)
            assert tally.weight() == expected == claims.claim_weight(statements)


def test_a_clinic_only_claim_ranks_below_an_overview_and_news_claim_by_the_stored_weight(
    corpus_store,
) -> None:
    only = corpus_store.query(
        """PREFIX kgo: <https://w3id.org/kgraph/ontology#>
        SELECT ?c (GROUP_CONCAT(STRAFTER(STR(?t), "#"); separator=" ") AS ?types) WHERE {
          ?c kgo:supportingSourceType ?t } GROUP BY ?c"""
    ).rows
    types = {r[0].value: set(r[1].value.split()) for r in only}
    clinic = {c for c, t in types.items() if t == {"ClinicMarketingPage"}}
    research = {c for c, t in types.items() if {"ResearchOverview", "ScienceNews"} <= t}
    assert clinic and research
    stored = claims.claim_weights(corpus_store)
    assert max(stored[c].value for c in clinic) < min(stored[c].value for c in research)
    rows = run_named(corpus_store, "corroborated-claims").dicts()
    ranked = [str(r["claim"]) for r in rows]
    assert research & set(ranked) and not clinic & set(ranked)
    assert all("marketing or opinion" in stored[c].reason for c in clinic)
    # the query ranks by the value stored in the claim summary, not by a recount
    assert [r["evidence_weight"] for r in rows] == [stored[c].value for c in ranked]
    assert ranked == sorted(ranked, key=lambda c: -stored[c].value)


def test_every_surface_reads_the_stored_weight(corpus_store) -> None:
    from kgraph.frames import claims as claims_frame
    from kgraph.graphs import to_networkx
    from kgraph.kgx_export import kgx

    stored = claims.claim_weights(corpus_store)
    heaviest = claims.weights(corpus_store)
    pairs = {(w.value, w.reason) for w in stored.values()}
    # the explorer's graph (line width and "why this weight")
    g = to_networkx(corpus_store)
    for s, o, p, data in g.edges(keys=True, data=True):
        w = heaviest[(s, p, o)]
        assert (data["evidence_weight"], data["why"], data["corroborated"]) == (
            w.value,
            w.reason,
            w.corroborated,
        )
    # the notebook's claims table, heaviest first
    df = claims_frame(corpus_store)
    assert list(df["evidence_weight"]) == sorted(df["evidence_weight"], reverse=True)
    for row in df.itertuples():
        assert row.evidence_weight == heaviest[(row.subject, row.predicate, row.object)].value
    # every KGX statement edge carries its claim's stored weight and reason
    _, edges = kgx(corpus_store)
    statements = [e for e in edges if e["predicate"] != "biolink:subclass_of"]
    assert statements
    assert all((e["kgo_evidence_weight"], e["kgo_weight_reason"]) in pairs for e in statements)


def test_the_explorer_draws_the_weight_and_says_why(corpus_store) -> None:
    p = payload(graph_of(corpus_store))
    assert all(w is None or 0 <= w <= 1 for w in p["edges"]["w"])
    assert len(p["edges"]["why"]) == len(p["edges"]["w"])
    assert all(
        text.split(":")[0] == f"{w:.2f}"
        for (j, text), w in zip(
            sorted(p["edges"]["why"].items()),
            [p["edges"]["w"][j] for j in sorted(p["edges"]["why"])],
            strict=True,
        )
    )


# -- issue 13: the one contradiction rule -----------------------------------------------------
def test_the_nmda_mediation_dispute_is_a_contest_everywhere(corpus_kg) -> None:
    df = corpus_kg.query("contested-claims")
    mediation = df[df["kind"] == "mediation"]
    assert "NMDA receptor" in set(mediation["mediator_label"])
    nmda = mediation[mediation["mediator_label"] == "NMDA receptor"]
    assert {"arketamine", "hydroxynorketamine"} & set(nmda["denied_subject"])
    disputed = claims.contested_claims(corpus_kg.store)
    ketamine = corpus_kg.resolve("ketamine")
    effect = corpus_kg.resolve("antidepressant effect")
    has_outcome = "https://w3id.org/kgraph/ontology#hasOutcome"
    assert (ketamine, has_outcome, effect) in disputed
    g = graph_of(corpus_kg.store)
    assert g.edges[ketamine, effect, has_outcome]["contested"]  # the explorer's ⚠
    contested = corpus_kg.claims(contested=True)  # the notebook
    assert ((contested["subject"] == ketamine) & (contested["object"] == effect)).any()


def test_the_false_contest_is_gone(corpus_kg) -> None:
    df = corpus_kg.query("contested-claims")
    treatment = corpus_kg.resolve("conventional antidepressant treatment")
    assert treatment not in set(df["s1"]) | set(df["s2"])
