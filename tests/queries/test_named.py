"""Every named query, run on the bundled corpus, returns the rows the corpus implies.

Each query has its own test below (``test_every_named_query_is_tested`` fails when one is added
without a test); the expected rows come from reading ``corpus/*.ann``. A second group checks the
``.rq`` files themselves (headers, declared parameters used) and that the README lists them all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from kgraph.errors import KGraphError
from kgraph.queries import bindings, markdown_table, named_queries, parse_named_query, run_named

ROOT = Path(__file__).resolve().parents[2]
CLINIC = "Ketamine: A New Hope for Treatment-Resistant Depression"
OVERVIEW = "The State of Ketamine Research"
BLOG = "Ketamine: The Surprising New Hope for Depression? (2026)"
NEWS = "How ketamine helps depression quickly and over time"

TESTED: set[str] = set()


def _for_query(name: str):
    """Mark a test as the one for the named query ``name``."""
    TESTED.add(name)
    return lambda f: f


def rows(store, name: str, **params) -> list[dict]:
    return run_named(store, name, **params).dicts()


def triples(found: list[dict], s="subject_label", p="predicate_label", o="object_label"):
    return {(r[s], r[p], r[o]) for r in found}


@_for_query("mechanism-chains")
def test_mechanism_chains(corpus_store):
    arketamine = {r["chain"] for r in rows(corpus_store, "mechanism-chains", compound="arketamine")}
    assert "arketamine —involved in→ BDNF–TrkB signaling" in arketamine
    assert "arketamine —increases→ AMPA receptor —involved in→ synaptogenesis" in arketamine
    assert "arketamine —has outcome→ antidepressant effect" in arketamine
    # a chain goes on from a receptor, so the one-hop prefix is not listed on its own
    assert "arketamine —increases→ AMPA receptor" not in arketamine
    # "without strong NMDA receptor blockade" is a weak antagonist, which is still a link
    assert "arketamine —antagonist of→ NMDA receptor" in arketamine

    ketamine = rows(corpus_store, "mechanism-chains", compound="kg:ketamine")
    chains = {r["chain"]: r for r in ketamine}
    three = (
        "ketamine —metabolized to→ hydroxynorketamine —increases→ AMPA receptor "
        "—involved in→ synaptogenesis"
    )
    assert chains[three]["hops"] == 3 and chains[three]["end_label"] == "synaptogenesis"
    assert chains["ketamine —antagonist of→ NMDA receptor"]["end_class"] == "receptor"
    # the news report ties ketamine's long-term effect to the hippocampus: a one-hop link only
    assert [c for c in chains if "hippocampus" in c] == ["ketamine —acts in→ hippocampus"]
    # issue 13: mechanistic relations only, so an association is never a link
    assert not any("associated with" in c for c in chains)
    assert "ketamine —increases→ adult-born neuron" in chains
    assert all(1 <= r["hops"] <= 4 for r in ketamine)
    through = rows(corpus_store, "mechanism-chains", compound="ketamine", through="AMPA receptor")
    assert through and all("AMPA receptor" in r["chain"] for r in through)
    assert {r["chain"] for r in through} < set(chains)


@_for_query("evidence-for-edge")
def test_evidence_for_edge(corpus_store):
    found = rows(corpus_store, "evidence-for-edge", subject="ketamine", object="NMDA receptor")
    assert {(r["title"], r["level"], r["negated"]) for r in found} == {
        (CLINIC, "Opinion", False),
        (OVERVIEW, "Review", False),
    }
    clinic = next(r for r in found if r["title"] == CLINIC)
    assert clinic["quote"].startswith("Ketamine blocks NMDA receptors")
    assert clinic["source_type"] == "ClinicMarketingPage" and clinic["start"] < clinic["end"]
    # either direction; arketamine acts "without strong blockade": a weak antagonist, not a denied one
    weak = rows(
        corpus_store,
        "evidence-for-edge",
        subject="NMDA receptor",
        object="arketamine",
        predicate="antagonistOf",
    )
    assert len(weak) == 1
    assert weak[0]["negated"] is False and weak[0]["certainty"] == "Hedged"
    assert weak[0]["level"] == "Preclinical" and "without strong blockade" in weak[0]["quote"]
    other = rows(
        corpus_store,
        "evidence-for-edge",
        subject="ketamine",
        object="NMDA receptor",
        predicate="agonistOf",
    )
    assert other == []


@_for_query("contested-claims")
def test_contested_claims(corpus_store):
    found = rows(corpus_store, "contested-claims")
    pairs = {
        (
            r["predicate_label"],
            r["object_label"],
            r["asserted_subject"],
            r["denied_subject"],
            r["relation"],
        )
        for r in found
    }
    # no false contests (corpus/REVIEW.md): partial non-response to standard treatment is not "does
    # not treat"; arketamine is a weak NMDA antagonist, not a denied one; "without ketamine's side
    # effects" is a comparison with ketamine, not a denial that disagrees with it
    assert ("treats", "depression", "conventional antidepressant treatment") not in {
        p[:3] for p in pairs
    }
    assert not any(p[1] == "NMDA receptor" for p in pairs)
    assert not any(p[1] == "side effect" for p in pairs)
    assert all(r["asserted_by"] != r["denied_by"] for r in found)
    # one row per contest
    assert len(found) == len({(r["s1"], r["s2"], r["p"], r["o"]) for r in found})
    only = rows(corpus_store, "contested-claims", entity="arketamine")
    assert all("arketamine" in (r["asserted_subject"], r["denied_subject"]) for r in only)


@_for_query("hedged-or-preclinical-only")
def test_hedged_or_preclinical_only(corpus_store):
    found = triples(rows(corpus_store, "hedged-or-preclinical-only"))
    assert ("arketamine", "involved in", "BDNF–TrkB signaling") in found
    assert ("hydroxynorketamine", "increases", "AMPA receptor") in found  # asserted, preclinical
    assert ("ketamine", "acts in", "hippocampus") in found
    assert ("inflammatory markers", "predicts response to", "ketamine") in found  # hedged, clinical
    # firmly asserted on human evidence somewhere: not listed
    assert ("ketamine", "treats", "depression") not in found
    assert ("ketamine", "antagonist of", "NMDA receptor") not in found
    arketamine = rows(corpus_store, "hedged-or-preclinical-only", subject="arketamine")
    assert {r["object_label"] for r in arketamine} == {
        "BDNF–TrkB signaling",
        "AMPA receptor",
        "NMDA receptor",
        "antidepressant effect",
        "dissociation",
        "side effect",
        "sustained antidepressant effect",
    }
    by = {r["object_label"]: r for r in arketamine}
    assert by["BDNF–TrkB signaling"]["levels"] == "Preclinical"
    assert all(r["statements"] >= r["documents"] >= 1 for r in arketamine)
    crp = next(r for r in rows(corpus_store, "hedged-or-preclinical-only")
               if r["subject_label"] == "inflammatory markers")  # fmt: skip
    assert (crp["statements"], crp["documents"]) == (1, 1)


@_for_query("opinion-only-claims")
def test_opinion_only_claims(corpus_store):
    found = rows(corpus_store, "opinion-only-claims")
    claims = triples(found)
    assert ("ketamine", "has outcome", "mental reset") in claims
    assert ("dissociation", "increases", "mental reset") in claims
    # backed by the research overview as well: not opinion-only
    assert ("ketamine", "antagonist of", "NMDA receptor") not in claims
    assert ("ketamine", "member of", "rapid-acting antidepressant") not in claims
    clinic = rows(corpus_store, "opinion-only-claims", source_type="ClinicMarketingPage")
    # every source of these is the clinic page, so the strongest statement is the clinic's too
    assert clinic and all(r["source"] == CLINIC for r in clinic)
    assert all(r["source_types"] == "ClinicMarketingPage" for r in clinic)
    assert ("ketamine", "has outcome", "mental reset") in triples(clinic)
    assert ("ketamine", "antagonist of", "NMDA receptor") not in triples(clinic)
    reset = next(r for r in clinic if r["object_label"] == "mental reset")
    assert (reset["statements"], reset["documents"]) == (1, 1)
    # the quote is a sentence of the example's own document
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "corpus").glob("*.txt")}
    assert reset["quote"] and reset["quote"] in texts["clinic-ketamine-trd-new-hope"]
    titles = {CLINIC, OVERVIEW, BLOG, NEWS}
    assert all(r["source"] in titles and r["quote"] for r in found)
    assert all(
        set(r["source_types"].split(", "))
        <= {"ClinicMarketingPage", "OpinionArticle", "ResearchOverview", "ScienceNews"}
        for r in found
    )
    # a qualified claim is its own row with its qualifiers and its own documents: the clinic's
    # "ketamine treats depression through glutamate signalling" is not the bare claim, which
    # three documents back
    treats = [r for r in found if triples([r]) == {("ketamine", "treats", "depression")}]
    assert [(r["mediation"], r["mediator_label"], r["documents"], r["source"]) for r in treats] == [
        ("Through", "glutamate signaling", 1, CLINIC)
    ]


@_for_query("compounds-by-target")
def test_compounds_by_target(corpus_store):
    nmda = rows(corpus_store, "compounds-by-target", target="NMDA receptor")
    actions = {(r["compound_label"], r["action"], r["supporting"], r["denying"]) for r in nmda}
    # arketamine is a weak antagonist (overview); no source denies NMDA binding by hydroxynorketamine
    assert actions == {
        ("ketamine", "antagonist of", 2, 0),
        ("arketamine", "antagonist of", 1, 0),
        ("NMDA receptor modulator", "molecularly interacts with", 1, 0),
    }
    everything = rows(corpus_store, "compounds-by-target")
    ampa = {r["compound_label"] for r in everything if r["target_label"] == "AMPA receptor"}
    assert ampa == {"AMPAkine", "arketamine", "hydroxynorketamine"}
    ketamine = next(r for r in nmda if r["compound_label"] == "ketamine")
    assert (ketamine["supporting_documents"], ketamine["denying_documents"]) == (2, 0)
    assert set(ketamine["levels"].split(", ")) == {"Review", "Opinion"}
    assert next(r for r in nmda if r["compound_label"] == "arketamine")["levels"] == "Preclinical"


@_for_query("outcomes-by-compound")
def test_outcomes_by_compound(corpus_store):
    found = rows(corpus_store, "outcomes-by-compound", compound="ketamine")
    by: dict = {}
    for r in found:  # a qualified claim (through a mediator, more than X) is a row of its own
        key = (r["outcome_kind"], r["outcome_label"])
        if key not in by or r["supporting_documents"] > by[key]["supporting_documents"]:
            by[key] = r
    assert by[("therapeutic", "rapid antidepressant effect")]["supporting_documents"] == 4
    # ketamine's dissociation: the opinion piece (clinic use, injection) and the clinic page; the
    # overview names ketamine only as the comparator of arketamine's lesser dissociation
    dissociation = by[("adverse", "dissociation")]
    assert dissociation["supporting"] == 3 and dissociation["denying"] == 0
    assert (dissociation["supporting_documents"], dissociation["denying_documents"]) == (2, 0)
    assert {"intravenous", "oral"} <= set(dissociation["compound_routes"].split(", "))
    # the overview denies, hedged, the recreational-abuse harms in therapeutic use: never that
    # ketamine has no severe adverse effects
    assert not any(r["denying"] for r in found)
    therapeutic = rows(corpus_store, "outcomes-by-compound", compound="therapeutic ketamine use")
    harms = next(r for r in therapeutic if r["outcome_label"].startswith("severe harms"))
    assert (harms["supporting"], harms["denying"], harms["levels"]) == (0, 1, "(none)")
    # every supporting statement is hedged or asserted, and the counts say which
    assert all(r["hedged"] + r["asserted"] == r["supporting"] for r in found)
    assert by[("therapeutic", "rapid antidepressant effect")]["asserted"] >= 1
    arketamine = rows(corpus_store, "outcomes-by-compound", compound="arketamine")
    similar = next(r for r in arketamine if r["comparison"] == "Similar")
    assert (similar["hedged"], similar["asserted"]) == (1, 0)  # "if larger trials confirm"
    assert by[("adverse", "bladder toxicity")]["levels"] == "Observational"
    adverse = rows(corpus_store, "outcomes-by-compound", kind="adverse")
    assert {r["outcome_kind"] for r in adverse} == {"adverse"}
    r107 = next(r for r in adverse if r["compound_label"] == "R-107")
    # R-107 is designed to cause less dissociation than ketamine by other routes, not to treat it
    assert (r107["effect"], r107["outcome_label"], r107["compound_routes"]) == (
        "has adverse effect",
        "dissociation",
        "oral",
    )


@_for_query("biomarkers-of-response")
def test_biomarkers_of_response(corpus_store):
    found = rows(corpus_store, "biomarkers-of-response", compound="ketamine")
    by = {r["biomarker_label"]: r for r in found}
    assert {"baseline BDNF level", "inflammatory markers"} <= set(by)
    inflammation = by["inflammatory markers"]
    assert inflammation["hedged"] == 1 and inflammation["supporting"] == 1
    assert (inflammation["supporting_documents"], inflammation["denying_documents"]) == (1, 0)
    # the quote: the sentence of the claim's one statement, in the overview
    overview = (ROOT / "corpus" / "state-of-ketamine-research-2025.txt").read_text(encoding="utf-8")
    assert inflammation["quote"] and inflammation["quote"] in overview
    assert "inflammation" in inflammation["quote"].lower()
    # C-reactive protein measures the inflammation; metabolomic and genetic markers are still
    # research questions ("being explored", "examining whether"), not claims
    questions = {"C-reactive protein", "metabolomic signature", "ketamine response biomarker"}
    assert not questions & set(by)
    connectivity = by["prefrontal–anterior cingulate connectivity"]
    assert set(connectivity["regions"].split(", ")) == {
        "prefrontal cortex",
        "anterior cingulate cortex",
    }
    assert connectivity["supporting"] == 1


@_for_query("document-contributions")
def test_document_contributions(corpus_store):
    found = rows(corpus_store, "document-contributions")
    by = {r["title"]: r for r in found}
    assert set(by) == {CLINIC, OVERVIEW, BLOG, NEWS}
    assert by[CLINIC]["source_type"] == "ClinicMarketingPage"
    assert by[CLINIC]["publisher"] == "Therapeutic Infusions"
    assert by[CLINIC]["levels"] == "Opinion"
    assert by[OVERVIEW]["source_type"] == "ResearchOverview"
    assert by[NEWS]["source_type"] == "ScienceNews"
    assert by[BLOG]["source_type"] == "OpinionArticle"
    ann = {p.stem: p.read_text() for p in (ROOT / "corpus").glob("*.ann")}
    # claim relations: not the comparator/mediator links, not research questions
    relations = {
        k: len(re.findall(r"^R\d+\t(?!comparator |mediator )", v, re.M))
        - len(re.findall(r"^A\d+\tResearchQuestion ", v, re.M))
        for k, v in ann.items()
    }
    assert by[CLINIC]["assertions"] == relations["clinic-ketamine-trd-new-hope"]
    assert by[OVERVIEW]["assertions"] == relations["state-of-ketamine-research-2025"]
    negated = {k: len(re.findall(r"^A\d+\tNegated ", v, re.M)) for k, v in ann.items()}
    assert by[CLINIC]["negated"] == negated["clinic-ketamine-trd-new-hope"]
    assert all(0 < r["unique_claims"] <= r["assertions"] and r["entities"] > 0 for r in found)
    assert by[OVERVIEW]["unique_claims"] == 62 and by[NEWS]["hedged"] == 7
    # most statements first
    assert [r["title"] for r in found] == [OVERVIEW, BLOG, CLINIC, NEWS]
    news = rows(corpus_store, "document-contributions", type="ScienceNews")
    assert [r["title"] for r in news] == [NEWS]


@_for_query("claims-about")
def test_claims_about(corpus_store):
    found = rows(corpus_store, "claims-about", entity="arketamine")
    by = {(r["predicate_label"], r["object_label"]): r for r in found}
    # a weak antagonist ("without strong NMDA receptor blockade"), not a denied one, said hedged
    weak = by[("antagonist of", "NMDA receptor")]
    assert (weak["supporting"], weak["denying"], weak["hedged"], weak["degree"]) == (
        1,
        0,
        1,
        "Weak",
    )
    assert (weak["supporting_documents"], weak["denying_documents"]) == (1, 0)
    assert by[("involved in", "BDNF–TrkB signaling")]["levels"] == "Preclinical"
    assert by[("enantiomer of", "ketamine")]["subject_label"] == "arketamine"
    assert all("arketamine" in (r["subject_label"], r["object_label"]) for r in found)
    assert len({r["claim"] for r in found}) == len(found)  # one row per claim


def test_claims_about_counts_every_statement_once(corpus_kg):
    """The stored counts add up to the statements themselves (read here from kg.evidence):
    each statement about ketamine is counted in its claim, once, on its side, hedged or not."""
    found = rows(corpus_kg.store, "claims-about", entity="ketamine")
    statements = pd.concat([corpus_kg.evidence("ketamine"), corpus_kg.evidence(None, "ketamine")])
    statements = statements.drop_duplicates("assertion")
    asserting = statements[~statements["negated"].astype(bool)]
    assert sum(r["supporting"] for r in found) == len(asserting)
    assert sum(r["denying"] for r in found) == len(statements) - len(asserting)
    assert sum(r["hedged"] for r in found) == int((asserting["certainty"] == "Hedged").sum()) > 0


@_for_query("corroborated-claims")
def test_corroborated_claims(corpus_store):
    found = rows(corpus_store, "corroborated-claims")
    by = {(r["subject_label"], r["predicate_label"], r["object_label"]): r for r in found}
    assert by[("ketamine", "treats", "depression")]["documents"] == 3
    assert by[("ketamine", "has outcome", "rapid antidepressant effect")]["documents"] == 4
    # issue 13: two documents, but one is the clinic's marketing page: one research document,
    # so not corroborated (marketing and opinion never corroborate)
    assert ("ketamine", "antagonist of", "NMDA receptor") not in by
    assert all(r["research_documents"] >= 2 and r["documents"] >= 2 for r in found)
    ranks = [(r["evidence_weight"], r["research_documents"], r["documents"]) for r in found]
    assert ranks == sorted(ranks, reverse=True)  # ranked by the stored evidence weight
    assert all(r["why"].startswith(f"{r['evidence_weight']:.2f}: ") for r in found)
    assert set(by[("ketamine", "treats", "depression")]["source_types"].split(", ")) == {
        "OpinionArticle",
        "ResearchOverview",
        "ScienceNews",
    }
    three = triples(rows(corpus_store, "corroborated-claims", min_documents=3))
    assert all(by[t]["research_documents"] >= 3 for t in three)
    assert len(found) <= 100  # the cut


@_for_query("treatments-for-condition")
def test_treatments_for_condition(corpus_store):
    found = rows(corpus_store, "treatments-for-condition", condition="depression")
    by = {(r["treatment_label"], r["relation"], r["mediator_label"]): r for r in found}
    # one row per claim: the bare claim (the overview, the news report, the opinion piece) and the
    # clinic's "through glutamate signalling" apart
    bare = by[("ketamine", "treats", None)]
    assert (bare["supporting"], bare["supporting_documents"], bare["hedged"]) == (3, 3, 0)
    assert set(bare["levels"].split(", ")) == {"Review", "ClinicalStudy", "ClinicalPractice"}
    through = by[("ketamine", "treats", "glutamate signaling")]
    assert (through["mediation"], through["supporting_documents"]) == ("Through", 1)
    assert by[("arketamine", "studied for", None)]["levels"] == "ClinicalPhase2"
    conventional = by[("conventional antidepressant treatment", "treats", None)]
    # partial non-response is not "does not treat" (the false contest is gone)
    assert (conventional["supporting"], conventional["denying"], conventional["hedged"]) == (
        1,
        0,
        1,
    )
    trd = rows(corpus_store, "treatments-for-condition", condition="treatment-resistant depression")
    assert ("R-107", "studied for") in {(r["treatment_label"], r["relation"]) for r in trd}


@_for_query("routes-and-doses")
def test_routes_and_doses(corpus_store):
    found = rows(corpus_store, "routes-and-doses", compound="ketamine")
    routes = {r["value_label"] for r in found if r["given_as"] == "route"}
    assert {"intravenous", "intranasal", "intramuscular", "sublingual", "oral"} <= routes
    doses = {r["value_label"]: r for r in found if r["given_as"] == "dose"}
    assert doses["0.5 mg/kg over 40 minutes"]["levels"] == "ClinicalPractice"
    assert doses["0.5 mg/kg over 40 minutes"]["source"] == OVERVIEW
    assert doses["0.5 mg/kg over 40 minutes"]["supporting_documents"] == 1
    # "injection" only in the opinion piece: its strongest (only) statement is from there
    assert {r["value_label"]: r["source"] for r in found}["injection"] == BLOG
    everyone = rows(corpus_store, "routes-and-doses")
    assert ("R-107", "route", "oral") in {
        (r["compound_label"], r["given_as"], r["value_label"]) for r in everyone
    }


@_for_query("metabolism")
def test_metabolism(corpus_store):
    found = rows(corpus_store, "metabolism", compound="ketamine")
    related = {(r["relation"], r["related_label"]) for r in found}
    assert {
        ("metabolite", "hydroxynorketamine"),
        ("enzyme", "CYP2B6"),
        ("enzyme", "CYP3A4"),
        ("enantiomer", "arketamine"),
        ("enantiomer", "esketamine"),
    } <= related
    hnk = next(r for r in found if r["related_label"] == "hydroxynorketamine")
    assert "increases AMPA receptor" in hnk["related_effects"]
    back = rows(corpus_store, "metabolism", compound="arketamine")
    assert ("enantiomer of", "ketamine") in {(r["relation"], r["related_label"]) for r in back}


# -- the queries as files ----------------------------------------------------------------------


def test_every_named_query_is_tested():
    assert set(named_queries()) == TESTED


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_header_and_params(name):
    q = named_queries()[name]
    assert q.title and q.description and not q.description.endswith(",")
    body = "\n".join(line for line in q.text.splitlines() if not line.lstrip().startswith("#"))
    for p in q.params:
        assert re.search(rf"[?$]{p.name}\b", body), f"{name}: ?{p.name} is declared but unused"
        assert p.description, f"{name}: parameter {p.name} has no description"
    # every prefix the query uses is declared, so it runs on any SPARQL endpoint
    declared = set(re.findall(r"^PREFIX\s+(\w*):", body, re.M))
    used = set(re.findall(r"(?<![\w<?$#])([a-z]+):\w", re.sub(r"<[^>]*>|\"[^\"]*\"", "", body)))
    assert used <= declared, f"{name}: undeclared prefixes {used - declared}"


def test_header_problems_are_reported():
    with pytest.raises(KGraphError, match="no '# title:'"):
        parse_named_query("x", "# description: d\nSELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(KGraphError, match="no '# description:'"):
        parse_named_query("x", "# title: t\nSELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(KGraphError, match="no known type"):
        parse_named_query("x", "# title: t\n# description: d\n# param: a (thing) — b\nASK {}")
    with pytest.raises(KGraphError, match="cannot read"):
        parse_named_query("x", "# title: t\n# description: d\n# param: a — b\nASK {}")


def test_parameter_errors(corpus_store):
    with pytest.raises(KGraphError, match="needs --param compound"):
        run_named(corpus_store, "mechanism-chains")
    with pytest.raises(KGraphError, match="has no parameter 'colour'"):
        run_named(corpus_store, "mechanism-chains", compound="ketamine", colour="red")
    with pytest.raises(KGraphError, match="no entity is called"):
        run_named(corpus_store, "mechanism-chains", compound="unobtainium")
    with pytest.raises(KGraphError, match="not an integer"):
        run_named(corpus_store, "corroborated-claims", min_documents="many")
    with pytest.raises(KGraphError, match="no named query"):
        run_named(corpus_store, "no-such-query")
    subs = bindings(corpus_store, "corroborated-claims", {})
    assert subs["min_documents"].value == "2"  # the default


def test_readme_lists_every_named_query():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- named-queries -->\n(.*?)<!-- /named-queries -->", readme, re.S)
    assert m, "README.md has no <!-- named-queries --> … <!-- /named-queries --> section"
    assert m.group(1) == markdown_table(), (
        "the README's named-query table is out of date: paste kgraph.queries.markdown_table()"
    )
