"""SHACL validation: the bundled corpus conforms; a hand-broken graph gives exactly the expected
violations; ``kgraph validate`` and ``kgraph build`` report them."""

from __future__ import annotations

import json

import pytest
import rdflib
from click.testing import CliRunner

from kgraph.build import build_store
from kgraph.cli import main
from kgraph.errors import KGraphError
from kgraph.store import open_store
from kgraph.validate import validate, validate_graph
from kgraph.vocab import GRAPH_DATA, KG, KGO, corpus_dir


@pytest.fixture(scope="module")
def corpus_graph(corpus_store) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=corpus_store.dump("nt"), format="nt")
    return g


def test_bundled_corpus_conforms(corpus_store) -> None:
    report = validate(corpus_store)
    assert report.conforms, report.text
    assert report.violations == [] and report.triples > 5000


def broken(graph: rdflib.Graph) -> tuple[rdflib.Graph, rdflib.term.Node]:
    g = rdflib.Graph()
    for t in graph:
        g.add(t)
    assertion = sorted(g.subjects(KGO.evidence, None))[0]
    g.remove((assertion, KGO.evidence, None))  # an assertion without evidence
    g.add((KG.ketamine, KGO.antagonistOf, KG.depression))  # a Condition is no Receptor
    g.remove((KG.nmda_receptor, rdflib.RDFS.label, None))  # an asserted entity without a label
    return g, assertion


def test_hand_broken_graph_gives_the_expected_violations(corpus_graph) -> None:
    g, assertion = broken(corpus_graph)
    report = validate_graph(g)
    assert not report.conforms
    found = {(v.focus, v.path, v.value, v.message) for v in report.violations}
    short = "kga:" + str(assertion).rsplit("/", 1)[-1]
    assert found == {
        (
            short,
            "kgo:evidence",
            None,
            "An assertion has at least one kgo:evidence, an oa:Annotation.",
        ),
        (
            "kg:ketamine",
            None,
            "kg:depression",
            "The object of kgo:antagonistOf must be a kgo:Receptor.",
        ),
        (
            "kg:nmda_receptor",
            "rdfs:label",
            None,
            "The subject and object of an assertion have an rdfs:label.",
        ),
    }
    assert {v.severity for v in report.violations} == {"Violation"}
    assert report.by_message()["The object of kgo:antagonistOf must be a kgo:Receptor."] == 1


def test_summary_shapes_catch_a_broken_claim_and_document(corpus_graph) -> None:
    g = rdflib.Graph()
    for t in corpus_graph:
        g.add(t)
    claim = sorted(g.subjects(rdflib.RDF.type, KGO.Claim))[0]
    g.remove((claim, KGO.firmStatementCount, None))  # a claim without its count
    g.add((claim, KGO.supportingSourceType, KGO.Hedged))  # not a source type
    document = sorted(g.subjects(rdflib.RDF.type, KGO.Document))[0]
    g.remove((document, KGO.statementCount, None))
    g.add((document, KGO.statementCount, rdflib.Literal(-1)))  # not a count
    found = {(v.path, v.message) for v in validate_graph(g).violations}
    assert found == {
        (
            "kgo:firmStatementCount",
            "A claim has exactly one kgo:firmStatementCount, the number of its firm statements"
            " (an integer >= 0).",
        ),
        (
            "kgo:supportingSourceType",
            "A claim's kgo:supportingSourceType is a kgo:SourceType value.",
        ),
        (
            "kgo:statementCount",
            "A document has exactly one kgo:statementCount, the number of its statements"
            " (an integer >= 0).",
        ),
    }


def test_rdfs_inference_finds_the_same_structural_violations(corpus_graph) -> None:
    g, _ = broken(corpus_graph)
    report = validate_graph(g, inference="rdfs")
    messages = set(report.by_message())
    assert "An assertion has at least one kgo:evidence, an oa:Annotation." in messages
    assert "The object of kgo:antagonistOf must be a kgo:Receptor." in messages


def test_missing_shapes_is_a_clear_error(tmp_path, corpus_graph) -> None:
    with pytest.raises(KGraphError, match="no SHACL shapes"):
        validate_graph(corpus_graph, shapes=tmp_path / "nope.ttl")


def test_build_validates_when_asked_and_counts_violations(corpus_copy) -> None:
    store = open_store("memory:")
    report = build_store(store, [corpus_copy], validate=True)
    assert report.validation is not None and report.validation.conforms
    assert build_store(store, [corpus_copy]).validation is None, "off unless asked"
    assert build_store(store, [corpus_copy], validate=None).validation is not None, "small: on"


def test_cli_validate_prints_a_table_and_exits_1(tmp_path, corpus_graph) -> None:
    runner = CliRunner()
    good = tmp_path / "good"
    result = runner.invoke(main, ["build", "--store", str(good), "-q"])
    assert result.exit_code == 0 and "SHACL violations" in result.output
    ok = runner.invoke(main, ["validate", "--store", str(good)])
    assert ok.exit_code == 0 and "conforms" in ok.output
    g, _ = broken(corpus_graph)
    bad = open_store(tmp_path / "bad")
    lines = g.serialize(format="nt").splitlines()
    bad.replace([line[: -len(".")] + f"<{GRAPH_DATA}> ." for line in lines if line.strip()])
    table = runner.invoke(main, ["validate", "--store", str(tmp_path / "bad")])
    assert table.exit_code == 1
    assert "SHACL violations" in table.output and "3 violation(s)" in table.output
    assert "kg:nmda_receptor" in table.output
    as_json = runner.invoke(
        main, ["validate", "--store", str(tmp_path / "bad"), "--format", "json"]
    )
    data = json.loads(as_json.stdout)
    assert {v["value"] for v in data["violations"]} == {None, "kg:depression"}
    assert as_json.exit_code == 1 and data["conforms"] is False and len(data["violations"]) == 3


def test_cli_build_no_validate_skips_it(tmp_path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(corpus_dir()), "--store", str(tmp_path / "s"), "-q", "--no-validate"]
    )
    assert result.exit_code == 0 and "not checked" in result.output


# -- ontology v2: domain and range of every property; qualifiers; research questions ------------

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def _words(shapes: rdflib.Graph, shape) -> str:
    """Every message and SPARQL text of ``shape`` and its property shapes."""
    nodes = [shape, *shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)]
    return " ".join(
        str(o) for n in nodes for p in (SH.message, SH.select) for o in shapes.objects(n, p)
    )


def test_every_property_has_a_domain_and_a_range_shape() -> None:
    from rdflib.namespace import OWL, RDF, RDFS

    from kgraph.vocab import ontology_dir

    ontology = rdflib.Graph().parse(ontology_dir() / "kgraph.ttl")
    shapes = rdflib.Graph().parse(ontology_dir() / "shapes.ttl")
    properties = {
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in ontology.subjects(RDF.type, kind)
        if str(p).startswith(str(KGO))
    }
    assert len(properties) > 60
    missing = []
    for p in sorted(properties):
        name = "kgo:" + str(p)[len(str(KGO)) :]
        assert ontology.value(p, RDFS.domain) is not None, f"{name} has no rdfs:domain"
        assert ontology.value(p, RDFS.range) is not None, f"{name} has no rdfs:range"
        text = " ".join(_words(shapes, s) for s in shapes.subjects(SH.targetSubjectsOf, p))
        if f"subject of {name}" not in text:
            missing.append((name, "domain"))
        # the range: a value check of a property shape on this path, or a SPARQL check naming it
        checked = any(
            shapes.value(s, c) is not None
            for s in shapes.subjects(SH.path, p)
            for c in (SH["class"], SH.datatype, SH["in"], SH["or"])
        )
        if not checked and not any(f"{w} of {name}" in text for w in ("object", "value")):
            if not (name in text and "object of" in text):  # one SPARQL shape, several properties
                missing.append((name, "range"))
    assert missing == [], "properties without a SHACL domain/range check"


def test_qualified_corpus_conforms(qualified_store) -> None:
    report = validate(qualified_store)
    assert report.conforms, report.text


def test_shapes_catch_qualifier_misuse(qualified_store) -> None:
    g = rdflib.Graph()
    g.parse(data=qualified_store.dump("nt"), format="nt")
    rdf = rdflib.RDF
    weak = next(g.subjects(KGO.degree, KGO.Weak))  # the weak antagonism assertion
    g.add((weak, KGO.comparator, KG.esketamine))  # a comparator without a comparison
    g.remove((weak, KGO.degree, KGO.Weak))
    g.add((weak, KGO.degree, KGO.Less))  # a comparison value as a degree
    through = next(g.subjects(KGO.mediation, KGO.Through))
    g.remove((through, KGO.mediator, None))  # a mediation without its mediator
    question = next(g.subjects(rdf.type, KGO.ResearchQuestion))
    g.add(
        (question, KGO.aboutClaim, next(g.subjects(rdf.type, KGO.Claim)))
    )  # a question as a claim
    document = next(g.subjects(rdf.type, KGO.Document))
    g.add((document, KGO.comparison, KGO.More))  # a qualifier on a document
    found = {(v.message, v.path) for v in validate_graph(g).violations}
    expected = {
        (
            "A kgo:comparator needs a kgo:comparison (less, more or similar than the comparator).",
            None,
        ),
        (
            "A statement has at most one kgo:degree: kgo:Weak, kgo:Moderate or kgo:Strong.",
            "kgo:degree",
        ),
        ("A kgo:mediation needs a kgo:mediator, and a kgo:mediator a kgo:mediation.", None),
        ("A research question states nothing: it belongs to no kgo:Claim.", "kgo:aboutClaim"),
        (
            "The subject of kgo:comparison must be a kgo:Assertion, kgo:ResearchQuestion or"
            " kgo:Claim.",
            None,
        ),
    }
    assert expected <= found, found - expected
    # the assertions' qualifiers no longer match their claims': reported too
    assert any(m.startswith("An assertion's qualifiers are those of its claim") for m, _ in found)


def _ontology_with(tmp_path, extra: str):
    """A copy of the ontology folder whose lexicon has ``extra`` Turtle appended."""
    import shutil

    from kgraph.vocab import ontology_dir

    folder = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), folder)
    with open(folder / "entities.ttl", "a", encoding="utf-8") as f:
        f.write("\n" + extra + "\n")
    return folder


def test_entity_hierarchy_shapes(tmp_path, qualified_corpus) -> None:
    """skos:broader links an entity to one of its class or a superclass, without cycles."""
    folder = _ontology_with(
        tmp_path,
        "kg:rapid_antidepressant_effect skos:broader kg:antidepressant_effect .\n"
        "kg:treatment_resistant_depression skos:broader kg:depression .\n"
        "kg:dissociation skos:broader kg:depression .\n"  # an adverse effect under a condition
        "kg:antidepressant_effect skos:broader kg:rapid_antidepressant_effect .\n",  # a cycle
    )
    store = open_store("memory:")
    build_store(store, [qualified_corpus], ontology=folder)
    found = {(v.focus, v.value, v.message) for v in validate(store).violations}
    classes = "The broader entity of an entity is of the same class or a superclass of it"
    cycle = "The entity hierarchy (skos:broader) has no cycle."
    assert found == {
        ("kg:dissociation", "kg:depression", f"{classes} (skos:broader)."),
        ("kg:rapid_antidepressant_effect", "kg:antidepressant_effect", cycle),
        ("kg:antidepressant_effect", "kg:rapid_antidepressant_effect", cycle),
    }
