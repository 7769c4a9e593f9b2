"""Exports re-import: RDF formats parse back isomorphic to the store's dump, KGX and GraphML read
back with the same nodes, edges and fields, Web Annotations expand (offline) to the evidence."""

from __future__ import annotations

import json

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kgraph import build_store, open_store
from kgraph.cli import main
from kgraph.export import (
    ANNOTATION_CONTEXT,
    FORMATS,
    WA_CONTEXT_URL,
    export_bytes,
    kgx,
    offline_context,
    web_annotations,
    write_export,
)
from kgraph.formats import native
from kgraph.graphs import to_networkx
from kgraph.kgx_export import validate_kgx
from kgraph.vocab import GRAPH_DATA, GRAPH_ONTOLOGY, KG, corpus_dir
from tests.conftest import require

GRAPHS = (GRAPH_DATA, GRAPH_ONTOLOGY)


@pytest.fixture(scope="module")
def dataset(corpus_store) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(data=corpus_store.dump("nq"), format="nquads")
    return ds


def union(ds: rdflib.Dataset) -> rdflib.Graph:
    g = rdflib.Graph()
    for name in GRAPHS:
        for t in ds.graph(rdflib.URIRef(name)):
            g.add(t)
    return g


def count(store, sparql: str) -> int:
    return int(store.query(sparql).rows[0][0].value)


@pytest.mark.parametrize(
    ("fmt", "parser"), [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")]
)
def test_dataset_formats_parse_back_isomorphic(corpus_store, dataset, fmt, parser) -> None:
    back = rdflib.Dataset()
    back.parse(data=export_bytes(corpus_store, fmt), format=parser)
    for name in GRAPHS:
        got, want = back.graph(rdflib.URIRef(name)), dataset.graph(rdflib.URIRef(name))
        assert len(got) == len(want) > 0, name
        assert isomorphic(got, want), name


@pytest.mark.parametrize(("fmt", "parser"), [("ttl", "turtle"), ("nt", "nt")])
def test_triple_formats_parse_back_as_the_union(corpus_store, dataset, fmt, parser) -> None:
    back = rdflib.Graph().parse(data=export_bytes(corpus_store, fmt), format=parser)
    assert isomorphic(back, union(dataset))


def test_jsonld_has_a_context_of_kgraph_prefixes(corpus_store) -> None:
    doc = json.loads(export_bytes(corpus_store, "jsonld"))
    assert doc["@context"]["kgo"] == "https://w3id.org/kgraph/ontology#"
    text = json.dumps(doc)
    assert '"kgo:Assertion"' in text and '"kg:ketamine"' in text, "IRIs are compacted"


@pytest.fixture(scope="module")
def kgx_files(corpus_store, tmp_path_factory) -> tuple[list[dict], list[dict]]:
    folder = tmp_path_factory.mktemp("kgx") / "out"
    paths = write_export(corpus_store, "kgx", f"{folder}/")
    assert [p.name for p in paths] == ["nodes.jsonl", "edges.jsonl", "prefixes.json"]
    nodes = [json.loads(line) for line in paths[0].read_text().splitlines()]
    edges = [json.loads(line) for line in paths[1].read_text().splitlines()]
    return nodes, edges


def test_kgx_reads_back_with_every_assertion_and_entity(corpus_store, kgx_files) -> None:
    nodes, edges = kgx_files
    assert (nodes, edges) == kgx(corpus_store), "the files hold exactly the records"
    broader = [e for e in edges if e["predicate"] == "biolink:subclass_of"]
    statements = [e for e in edges if e not in broader]
    assert len(statements) == count(
        corpus_store, "SELECT (COUNT(*) AS ?n) { ?a a kgo:Assertion ; kgo:aboutClaim ?c }"
    )
    # every hierarchy link between two entities of the graph (the lexicon's links to entities no
    # document mentions would be dangling edges)
    assert len(broader) == count(
        corpus_store,
        """SELECT (COUNT(*) AS ?n) { ?e skos:broader ?b .
             FILTER EXISTS { ?e kgo:mentionedIn ?d1 } FILTER EXISTS { ?b kgo:mentionedIn ?d2 } }""",
    )
    ids = {n["id"] for n in nodes}
    assert len(ids) == len(nodes)
    assert {e["subject"] for e in edges} | {e["object"] for e in edges} <= ids
    mentioned = count(corpus_store, "SELECT (COUNT(DISTINCT ?e) AS ?n) { ?e kgo:mentionedIn ?d }")
    assert len(nodes) >= mentioned
    for n in nodes:
        assert n["category"] and all(c.startswith("biolink:") for c in n["category"]), n
        assert n["name"] and n["iri"].startswith("http")
    for e in edges:
        assert e["knowledge_level"] == "knowledge_assertion" and e["agent_type"] == "manual_agent"
    for e in statements:
        assert e["predicate"].startswith("biolink:") and e["original_predicate"].startswith("kgo:")
        assert isinstance(e["negated"], bool) and e["publications"]
        assert e["kgo_certainty"] in ("Asserted", "Hedged")
        assert e["kgo_source_type"]


def test_kgx_biolink_mappings_come_from_the_ontology(kgx_files) -> None:
    nodes, edges = kgx_files
    by_iri = {n["iri"]: n for n in nodes}
    ketamine, nmda = by_iri[str(KG.ketamine)], by_iri[str(KG.nmda_receptor)]
    assert ketamine["category"] == ["biolink:SmallMolecule"]
    # receptors are protein complexes, not genes (issue 13)
    assert nmda["category"] == ["biolink:MacromolecularComplex"]
    # standard CURIEs as ids where an identifier exists (issue 18): ChEBI before MeSH for a
    # chemical, GO for a complex; the rest and the kgraph CURIE are cross-references
    assert (ketamine["id"], nmda["id"]) == ("CHEBI:6121", "GO:0017146")
    assert {"MESH:D007649", "kg:ketamine"} <= set(ketamine["xref"])
    predicates = {e["original_predicate"]: e["predicate"] for e in edges}
    assert predicates["kgo:hasAdverseEffect"] == "biolink:has_adverse_event"
    assert predicates["kgo:antagonistOf"] == "biolink:affects"
    assert predicates["kgo:administeredVia"] == "biolink:related_to", "no mapping: the fallback"
    increases = next(e for e in edges if e["original_predicate"] == "kgo:increases")
    assert increases["object_direction_qualifier"] == "increased"


def test_kgx_evidence_points_into_the_documents_text(corpus_store, kgx_files) -> None:
    _, edges = kgx_files
    texts = {f"kgd:{d.id}": d.text for d in native.read(corpus_dir())}
    located = 0
    edges = [e for e in edges if e["predicate"] != "biolink:subclass_of"]
    for e in edges:
        text = texts[e["publications"][0]]
        start, end = e["kgo_sentence_location_in_text"]
        assert e["supporting_text"] == [text[start:end]]
        for end_ in ("subject", "object"):
            if f"{end_}_location_in_text" in e:
                a, b = e[f"{end_}_location_in_text"]
                assert start <= a < b <= end
                located += 1
    assert located > len(edges), "most mentions are located in their sentence"
    denied = [e for e in edges if e["negated"]]
    assert denied and len(denied) == count(
        corpus_store, "SELECT (COUNT(*) AS ?n) { ?a kgo:negated true ; kgo:aboutClaim ?c }"
    ), "every denial is a negated edge"
    # clinical safety data show no signal of the severe adverse effects of recreational abuse;
    # arketamine acts "without strong" NMDA blockade: a weak antagonist, not a denied one
    # (node ids are standard CURIEs: ketamine CHEBI:6121, the NMDA receptor GO:0017146)
    pairs = {(e["subject"], e["object"]) for e in denied}
    assert any(s == "CHEBI:6121" and "severe_adverse_effects" in o for s, o in pairs), pairs
    assert ("CHEBI:580604", "GO:0017146") not in pairs


def test_kgx_prefix_output_names_two_files(corpus_store, tmp_path) -> None:
    paths = write_export(corpus_store, "kgx", tmp_path / "ketamine")
    assert [p.name for p in paths] == [
        "ketamine_nodes.jsonl",
        "ketamine_edges.jsonl",
        "ketamine_prefixes.json",
    ]


def test_graphml_reads_back_with_networkx(corpus_store, tmp_path) -> None:
    path = tmp_path / "g.graphml"
    write_export(corpus_store, "graphml", path)
    back = nx.read_graphml(path, force_multigraph=True)
    g = to_networkx(corpus_store)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    ketamine = back.nodes["https://w3id.org/kgraph/entity/ketamine"]
    assert ketamine["label"] == "ketamine" and "MESH:D007649" in ketamine["identifiers"].split("|")
    data = next(
        d
        for s, o, d in back.edges(data=True)
        if s.endswith("/ketamine") and o.endswith("/nmda_receptor")
    )
    assert data["label"] == "antagonist of" and int(data["statements"]) >= 1


def test_web_annotations_have_the_model_structure(corpus_store) -> None:
    doc = json.loads(export_bytes(corpus_store, "wa"))
    assert doc["@context"][0] == WA_CONTEXT_URL
    assert doc["type"] == "AnnotationCollection"
    items = doc["first"]["items"]
    assert doc["first"]["type"] == "AnnotationPage" and doc["total"] == len(items)
    assert len(items) == count(corpus_store, "SELECT (COUNT(*) AS ?n) { ?a kgo:evidence ?e }")
    questions = count(corpus_store, "SELECT (COUNT(*) AS ?n) { ?q a kgo:ResearchQuestion }")
    assert sum(a["motivation"] == "questioning" for a in items) == questions > 0
    for a in items:
        assert a["type"] == "Annotation"
        assert {"subject", "predicate", "object"} <= set(a["body"])
        if a["motivation"] == "describing":  # a statement; a research question has no polarity
            assert "negated" in a["body"] and "kgo:Assertion" in a["body"]["type"]
        else:
            assert a["motivation"] == "questioning" and "negated" not in a["body"]
        target = a["target"]
        assert target["type"] == "SpecificResource" and target["source"].startswith("https://")
        kinds = [s["type"] for s in target.get("selector", [])]
        assert kinds in ([], ["TextPositionSelector", "TextQuoteSelector"])
        if kinds:
            position, quote = target["selector"]
            assert position["end"] - position["start"] == len(quote["exact"])


def test_web_annotations_expand_offline_to_the_evidence(corpus_store) -> None:
    doc = offline_context(web_annotations(corpus_store))
    assert ANNOTATION_CONTEXT in doc["@context"]
    g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    got = {
        (str(ev), str(a), str(src))
        for ev, a in g.subject_objects(oa.hasBody)
        for t in g.objects(ev, oa.hasTarget)
        for src in g.objects(t, oa.hasSource)
    }
    rows = corpus_store.query(
        "SELECT ?ev ?a ?d { ?a kgo:evidence ?ev . ?ev oa:hasTarget/oa:hasSource ?d }"
    ).rows
    assert got == {(r[0].value, r[1].value, r[2].value) for r in rows}
    starts = {int(o) for o in g.objects(None, oa.start)}
    want = {int(r[0].value) for r in corpus_store.query("SELECT ?s { ?p oa:start ?s }").rows}
    assert starts == want
    assert (None, rdflib.RDF.type, oa.Annotation) in g


def test_every_format_is_offered_by_the_cli() -> None:
    from kgraph.cli import EXPORT_FORMATS

    assert sorted(EXPORT_FORMATS) == sorted(FORMATS)


def test_cli_export_writes_files_and_refuses_kgx_to_stdout(tmp_path, monkeypatch) -> None:
    runner = CliRunner()
    store = tmp_path / "store"
    assert runner.invoke(main, ["build", "--store", str(store), "-q"]).exit_code == 0
    result = runner.invoke(
        main, ["export", "--store", str(store), "--format", "kgx", "-o", f"{tmp_path}/kgx/"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kgx" / "edges.jsonl").stat().st_size > 0
    wa = runner.invoke(main, ["export", "--store", str(store), "--format", "wa"])
    assert wa.exit_code == 0 and json.loads(wa.stdout_bytes)["type"] == "AnnotationCollection"
    bad = runner.invoke(main, ["export", "--store", str(store), "--format", "kgx"])
    assert bad.exit_code == 2 and "two files" in bad.output


# -- KGX: predicates chosen by the evidence, qualifiers and notes, kgx validate (issues 13, 18) --


def test_kgx_treats_only_for_firm_clinical_evidence(kgx_files) -> None:
    _, edges = kgx_files
    treating = [e for e in edges if e["original_predicate"] in ("kgo:treats", "kgo:approvedFor")]
    assert treating
    for e in treating:
        firm = (
            e["kgo_certainty"] == "Asserted"
            and e.get("kgo_evidence_level")
            in ("ClinicalPhase3", "ClinicalPhase4", "ClinicalPractice")
            and e["kgo_source_type"] not in ("ClinicMarketingPage", "OpinionArticle")
            and not e.get("kgo_proposed")
            and e.get("kgo_evidence_level") != "Opinion"
        )
        assert (e["predicate"] == "biolink:treats") == firm, e
    marketing = [e for e in treating if e["kgo_source_type"] == "ClinicMarketingPage"]
    assert marketing and all(e["predicate"] != "biolink:treats" for e in marketing)


def test_kgx_carries_qualifiers_notes_and_leaves_out_questions(
    qualified_store, qualified_corpus
) -> None:
    nodes, edges = kgx(qualified_store)
    ids = {n["iri"]: n["id"] for n in nodes}
    less = next(e for e in edges if e.get("kgo_comparison") == "Less")
    assert less["kgo_comparator"] == ids[str(KG.esketamine)]
    assert less["predicate"] == "biolink:has_adverse_event"
    weak = next(e for e in edges if e.get("kgo_degree") == "Weak")
    assert weak["kgo_note"].startswith("weaker, not absent")
    mediated = {e["kgo_mediation"]: e for e in edges if "kgo_mediation" in e}
    assert set(mediated) == {"Through", "Independent"}
    assert {e["kgo_mediator"] for e in mediated.values()} == {ids[str(KG.nmda_receptor)]}
    # the research question and the unreviewed proposal are no edges
    assert len([e for e in edges if e["predicate"] != "biolink:subclass_of"]) == 4
    assert not any(e.get("kgo_proposed") for e in edges)
    # a build that includes proposals exports them, as a text-mining agent's
    store = open_store("memory:")
    build_store(store, [qualified_corpus], include_proposed=True)
    [proposal] = [e for e in kgx(store)[1] if e.get("kgo_proposed")]
    assert proposal["agent_type"] == "text_mining_agent" and proposal["kgo_confidence"] == "Medium"
    assert proposal["kgo_note"] == "rule=treat-verb; cue=relieves"
    assert proposal["predicate"] == "biolink:in_clinical_trials_for", "phase 3, but not reviewed"


def _kgx_python() -> str | None:
    """An interpreter with KGX and the Biolink model: this one, $KGRAPH_KGX_PYTHON or .venv-kgx."""
    import importlib.util
    import os
    from pathlib import Path

    if importlib.util.find_spec("kgx") and importlib.util.find_spec("biolink_model"):
        return None
    for candidate in (
        os.environ.get("KGRAPH_KGX_PYTHON"),
        str(Path(__file__).resolve().parents[1] / ".venv-kgx" / "bin" / "python"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return ""


@pytest.mark.parametrize("which", ["corpus", "qualified"])
def test_kgx_validate_reports_no_error(corpus_store, qualified_store, tmp_path, which) -> None:
    """KGX's own validator, offline, with the Biolink model of the biolink-model package."""
    python = _kgx_python()
    require(
        "kgx with the biolink-model package",
        python != "",
        "pip install kgx biolink-model, or set KGRAPH_KGX_PYTHON; .ci/run makes .venv-kgx",
    )
    store = corpus_store if which == "corpus" else qualified_store
    nodes, edges, prefixes = write_export(store, "kgx", f"{tmp_path}/")
    assert validate_kgx(nodes, edges, python=python) == {}
    # the check bites: without kgraph's prefix map, kg: ids are unregistered prefixes
    prefixes.write_text('{"@context": {}}')
    errors = validate_kgx(nodes, edges, python=python)
    assert "not represented in Biolink Model JSON-LD context" in json.dumps(errors)


def test_kgx_entity_hierarchy_is_subclass_of(tmp_path) -> None:
    import shutil

    from kgraph.vocab import ontology_dir

    folder = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), folder)
    with open(folder / "entities.ttl", "a", encoding="utf-8") as f:
        f.write("\nkg:treatment_resistant_depression skos:broader kg:depression .\n")
    store = open_store("memory:")
    build_store(store, [corpus_dir()], ontology=folder)
    nodes, edges = kgx(store)
    ids = {n["iri"]: n["id"] for n in nodes}
    trd, depression = ids[str(KG.treatment_resistant_depression)], ids[str(KG.depression)]
    [edge] = [e for e in edges if e["predicate"] == "biolink:subclass_of" and e["subject"] == trd]
    assert edge["object"] == depression and edge["original_predicate"] == "skos:broader"
    assert edge["knowledge_level"] == "knowledge_assertion" and edge["agent_type"] == "manual_agent"


def test_kgx_validate_without_kgx_is_an_error_not_a_finding(corpus_store, tmp_path) -> None:
    """An interpreter lacking KGX must not read as 'errors found' (its script exits 3)."""
    import importlib.util
    import subprocess
    import sys

    if importlib.util.find_spec("kgx") is not None:
        pytest.skip("this interpreter has kgx: the case needs one without it")
    nodes, edges, _ = write_export(corpus_store, "kgx", f"{tmp_path}/")
    with pytest.raises(RuntimeError, match=r"kgx.*not installed"):
        validate_kgx(nodes, edges, python=sys.executable)
    from kgraph import kgxcheck

    done = subprocess.run(
        [sys.executable, kgxcheck.__file__, str(nodes), str(edges)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 3 and done.stdout == b""
