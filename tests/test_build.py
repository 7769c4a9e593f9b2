"""The builder: direct triples, assertion nodes with evidence, grounding, determinism, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from kgraph import FormatError, build_store, open_store
from kgraph.build import Builder
from kgraph.errors import GroundingError
from kgraph.formats import native
from kgraph.model import Document, Mention, Relation, Span
from kgraph.vocab import GRAPH_DATA, GRAPH_ONTOLOGY, KG, KGO, corpus_dir


def small_doc(relation: Relation, concepts=("kg:ketamine", "kg:nmda_receptor")) -> Document:
    text = "Ketamine may block NMDA receptors in mice.\nAnother line.\n"
    return Document(
        "d1",
        text,
        (
            Mention("T1", "Compound", (Span(0, 8),), "Ketamine", (concepts[0],), 1),
            Mention("T2", "Receptor", (Span(19, 33),), "NMDA receptors", (concepts[1],), 2),
        ),
        (relation,),
        {"title": "A test", "source_type": "ScienceNews", "format": "kgraph"},
        "d1.ann",
    )


def built(*docs: Document):
    store = open_store("memory:")
    builder = Builder()
    store.replace(builder.lines(docs), builder.lexicon.files)
    return store, builder.report


def test_assertion_carries_quote_span_and_attributes() -> None:
    rel = Relation(
        "R1", "antagonistOf", "T1", "T2", certainty="Hedged", evidence_level="Preclinical"
    )
    store, report = built(small_doc(rel))
    assert (report.documents, report.relations, report.assertions) == (1, 1, 1)
    [row] = store.query("""
        SELECT ?neg ?cert ?level ?quote ?start ?end ?prefix ?suffix ?title WHERE {
          ?a a kgo:Assertion ; rdf:subject kg:ketamine ; rdf:predicate kgo:antagonistOf ;
             rdf:object kg:nmda_receptor ; kgo:negated ?neg ; kgo:certainty ?cert ;
             kgo:evidenceLevel ?level ; prov:wasDerivedFrom ?d ;
             kgo:evidence/oa:hasTarget ?t .
          ?t oa:hasSource ?d ; oa:hasSelector ?q, ?p .
          ?q oa:exact ?quote ; oa:prefix ?prefix ; oa:suffix ?suffix .
          ?p oa:start ?start ; oa:end ?end . ?d dcterms:title ?title }""").dicts()
    assert row["neg"] is False
    assert row["cert"] == str(KGO.Hedged) and row["level"] == str(KGO.Preclinical)
    assert row["quote"] == "Ketamine may block NMDA receptors in mice."
    assert (row["start"], row["end"]) == (0, 42)
    assert row["prefix"] == "" and row["suffix"] == "\nAnother line.\n"
    assert row["title"] == "A test"
    assert store.query("ASK { kg:ketamine kgo:antagonistOf kg:nmda_receptor }").boolean


def test_negated_claim_asserts_no_direct_triple() -> None:
    rel = Relation("R1", "antagonistOf", "T1", "T2", negated=True, evidence_level="Preclinical")
    store, _ = built(small_doc(rel))
    assert not store.query("ASK { kg:ketamine kgo:antagonistOf kg:nmda_receptor }").boolean
    assert store.query("ASK { ?a kgo:negated true ; rdf:object kg:nmda_receptor }").boolean


def test_external_identifier_lands_on_the_lexicon_entity() -> None:
    rel = Relation("R1", "antagonistOf", "T1", "T2", evidence_level="Review")
    store, report = built(small_doc(rel, ("MESH:D007649", "kg:nmda_receptor")))
    assert store.query("ASK { kg:ketamine kgo:antagonistOf kg:nmda_receptor }").boolean
    assert report.grounded["identifier"] == 2


def test_unknown_identifier_prefix_is_an_error_naming_the_line() -> None:
    rel = Relation("R1", "antagonistOf", "T1", "T2", evidence_level="Review")
    with pytest.raises(GroundingError, match="unknown entity 'FOO:1'") as info:
        built(small_doc(rel, ("FOO:1", "kg:nmda_receptor")))
    assert info.value.line == 1 and info.value.path == "d1.ann"


def test_same_input_twice_gives_the_same_graph(corpus_copy: Path) -> None:
    """Data IRIs are deterministic (identical lines); the ontology's blank nodes are not, so the
    whole dataset is compared as RDF (isomorphism)."""
    from rdflib import Dataset
    from rdflib.compare import isomorphic

    dumps = []
    for _ in range(2):
        store = open_store("memory:")
        build_store(store, [corpus_copy])
        dumps.append(store.dump("nq").decode())
    data = [sorted(x for x in d.splitlines() if x.endswith(f"<{GRAPH_DATA}> .")) for d in dumps]
    assert data[0] == data[1]
    assert len(data[0]) > 3000
    graphs = []
    for d in dumps:
        ds = Dataset()
        ds.parse(data=d, format="nquads")
        graphs.append(ds.graph(URIRef(GRAPH_ONTOLOGY)))
    assert len(graphs[0]) > 1000 and isomorphic(graphs[0], graphs[1])


def test_bundled_corpus_meets_the_acceptance_figures(corpus_kg) -> None:
    summary = corpus_kg.report.summary()
    assert summary["documents"] == 4
    assert summary["entities"] >= 60
    assert summary["relations"] >= 80
    assert summary["warnings"] == 0
    # every assertion has span-level evidence in a document with a title and a source type
    missing = corpus_kg.store.query("""
        SELECT ?a WHERE { ?a a kgo:Assertion .
          FILTER NOT EXISTS { ?a prov:wasDerivedFrom ?d . ?d dcterms:title ?t ; kgo:sourceType ?s .
            ?a kgo:evidenceLevel ?l ; kgo:evidence/oa:hasTarget/oa:hasSelector/oa:exact ?q } }""")
    assert missing.rows == []


def test_quotes_are_the_documents_own_text(corpus_copy: Path, corpus_kg) -> None:
    texts = {d.metadata["title"]: d.text for d in native.read(corpus_copy)}
    rows = corpus_kg.store.query("""
        SELECT ?title ?quote ?start ?end ?st ?ot WHERE {
          ?a prov:wasDerivedFrom/dcterms:title ?title ; kgo:subjectText ?st ; kgo:objectText ?ot ;
             kgo:evidence/oa:hasTarget ?t . ?t oa:hasSelector ?q, ?p .
          ?q oa:exact ?quote . ?p oa:start ?start ; oa:end ?end }""").dicts()
    assert len(rows) >= 80
    for r in rows:
        assert texts[r["title"]][r["start"] : r["end"]] == r["quote"]
        assert r["st"] in r["quote"] and r["ot"] in r["quote"]


def test_spravato_is_a_name_of_esketamine(corpus_kg) -> None:
    assert corpus_kg.resolve("Spravato") == str(KG.esketamine)
    assert corpus_kg.resolve("S-ketamine") == str(KG.esketamine)
    # a "Spravato" mention without an identifier lands on the esketamine node
    from kgraph.grounding import Lexicon, ground_mention

    text = "Spravato is given as a nasal spray."
    m = Mention("T1", "Compound", (Span(0, 8),), "Spravato")
    g = ground_mention(Lexicon.load(), Document("d", text, (m,)), m)
    assert g.entities == (str(KG.esketamine),)


def test_sources_that_disagree_stay_visible(corpus_kg) -> None:
    # the NMDA dispute is about mediation: the clinic page says ketamine's antidepressant effect comes
    # through NMDA receptor blockade; the opinion piece says hydroxynorketamine's does not rest on it.
    # The overview's arketamine acts "without strong NMDA receptor blockade": a weak antagonist whose
    # effect runs through AMPA and BDNF-TrkB, not a side of the dispute (corpus/REVIEW.md, audit 1)
    rows = corpus_kg.store.query("""
        SELECT DISTINCT ?s ?m ?d WHERE {
          ?a rdf:subject ?s ; rdf:predicate kgo:hasOutcome ; rdf:object kg:antidepressant_effect ;
             kgo:mediator kg:nmda_receptor ; kgo:mediation ?m ; prov:wasDerivedFrom ?d }""").dicts()
    sides = {tuple(str(r[k]).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for k in "smd") for r in rows}
    assert ("ketamine", "Through", "clinic-ketamine-trd-new-hope") in sides
    assert ("hydroxynorketamine", "Independent", "ketamine-surprising-new-hope-2026") in sides
    assert not any(side[0] == "arketamine" for side in sides)
    assert sides == {
        ("ketamine", "Through", "clinic-ketamine-trd-new-hope"),
        ("hydroxynorketamine", "Independent", "ketamine-surprising-new-hope-2026"),
    }
    # "without strong NMDA receptor blockade" is a weak antagonist, not a denied one
    assert corpus_kg.store.query("""ASK { ?a rdf:subject kg:arketamine ; rdf:predicate kgo:antagonistOf ;
        rdf:object kg:nmda_receptor ; kgo:degree kgo:Weak ; kgo:negated false }""").boolean
    assert not corpus_kg.store.query("""ASK { ?a rdf:predicate kgo:antagonistOf ;
        rdf:object kg:nmda_receptor ; kgo:negated true }""").boolean


def test_comparisons_and_questions_are_not_bare_claims(corpus_kg) -> None:
    store = corpus_kg.store
    # "notably less dissociation than racemic ketamine or esketamine": a comparison, not an adverse effect
    rows = store.query("""
        SELECT ?c WHERE { ?a rdf:subject kg:arketamine ; rdf:predicate kgo:hasAdverseEffect ;
          rdf:object kg:dissociation ; kgo:comparison kgo:Less ; kgo:comparator ?c ;
          kgo:evidenceLevel kgo:ClinicalPhase2 }""").dicts()
    assert {str(r["c"]).rsplit("/", 1)[-1] for r in rows} == {"esketamine", "ketamine"}
    assert not store.query("ASK { kg:arketamine kgo:hasAdverseEffect kg:dissociation }").boolean
    # "studies are tracking whether" repeated ketamine harms: research questions, never claims
    for harm in ("cognitive_impairment", "cardiovascular_effects", "tolerance", "dependence"):
        assert store.query(f"""ASK {{ ?q a kgo:ResearchQuestion ;
            rdf:predicate kgo:hasAdverseEffect ; rdf:object kg:{harm} }}""").boolean
        assert not store.query(f"""ASK {{ ?a a kgo:Assertion ;
            rdf:predicate kgo:hasAdverseEffect ; rdf:object kg:{harm} }}""").boolean
    # the news report ties the long-term effect, not ketamine, to the hippocampus
    assert not store.query("ASK { ?a rdf:subject kg:ketamine ; rdf:object kg:hippocampus }").boolean
    assert store.query("""ASK { ?a rdf:subject ?s ; rdf:predicate kgo:associatedWith ; rdf:object ?o .
        FILTER(?s IN (kg:hippocampus, kg:sustained_antidepressant_effect) && ?s != ?o
               && ?o IN (kg:hippocampus, kg:sustained_antidepressant_effect)) }""").boolean


# -- bad input through the whole build: a FormatError naming file and line, store untouched --------


def _edit(corpus: Path, name: str, old: str, new: str) -> Path:
    path = corpus / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


DOC = "northwestern-ketamine-neurogenesis"


def _first_line(corpus: Path, prefix: str) -> tuple[str, int]:
    lines = (corpus / f"{DOC}.ann").read_text().splitlines()
    for n, line in enumerate(lines, start=1):
        if line.startswith(prefix):
            return line, n
    raise AssertionError(prefix)


def _break_type(c: Path):
    line, n = _first_line(c, "T")
    type_ = line.split("\t")[1].split()[0]
    _edit(c, f"{DOC}.ann", line, line.replace(type_, "Gizmo", 1))
    return n, "unknown entity type 'Gizmo'"


def _break_relation(c: Path):
    line, n = _first_line(c, "R")
    type_ = line.split("\t")[1].split()[0]
    _edit(c, f"{DOC}.ann", line, line.replace(type_, "frobnicates", 1))
    return n, "unknown relation type 'frobnicates'"


def _break_offsets(c: Path):
    line, n = _first_line(c, "T")
    fields = line.split("\t")
    start = int(fields[1].split()[1])
    shifted = fields[1].replace(f" {start} ", f" {start + 1} ", 1)
    _edit(c, f"{DOC}.ann", line, "\t".join([fields[0], shifted, fields[2]]))
    return n, "covers"


def _break_endpoint(c: Path):
    line, n = _first_line(c, "R")
    arg2 = line.split("Arg2:")[1].split()[0]
    _edit(c, f"{DOC}.ann", line, line.replace(f"Arg2:{arg2}", "Arg2:T999"))
    return n, "T999"


def _break_line(c: Path):
    line, n = _first_line(c, "R")
    _edit(c, f"{DOC}.ann", line, line.replace("\t", " ", 1))
    return n, "malformed line"


def _break_entity(c: Path):
    line, _ = _first_line(c, "N")
    entity = line.split("\t")[1].split()[2]
    _edit(c, f"{DOC}.ann", line, line.replace(entity, "kg:no_such_thing"))
    t_id = line.split("\t")[1].split()[1]
    t_line = next(
        i
        for i, x in enumerate((c / f"{DOC}.ann").read_text().splitlines(), 1)
        if x.startswith(t_id + "\t")
    )
    return t_line, "unknown entity 'kg:no_such_thing'"


BREAKERS = {
    "unknown entity type": _break_type,
    "unknown relation": _break_relation,
    "offsets do not match text": _break_offsets,
    "relation to a missing mention": _break_endpoint,
    "malformed line": _break_line,
    "unknown entity": _break_entity,
}


@pytest.mark.parametrize("breaker", list(BREAKERS), ids=list(BREAKERS))
def test_bad_corpus_fails_cleanly_and_keeps_the_store(tmp_path, corpus_copy, breaker) -> None:
    store = open_store(tmp_path / "store")
    build_store(store, [corpus_copy])
    before = sorted(store.dump("nq").decode().splitlines())
    line, words = BREAKERS[breaker](corpus_copy)
    with pytest.raises(FormatError) as info:
        build_store(store, [corpus_copy])
    assert info.value.path.endswith(f"{DOC}.ann")
    assert info.value.line == line
    assert words in info.value.message
    assert sorted(open_store(tmp_path / "store").dump("nq").decode().splitlines()) == before


def test_lenient_build_counts_what_it_skipped(corpus_copy: Path) -> None:
    _break_type(corpus_copy)
    store = open_store("memory:")
    report = build_store(store, [corpus_copy], lenient=True)
    assert report.skipped["unknown entity type"] == 1
    assert report.skipped["relation end not grounded"] >= 1
    assert report.documents == 4
    assert any("Gizmo" in w for w in report.warnings)


def test_evidence_filters_by_predicate(corpus_kg) -> None:
    from kgraph.query import evidence

    rows = evidence(corpus_kg.store, "ketamine", "NMDA receptor")
    assert rows and {r["p"] for r in rows} == {str(KGO.antagonistOf)}
    for predicate in ("antagonistOf", "kgo:antagonistOf", str(KGO.antagonistOf)):
        assert len(evidence(corpus_kg.store, "ketamine", "NMDA receptor", predicate)) == len(rows)
    assert evidence(corpus_kg.store, "ketamine", "NMDA receptor", "treats") == []


# -- the summary: claims and per-document counts, derived from the assertions ------------------

_QUALIFIERS = """
  OPTIONAL { ?x kgo:comparison ?q1 } OPTIONAL { ?x kgo:comparator ?q2 }
  OPTIONAL { ?x kgo:degree ?q3 } OPTIONAL { ?x kgo:mediation ?q4 } OPTIONAL { ?x kgo:mediator ?q5 }
  BIND(CONCAT(STR(COALESCE(?q1, "")), "|", STR(COALESCE(?q2, "")), "|", STR(COALESCE(?q3, "")),
              "|", STR(COALESCE(?q4, "")), "|", STR(COALESCE(?q5, ""))) AS ?q)"""

_CLAIMS_FROM_ASSERTIONS = (
    """
SELECT ?s ?p ?o ?q (SUM(IF(?neg, 0, 1)) AS ?sup) (SUM(IF(?neg, 1, 0)) AS ?den)
       (COUNT(DISTINCT IF(?neg, ?no, ?d)) AS ?sup_docs)
       (SUM(IF(!?neg && ?cert = kgo:Asserted && COALESCE(?lvl != kgo:Preclinical, true), 1, 0))
         AS ?firm)
       (SUM(IF(!?neg && ?st NOT IN (kgo:OpinionArticle, kgo:ClinicMarketingPage)
               && COALESCE(?lvl != kgo:Opinion, true), 1, 0)) AS ?research) WHERE {
  ?a a kgo:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kgo:negated ?neg ;
     kgo:certainty ?cert ; prov:wasDerivedFrom ?d . ?d kgo:sourceType ?st .
  OPTIONAL { ?a kgo:evidenceLevel ?lvl }
  FILTER NOT EXISTS { ?a kgo:proposed true }  # an unreviewed proposal belongs to no claim
  BIND(<urn:none> AS ?no)
  BIND(?a AS ?x)"""
    + _QUALIFIERS
    + """
} GROUP BY ?s ?p ?o ?q"""
)

_CLAIMS = (
    """
SELECT ?s ?p ?o ?q ?sup ?den ?sup_docs ?firm ?research WHERE {
  ?c a kgo:Claim ; kgo:claimSubject ?s ; kgo:claimPredicate ?p ; kgo:claimObject ?o ;
     kgo:supportingStatementCount ?sup ; kgo:denyingStatementCount ?den ;
     kgo:supportingDocumentCount ?docs ; kgo:firmStatementCount ?firm ;
     kgo:researchStatementCount ?research .
  BIND(?docs + IF(?den > 0, 1, 0) AS ?sup_docs)  # the query above counts <urn:none> once
  BIND(?c AS ?x)"""
    + _QUALIFIERS
    + """
}"""
)


def _rows(store, sparql):
    return sorted(tuple(str(v) for v in r.values()) for r in store.query(sparql).dicts())


@pytest.mark.parametrize("which", ["corpus", "qualified"])
def test_every_claim_summarises_its_assertions(corpus_store, qualified_store, which) -> None:
    store = {"corpus": corpus_store, "qualified": qualified_store}[which]
    claims = _rows(store, _CLAIMS)
    assert claims == _rows(store, _CLAIMS_FROM_ASSERTIONS)
    if which == "qualified":
        assert len(claims) == 4, "six statements: a question and a proposal make no claim"
        return
    assert len(claims) > 150
    # each assertion points at the claim with its subject, predicate and object
    assert (
        corpus_store.query("""ASK { ?a kgo:aboutClaim ?c ; rdf:subject ?s .
        FILTER NOT EXISTS { ?c kgo:claimSubject ?s } }""").boolean
        is False
    )
    assert (
        corpus_store.query("""ASK { ?a a kgo:Assertion
        FILTER NOT EXISTS { ?a kgo:aboutClaim ?c } }""").boolean
        is False
    )
    # ketamine blocks NMDA receptors: stated by several documents, firmly and by research
    [row] = corpus_store.query(
        "SELECT ?docs ?firm ?research WHERE { ?c kgo:claimSubject kg:ketamine ;"
        " kgo:claimPredicate kgo:antagonistOf ; kgo:claimObject kg:nmda_receptor ;"
        " kgo:supportingDocumentCount ?docs ; kgo:firmStatementCount ?firm ;"
        " kgo:researchStatementCount ?research }"
    ).rows
    docs, firm, research = (int(x.value) for x in row)
    assert docs >= 2 and firm >= 1 and research >= 1


def test_documents_carry_their_counts(corpus_store) -> None:
    rows = corpus_store.query("""
        SELECT ?d ?n ?neg ?hedged ?entities ?unique ?n2 ?neg2 ?hedged2 ?entities2 WHERE {
          ?d a kgo:Document ; kgo:statementCount ?n ; kgo:negatedStatementCount ?neg ;
             kgo:hedgedStatementCount ?hedged ; kgo:entityCount ?entities ;
             kgo:uniqueClaimCount ?unique .
          { SELECT ?d (COUNT(?a) AS ?n2) (SUM(IF(?x, 1, 0)) AS ?neg2)
                   (SUM(IF(?c = kgo:Hedged, 1, 0)) AS ?hedged2) WHERE {
              ?a prov:wasDerivedFrom ?d ; kgo:negated ?x ; kgo:certainty ?c
              FILTER NOT EXISTS { ?a kgo:proposed true } } GROUP BY ?d }
          { SELECT ?d (COUNT(DISTINCT ?e) AS ?entities2) WHERE { ?e kgo:mentionedIn ?d }
            GROUP BY ?d }
        }""").dicts()
    assert len(rows) == 4
    for r in rows:
        assert (r["n"], r["neg"], r["hedged"], r["entities"]) == (
            r["n2"],
            r["neg2"],
            r["hedged2"],
            r["entities2"],
        )
        assert 0 < r["unique"] <= r["n"]
    negated = sum(
        line.split("\t")[1].startswith("Negated ")
        for ann in corpus_dir().glob("*.ann")
        for line in ann.read_text(encoding="utf-8").split("\n")
        if line.startswith("A")
    )
    assert negated > 0 and sum(r["neg"] for r in rows) == negated  # each negated claim, once


def test_summary_counts_a_document_read_twice_once(tmp_path: Path) -> None:
    once, twice = open_store("memory:"), open_store("memory:")
    build_store(once, [corpus_dir()])
    build_store(twice, [corpus_dir(), corpus_dir()])

    def dump(store):
        rows = store.query(f"SELECT * WHERE {{ GRAPH <{GRAPH_DATA}> {{ ?s ?p ?o }} }}").rows
        return sorted(map(str, rows))

    assert dump(once) == dump(twice)


def test_claim_only_hedged_or_preclinical_has_no_firm_statement() -> None:
    rel = Relation("R1", "antagonistOf", "T1", "T2", certainty="Hedged")
    store, _ = built(small_doc(rel))
    [row] = store.query(
        "SELECT ?sup ?firm ?research ?st WHERE { ?c kgo:supportingStatementCount ?sup ;"
        " kgo:firmStatementCount ?firm ; kgo:researchStatementCount ?research ;"
        " kgo:supportingSourceType ?st }"
    ).dicts()
    assert (row["sup"], row["firm"], row["research"]) == (1, 0, 1)
    assert row["st"] == str(KGO.ScienceNews)


# -- qualified statements, research questions, notes and proposals (issue 13) -------------------


def _ask(store, sparql: str) -> bool:
    return store.query("ASK { " + sparql + " }").boolean


def test_less_comparison_is_its_own_claim_without_a_direct_triple(qualified_store) -> None:
    """ "Less dissociation than esketamine" is not "arketamine causes dissociation"."""
    s = qualified_store
    assert _ask(
        s,
        """?a a kgo:Assertion ; rdf:subject kg:arketamine ;
        rdf:predicate kgo:hasAdverseEffect ; rdf:object kg:dissociation ;
        kgo:comparison kgo:Less ; kgo:comparator kg:esketamine ; kgo:negated false ;
        kgo:aboutClaim ?c . ?c kgo:comparison kgo:Less ; kgo:comparator kg:esketamine""",
    )
    assert not _ask(s, "kg:arketamine kgo:hasAdverseEffect kg:dissociation")
    assert not _ask(
        s,
        "?c kgo:claimSubject kg:arketamine ; kgo:claimObject kg:dissociation ."
        " FILTER NOT EXISTS { ?c kgo:comparison ?any }",
    )


def test_degree_and_note_reach_the_assertion(qualified_store) -> None:
    s = qualified_store
    [row] = s.query("""SELECT ?note WHERE { ?a rdf:subject kg:arketamine ;
        rdf:predicate kgo:antagonistOf ; rdf:object kg:nmda_receptor ; kgo:degree kgo:Weak ;
        kgo:negated false ; skos:note ?note }""").rows
    assert row[0].value.startswith("weaker, not absent")
    assert _ask(s, "kg:arketamine kgo:antagonistOf kg:nmda_receptor"), "weak is still antagonism"


def test_mediation_names_its_mediator(qualified_store) -> None:
    rows = qualified_store.query("""SELECT ?s ?m WHERE { ?a a kgo:Assertion ; rdf:subject ?s ;
        rdf:predicate kgo:hasOutcome ; rdf:object kg:antidepressant_effect ;
        kgo:mediation ?m ; kgo:mediator kg:nmda_receptor ; kgo:aboutClaim ?c .
        ?c kgo:mediation ?m ; kgo:mediator kg:nmda_receptor }""").rows
    assert sorted((r[0].value, r[1].value) for r in rows) == [
        (str(KG.hydroxynorketamine), str(KGO.Independent)),
        (str(KG.ketamine), str(KGO.Through)),
    ]
    assert _ask(qualified_store, "kg:ketamine kgo:hasOutcome kg:antidepressant_effect")


def test_research_question_is_recorded_as_a_question_never_a_claim(qualified_store) -> None:
    s = qualified_store
    [row] = s.query("""SELECT ?q ?o ?quote ?n WHERE { ?q a kgo:ResearchQuestion ;
        rdf:subject kg:ketamine ; rdf:predicate kgo:hasAdverseEffect ; rdf:object ?o ;
        kgo:evidenceLevel kgo:ClinicalStudy ; prov:wasDerivedFrom ?d ;
        kgo:evidence/oa:hasTarget/oa:hasSelector/oa:exact ?quote .
        ?d kgo:researchQuestionCount ?n }""").dicts()
    assert row["quote"] == "Studies are tracking whether ketamine harms the bladder."
    assert row["n"] == 1
    o = f"<{row['o']}>"
    assert not _ask(s, f"kg:ketamine kgo:hasAdverseEffect {o}"), "no direct triple"
    assert not _ask(s, f"?c kgo:claimObject {o}"), "no claim"
    assert not _ask(s, f"<{row['q']}> a kgo:Assertion"), "not an assertion"
    assert not _ask(s, f"<{row['q']}> kgo:negated ?x"), "a question has no polarity"


def test_a_research_question_records_its_negation_and_certainty(tmp_path: Path) -> None:
    """Its IRI hashes whether it asks about the negation and how surely it is worded; its RDF
    says both too (as the question's own, not an assertion's polarity or certainty)."""
    from kgraph.validate import validate

    folder = tmp_path / "c"
    folder.mkdir()
    text = "Studies ask whether ketamine may not harm the bladder. Others ask whether it harms memory.\n"
    (folder / "q.txt").write_text(text, encoding="utf-8")
    spans = [("ketamine", "Compound"), ("harm the bladder", "AdverseEffect")]
    ann, start = [], 0
    for i, (word, cls) in enumerate(
        [*spans, ("it", "Compound"), ("harms memory", "AdverseEffect")], 1
    ):
        at = text.index(word, start)
        ann.append(f"T{i}\t{cls} {at} {at + len(word)}\t{word}")
        start = at + len(word)
    ann += [
        "R1\thasAdverseEffect Arg1:T1 Arg2:T2",
        "A1\tResearchQuestion R1",
        "A2\tNegated R1",
        "A3\tCertainty R1 Hedged",
        "R2\thasAdverseEffect Arg1:T3 Arg2:T4",
        "A4\tResearchQuestion R2",
        "A5\tEvidenceLevel R2 Review",  # a level: no hedging cues read from the text
    ]
    (folder / "q.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    store = open_store("memory:")
    build_store(store, [folder], lenient=True)
    rows = store.query("""PREFIX kgo: <https://w3id.org/kgraph/ontology#>
        SELECT ?q ?neg ?cert WHERE { ?q a kgo:ResearchQuestion ; kgo:questionNegated ?neg ;
          kgo:questionCertainty ?cert ; kgo:subjectText ?t } ORDER BY ?t""").rows
    got = sorted((r[1].value, r[2].value.rsplit("#", 1)[-1]) for r in rows)
    assert got == [("false", "Asserted"), ("true", "Hedged")]
    assert not store.query("""PREFIX kgo: <https://w3id.org/kgraph/ontology#>
        ASK { ?q a kgo:ResearchQuestion . { ?q kgo:negated ?x } UNION { ?q kgo:certainty ?x } }""").boolean
    report = validate(store)
    assert report.conforms, report.text


def test_unreviewed_proposal_is_marked_and_left_out(
    qualified_corpus: Path, qualified_store
) -> None:
    s = qualified_store
    assert _ask(
        s,
        """?a a kgo:Assertion ; rdf:subject kg:esketamine ; rdf:predicate kgo:treats ;
        rdf:object kg:depression ; kgo:proposed true ; kgo:confidence kgo:Medium ;
        skos:note "rule=treat-verb; cue=relieves" . FILTER NOT EXISTS { ?a kgo:aboutClaim ?c }""",
    )
    assert not _ask(s, "kg:esketamine kgo:treats kg:depression")
    assert not _ask(s, "?c kgo:claimSubject kg:esketamine ; kgo:claimPredicate kgo:treats")
    store = open_store("memory:")
    report = build_store(store, [qualified_corpus], include_proposed=True)
    assert (report.proposals, report.questions) == (1, 1)
    assert _ask(store, "kg:esketamine kgo:treats kg:depression")
    assert _ask(
        store,
        """?a kgo:proposed true ; kgo:aboutClaim ?c .
        ?c kgo:claimSubject kg:esketamine ; kgo:supportingStatementCount 1""",
    )


def test_bare_and_qualified_statements_are_different_claims() -> None:
    bare = Relation("R1", "antagonistOf", "T1", "T2", evidence_level="Review")
    weak = Relation("R2", "antagonistOf", "T1", "T2", evidence_level="Review", degree="Weak")
    doc = small_doc(bare)
    doc = Document(doc.id, doc.text, doc.mentions, (bare, weak), doc.metadata, doc.source)
    store, report = built(doc)
    assert report.assertions == 2
    rows = store.query("""SELECT ?c ?d WHERE { ?c a kgo:Claim ; kgo:claimSubject kg:ketamine ;
        kgo:supportingStatementCount 1 OPTIONAL { ?c kgo:degree ?d } }""").rows
    assert sorted(str(r[1].value) if r[1] else "" for r in rows) == ["", str(KGO.Weak)]


def test_every_annotator_note_reaches_its_assertion(corpus_store) -> None:
    """The corpus's notes on relations are skos:note on the assertions of those relations."""
    from kgraph.formats import native

    expected = set()
    for doc in native.read(corpus_dir()):
        for r in doc.relations:
            if r.note:
                expected.add((doc.id, r.note))
    found = {
        (str(r[0].value).rsplit("/", 1)[-1], r[1].value)
        for r in corpus_store.query(
            "SELECT ?d ?note WHERE { ?a skos:note ?note ; prov:wasDerivedFrom ?d }"
        ).rows
    }
    assert expected and expected == found


def _conflicting_doc() -> Document:
    doc = small_doc(Relation("R1", "antagonistOf", "T1", "T2", evidence_level="Review"))
    t2 = doc.mentions[1]
    wrong = Mention("T2", "Condition", t2.spans, t2.text, t2.concepts, t2.line)
    return Document(
        doc.id, doc.text, (doc.mentions[0], wrong), doc.relations, doc.metadata, "d1.ann"
    )


def test_mention_type_that_contradicts_the_lexicon_is_an_error_naming_the_line() -> None:
    with pytest.raises(GroundingError, match="typed 'Condition' but the lexicon has") as info:
        built(_conflicting_doc())
    assert (info.value.path, info.value.line) == ("d1.ann", 2)


def test_lenient_build_counts_each_type_conflict_and_keeps_the_lexicon_class() -> None:
    store = open_store("memory:")
    builder = Builder(lenient=True)
    doc = _conflicting_doc()
    store.replace(builder.lines([doc, doc]), builder.lexicon.files)
    assert builder.report.skipped["mention type conflicts with the lexicon"] == 2
    assert store.query("ASK { kg:ketamine kgo:antagonistOf kg:nmda_receptor }").boolean


def test_a_more_general_or_more_specific_type_is_no_conflict() -> None:
    doc = small_doc(Relation("R1", "antagonistOf", "T1", "T2", evidence_level="Review"))
    t1 = doc.mentions[0]
    general = Mention("T1", "Compound", t1.spans, t1.text, ("kg:esketamine",), t1.line)
    specific = Mention("T1", "Enantiomer", t1.spans, t1.text, ("kg:ketamine",), t1.line)
    for m in (general, specific):
        d = Document(doc.id, doc.text, (m, doc.mentions[1]), doc.relations, doc.metadata, "d1.ann")
        _, report = built(d)
        assert report.assertions == 1 and not report.skipped


@pytest.mark.parametrize("type_", ["aboutClaim", "comparison", "mediator", "mentionedIn"])
def test_statement_vocabulary_is_no_relation_type(type_: str) -> None:
    """Only properties between entities are relation types a text can annotate."""
    with pytest.raises(GroundingError, match=f"unknown relation type '{type_}'"):
        built(small_doc(Relation("R1", type_, "T1", "T2", evidence_level="Review")))


def test_outcome_and_condition_hierarchies_reach_the_graph(corpus_kg) -> None:
    """Issue 13: rapid and sustained antidepressant effects are kinds of antidepressant effect, and
    treatment-resistant depression is a kind of depression, so queries and chains can walk up."""
    store = corpus_kg.store
    for narrow, broad in (
        ("rapid_antidepressant_effect", "antidepressant_effect"),
        ("sustained_antidepressant_effect", "antidepressant_effect"),
        ("treatment_resistant_depression", "depression"),
        ("major_depressive_disorder", "depression"),
    ):
        assert store.query(f"ASK {{ kg:{narrow} skos:broader+ kg:{broad} }}").boolean, narrow
    # a claim about the rapid effect is, walked up, a claim about the antidepressant effect
    assert store.query(
        """ASK { kg:ketamine ?p ?o . ?o skos:broader+ kg:antidepressant_effect }"""
    ).boolean


def _typed_doc(fmt: str, mtype: str) -> Document:
    """The NMDA receptor mention typed ``mtype`` in a document of format ``fmt``."""
    doc = _conflicting_doc()
    t2 = doc.mentions[1]
    typed = Mention("T2", mtype, t2.spans, t2.text, t2.concepts, t2.line)
    meta = {**doc.metadata, "format": fmt}
    return Document(doc.id, doc.text, (doc.mentions[0], typed), doc.relations, meta, "d1.txt")


@pytest.mark.parametrize("fmt", ["brat", "gold"])
def test_own_class_names_that_contradict_the_lexicon_are_errors_in_every_kgraph_format(fmt) -> None:
    with pytest.raises(GroundingError, match="typed 'Condition' but the lexicon has"):
        built(_typed_doc(fmt, "Condition"))


@pytest.mark.parametrize(
    ("fmt", "mtype"),
    [("pubtator", "Disease"), ("bioc-xml", "Condition"), ("brat", "DiseaseOrPhenotypicFeature")],
)
def test_a_mapped_third_party_type_gives_way_to_the_lexicon_and_is_counted(fmt, mtype) -> None:
    _, report = built(_typed_doc(fmt, mtype))  # strict: no error
    assert report.assertions == 1 and not report.skipped and not report.warnings
    assert report.notes == {"mapped type gave way to the lexicon's class": 1}
    assert report.summary()["notes"] == report.notes
