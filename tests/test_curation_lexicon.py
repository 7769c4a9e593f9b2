"""Lexicon growth as curation: accepting an entity the lexicon lacks (``add-entity``) makes it a
lexicon entity on every build, through the CLI, the notebook and the log alike, and ``kgraph
curate lexicon`` writes it in ``ontology/entities.ttl`` form to make it permanent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kgraph.build import build_store
from kgraph.cli import main
from kgraph.curation import LOG, read_log
from kgraph.curation.acts import curate
from kgraph.errors import FormatError, KGraphError
from kgraph.incremental import add_documents
from kgraph.store import open_store
from kgraph.vocab import GRAPH_ONTOLOGY, corpus_dir, ontology_dir

from .test_curation_review import proposal_folder

T = "2026-04-05T06:07:08Z"
KGO = "https://w3id.org/kgraph/ontology#"
KG = "https://w3id.org/kgraph/entity/"
# Our own sentences; "zorbamine" is a made-up drug name the lexicon cannot know.
NEW_TEXT = "Zorbamine blocks NMDA receptors in rats.\nZorbamine may treat depression.\n"
MINTED = "kg:text/compound/zorbamine"


def unknown_entity_folder(folder: Path) -> Path:
    """The proposal corpus plus a document naming an entity outside the lexicon, as ``kgraph
    annotate`` proposes it: a Low-confidence mention without an identifier."""
    proposal_folder(folder)
    (folder / "zorb.txt").write_text(NEW_TEXT, encoding="utf-8")
    z2 = NEW_TEXT.index("Zorbamine", 1)
    nmda, dep = NEW_TEXT.index("NMDA receptors"), NEW_TEXT.index("depression")
    ann = [
        "T1\tCompound 0 9\tZorbamine",
        "A1\tProposed T1",
        "A2\tConfidence T1 Low",
        f"T2\tReceptor {nmda} {nmda + 14}\tNMDA receptors",
        "N1\tReference T2 kg:nmda_receptor\tNMDA receptors",
        f"T3\tCompound {z2} {z2 + 9}\tZorbamine",
        f"T4\tCondition {dep} {dep + 10}\tdepression",
        "N2\tReference T4 kg:depression\tdepression",
        "R1\tantagonistOf Arg1:T1 Arg2:T2\t",
        "A3\tProposed R1",
        "A4\tConfidence R1 Low",
        "R2\ttreats Arg1:T3 Arg2:T4\t",
        "A5\tProposed R2",
        "A6\tConfidence R2 Low",
        "A7\tCertainty R2 Hedged",
    ]
    (folder / "zorb.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    with (folder / "manifest.toml").open("a", encoding="utf-8") as f:
        f.write(
            '\n[[document]]\nid = "zorb"\ntitle = "A made-up drug"\npublisher = "us"\n'
            'date = "2026"\nsource_type = "PeerReviewedArticle"\n'
        )
    return folder


ENTRY = {
    "label": "zorbamine",
    "synonyms": ["zorbamine hydrochloride"],
    "identifiers": ["CHEBI:999999"],  # a test value, not a checked identifier
}


def cli_add_entity(corpus: Path, subject: str = MINTED) -> None:
    r = CliRunner().invoke(
        main,
        ["curate", "add-entity", "--corpus", str(corpus), "--document", "zorb", "--subject",
         subject, "--class", "Compound", "--label", ENTRY["label"], "--synonym",
         ENTRY["synonyms"][0], "--identifier", ENTRY["identifiers"][0], "--curator", "ann",
         "--time", T, "--reason", "a new drug in this abstract"],
    )  # fmt: skip
    assert r.exit_code == 0, r.output


def built(corpus_or_sources) -> object:
    store = open_store("memory:")
    sources = corpus_or_sources if isinstance(corpus_or_sources, list) else [corpus_or_sources]
    build_store(store, sources)
    return store


def ask(store, pattern: str) -> bool:
    q = f"PREFIX kgo: <{KGO}> PREFIX kg: <{KG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    q += (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX oa: <http://www.w3.org/ns/oa#> "
    )
    q += "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#> "
    return bool(store.query(q + f"ASK {{ {pattern} }}").boolean)


def test_unknown_entity_is_text_named_before_review(tmp_path):
    store = built(unknown_entity_folder(tmp_path / "c"))
    assert ask(store, "<https://w3id.org/kgraph/entity/text/compound/zorbamine> a kgo:Compound")
    assert not ask(store, "kg:zorbamine ?p ?o")


def test_add_entity_makes_a_lexicon_entity(tmp_path):
    corpus = unknown_entity_folder(tmp_path / "c")
    cli_add_entity(corpus, subject="Zorbamine")  # its words in the document work as well
    [a] = read_log(corpus / LOG)
    assert (a.act, a.subject, a.predicate, a.object) == (
        "add-entity",
        MINTED,
        "rdf:type",
        "kgo:Compound",
    )
    assert dict(a.set) == {"entity": "kg:zorbamine", **ENTRY}
    store = built(corpus)
    # a real lexicon entity: typed, labelled, with its synonyms and identifier as entities.ttl has them
    o = f"<{GRAPH_ONTOLOGY}>"
    assert ask(store, f"GRAPH {o} {{ kg:zorbamine a kgo:Compound ; rdfs:label 'zorbamine'@en ; "
               "skos:altLabel 'zorbamine hydrochloride'@en ; "
               "skos:exactMatch <http://purl.obolibrary.org/obo/CHEBI_999999> ; "
               "dcterms:identifier 'CHEBI:999999' }")  # fmt: skip
    # every mention of it grounds there now (both sentences), and the text-named entity is gone
    assert ask(store, "?a rdf:subject kg:zorbamine ; rdf:predicate kgo:antagonistOf")
    assert ask(store, "?a rdf:subject kg:zorbamine ; rdf:predicate kgo:treats")
    assert not ask(store, "<https://w3id.org/kgraph/entity/text/compound/zorbamine> ?p ?o")
    # the review is a Web Annotation (editing) on the entity, attributed to the curator
    assert ask(store, "?r a oa:Annotation ; oa:motivatedBy oa:editing ; oa:hasTarget kg:zorbamine ; "
               "prov:wasAttributedTo ?who . ?who rdfs:label 'ann'")  # fmt: skip
    # resolvable by its synonym and identifier, as any lexicon entity
    from kgraph.query import resolve

    assert resolve(store, "zorbamine hydrochloride") == f"{KG}zorbamine"
    assert resolve(store, "CHEBI:999999") == f"{KG}zorbamine"


def test_acts_naming_the_text_entity_still_apply(tmp_path):
    """An accept written before the entity joined the lexicon (naming kg:text/…) still finds its
    statement after it did."""
    corpus = unknown_entity_folder(tmp_path / "c")
    curate(corpus, "accept", document="zorb", subject=MINTED, predicate="antagonistOf",
           object="kg:nmda_receptor", curator="ann", time=T)  # fmt: skip
    cli_add_entity(corpus)
    store = built(corpus)
    assert ask(store, "kg:zorbamine kgo:antagonistOf kg:nmda_receptor")  # accepted: a direct triple
    assert not ask(store, "kg:zorbamine kgo:treats kg:depression")  # still an unreviewed proposal


def test_notebook_and_cli_write_the_same_line(tmp_path):
    from kgraph import KnowledgeGraph

    a = unknown_entity_folder(tmp_path / "a")
    b = unknown_entity_folder(tmp_path / "b")
    cli_add_entity(a)
    kg = KnowledgeGraph(built(b))
    out = kg.curate("add-entity", corpus=b, document="zorb", subject=MINTED, predicate="rdf:type",
                    object="Compound", curator="ann", time=T, reason="a new drug in this abstract",
                    changes={"label": "zorbamine", **{k: v for k, v in ENTRY.items() if k != "label"}})  # fmt: skip
    assert out["line"] == 1
    assert (a / LOG).read_bytes() == (b / LOG).read_bytes()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"cls": "Drug"}, "no class 'Drug'"),
        ({"subject": "kg:ketamine"}, "already an entity of the lexicon"),
        ({"subject": "kg:text/compound/nothing"}, "no mention of document 'zorb' grounds to"),
        ({"entity": "kg:ketamine"}, "kg:ketamine is already in the lexicon"),
        ({"identifiers": ["NOPE:1"]}, "not a CURIE of a known registry"),
    ],
)
def test_bad_entity_acts_are_refused(tmp_path, change, problem):
    corpus = unknown_entity_folder(tmp_path / "c")
    fields = {"document": "zorb", "subject": MINTED, "predicate": "rdf:type", "object": "Compound",
              "curator": "ann", "changes": {"label": "zorbamine"}}  # fmt: skip
    if "cls" in change:
        fields["object"] = change["cls"]
    if "subject" in change:
        fields["subject"] = change["subject"]
    for k in ("entity", "identifiers"):
        if k in change:
            fields["changes"] = {**fields["changes"], k: change[k]}
    with pytest.raises(KGraphError, match=problem):
        curate(corpus, "add-entity", **fields)
    assert not (corpus / LOG).exists()


def test_malformed_entity_line_names_file_and_line(tmp_path):
    corpus = unknown_entity_folder(tmp_path / "c")
    line = json.dumps({"act": "add-entity", "document": "zorb", "subject": MINTED,
                       "predicate": "rdf:type", "object": "kgo:Compound",
                       "set": {"entity": "kg:Zorb Amine", "label": "zorbamine"},
                       "curator": "ann", "time": T})  # fmt: skip
    (corpus / LOG).write_text("\n" + line + "\n")
    with pytest.raises(FormatError, match=r"curation\.jsonl:2: set: entity must be a kg: name"):
        built(corpus)


def test_curators_who_disagree_leave_the_entry_out(tmp_path):
    corpus = unknown_entity_folder(tmp_path / "c")
    cli_add_entity(corpus)
    curate(corpus, "add-entity", document="zorb", subject=MINTED, predicate="rdf:type",
           object="Receptor", curator="bob", time=T, changes={"label": "zorbamine"})  # fmt: skip
    store = built(corpus)
    assert not ask(store, "kg:zorbamine ?p ?o")
    assert ask(store, "<https://w3id.org/kgraph/entity/text/compound/zorbamine> a kgo:Compound")
    r = CliRunner().invoke(main, ["curate", "list", "--corpus", str(corpus), "--format", "jsonl"])
    assert [json.loads(x)["outcome"] for x in r.output.splitlines()] == ["contested", "contested"]
    # the second curator agrees after all: the later act supersedes, and the entry holds
    cli_add_entity(corpus)  # as ann did
    curate(corpus, "add-entity", document="zorb", subject=MINTED, predicate="rdf:type",
           object="Compound", curator="bob", time=T, reason="a new drug in this abstract",
           changes=dict(ENTRY))  # fmt: skip
    r = CliRunner().invoke(main, ["curate", "list", "--corpus", str(corpus), "--format", "jsonl"])
    outcomes = [json.loads(x)["outcome"] for x in r.output.splitlines()]
    assert outcomes == ["superseded", "superseded"] + ["added to the lexicon"] * 2
    assert ask(built(corpus), "kg:zorbamine a kgo:Compound")


def test_lexicon_command_makes_the_entry_permanent(tmp_path):
    corpus = unknown_entity_folder(tmp_path / "c")
    cli_add_entity(corpus)
    r = CliRunner().invoke(main, ["curate", "lexicon", "--corpus", str(corpus)])
    assert r.exit_code == 0, r.output
    turtle = r.output
    assert "kg:zorbamine a kgo:Compound ;" in turtle and "# reviewed by ann" in turtle
    # appended to a copy of the ontology, the entry holds without the log
    ontology = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), ontology)
    append = [
        "curate",
        "lexicon",
        "--corpus",
        str(corpus),
        "--append-to",
        str(ontology / "entities.ttl"),
    ]
    r = CliRunner().invoke(main, append)
    assert r.exit_code == 0, r.output
    again = CliRunner().invoke(main, append)
    assert "nothing to add" in again.output  # already there: not written twice
    (corpus / LOG).unlink()
    store = open_store("memory:")
    build_store(store, [corpus], ontology=ontology)
    assert ask(
        store,
        "kg:zorbamine a kgo:Compound ; skos:exactMatch <http://purl.obolibrary.org/obo/CHEBI_999999>",
    )
    assert ask(store, "?a rdf:subject kg:zorbamine ; rdf:predicate kgo:antagonistOf")


def test_add_with_an_entity_act_equals_a_rebuild(tmp_path):
    from .test_curation_incremental import nquads

    corpus = unknown_entity_folder(tmp_path / "c")
    store = open_store(tmp_path / "inc")
    build_store(store, [corpus_dir(), corpus])  # unreviewed: the entity is text-named
    cli_add_entity(corpus)
    add_documents(store, [corpus])
    full = open_store(tmp_path / "full")
    build_store(full, [corpus_dir(), corpus])
    assert nquads(store) == nquads(full)
    assert ask(store, "kg:zorbamine a kgo:Compound")


def test_list_and_build_report_no_orphan_for_an_entity_act(tmp_path):
    corpus = unknown_entity_folder(tmp_path / "c")
    cli_add_entity(corpus)
    curate(corpus, "accept", document="zorb", subject="zorbamine", predicate="antagonistOf",
           object="kg:nmda_receptor", curator="ann", time=T)  # fmt: skip
    store = open_store("memory:")
    report = build_store(store, [corpus])
    assert not any("orphan" in reason for reason in report.skipped)
    r = CliRunner().invoke(main, ["curate", "list", "--corpus", str(corpus), "--format", "jsonl"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in r.output.splitlines()]
    assert [(x["act"], x["outcome"]) for x in rows] == [
        ("add-entity", "added to the lexicon"),
        ("accept", "accepted"),
    ]
    assert rows[1]["subject"] == "kg:zorbamine"  # the name resolves through the grown lexicon


def test_annotate_proposes_it_and_accepting_it_grows_the_lexicon(tmp_path):
    """From `kgraph annotate` (a Low-confidence candidate the lexicon lacks) to a lexicon entity."""
    from kgraph.curation.explorer import review_block
    from kgraph.views import graph_of

    src = tmp_path / "zorb.txt"
    src.write_text("Zorbamine blocks NMDA receptors in rats.\n", encoding="utf-8")
    corpus = tmp_path / "proposed"
    args = ["annotate", str(src), "-o", str(corpus), "--title", "A made-up drug",
            "--source-type", "PeerReviewedArticle", "--date", "2026"]  # fmt: skip
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "Confidence T1 Low" in (corpus / "zorb.ann").read_text()  # the candidate
    store = built(corpus)
    [new] = review_block(store, graph_of(store))["data"]["entities"]  # review mode lists it
    assert (new["entity"], new["class"], new["document"]) == (MINTED, "Compound", "zorb")
    cli_add_entity(corpus, subject=new["entity"])
    store = built(corpus)
    assert ask(store, "kg:zorbamine a kgo:Compound")
    assert ask(
        store, "?a rdf:subject kg:zorbamine ; rdf:predicate kgo:antagonistOf ; kgo:proposed true"
    )
    assert review_block(store, graph_of(store))["data"]["entities"] == []


def test_a_grown_lexicon_passes_the_shapes(tmp_path):
    from kgraph.validate import available, validate

    if not available():
        pytest.skip("pyshacl is not installed")
    corpus = unknown_entity_folder(tmp_path / "c")
    cli_add_entity(corpus)
    curate(corpus, "accept", document="zorb", subject="zorbamine", predicate="antagonistOf",
           object="kg:nmda_receptor", curator="ann", time=T)  # fmt: skip
    store = built(corpus)
    report = validate(store)
    assert report.conforms, report.violations
    assert ask(store, "kg:zorbamine kgo:antagonistOf kg:nmda_receptor")
    # a review of anything else (here: a document) still breaks the shape
    g = "<https://w3id.org/kgraph/graph/data>"
    bad = (f"<urn:x:review> <{KGO}reviewAct> <{KGO}Added> {g} .\n"
           f"<urn:x:review> <http://www.w3.org/ns/oa#hasTarget> <https://w3id.org/kgraph/document/zorb> {g} .\n")  # fmt: skip
    store._reader().load(bad.encode(), format=ox.RdfFormat.N_QUADS)
    messages = [v.message for v in validate(store).violations]
    assert any("targets exactly one kgo:Assertion (or" in m for m in messages), messages
