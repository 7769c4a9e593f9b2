"""The general MeSH name layer of ``kgraph annotate`` (kgraph/annotate/general.py) and the generator
of its table (benchmarks/mesh_names.py). Inputs are small, hand-made and in our own words."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.annotate import annotate_text
from kgraph.annotate.general import (
    DROP,
    RULE,
    NameRow,
    general_entries,
    general_matcher,
    read_table,
)
from kgraph.annotate.matcher import Matcher
from kgraph.annotate.pipeline import Settings, annotate_document, match_entities
from kgraph.cli import main
from kgraph.errors import KGraphError
from kgraph.model import Document

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ROWS = (
    NameRow("zorbitol", "MESH:D900001", "Compound", 6, 5, 5),
    NameRow("blue fever", "MESH:D900002", "Condition", 4, 3, 3),
    NameRow("ketamine drip", "MESH:D900003", "Compound", 2, 2, 2),  # overlaps a lexicon name
    NameRow("Ketalar", "MESH:D007649", "Compound", 2, 2, 2),  # an id the lexicon lists
    NameRow("trouble", "MESH:D900004", DROP, 9, 9, 1),  # rarely annotated: never matched
    NameRow("grey rash", "MESH:D900005", "Condition", 5, 4, 1),  # kept, but weakly grounded
)
TEXT = "Zorbitol-induced blue fever was seen in rats; a ketamine drip and Ketalar gave trouble."


def _annotate(text: str, **settings) -> Document:
    return annotate_document(
        Document("d", text), general=general_matcher(rows=ROWS), settings=Settings(**settings)
    )


def test_layer_grounds_what_the_lexicon_lacks_as_proposals_with_the_rule() -> None:
    doc = _annotate(TEXT)
    by_text = {m.text: m for m in doc.mentions}
    z, f = by_text["Zorbitol"], by_text["blue fever"]
    assert (z.type, z.concepts, z.proposed) == ("Compound", ("MESH:D900001",), True)
    assert (f.type, f.concepts) == ("Condition", ("MESH:D900002",))
    assert doc.metadata[f"proposal:{z.id}"] == f"rule={RULE}; score=0.90"
    assert z.confidence == "High"
    # a relation rule fires between the two new ends
    [r] = [r for r in doc.relations if {r.subject, r.object} == {z.id, f.id}]
    assert r.type == "causes" and r.proposed and r.subject == z.id


def test_lexicon_wins_on_overlap_and_listed_ids_ground_to_the_lexicon() -> None:
    doc = _annotate(TEXT)
    texts = {m.text: m.concepts for m in doc.mentions}
    assert "ketamine drip" not in texts  # longer, but the lexicon's "ketamine" is matched first
    assert texts["ketamine"] == ("kg:ketamine",)
    assert texts["Ketalar"] == ("kg:ketamine",)  # MESH:D007649 is the lexicon's ketamine
    [e] = general_entries([ROWS[3]])
    assert (e.concept, e.type) == ("kg:ketamine", "Compound")


def test_drop_rows_never_match_and_weak_names_score_low() -> None:
    doc = _annotate("Trouble and troubles; a grey rash.")
    assert [m.text for m in doc.mentions if m.concepts] == ["grey rash"]
    [m] = [m for m in doc.mentions if m.text == "grey rash"]
    assert doc.metadata[f"proposal:{m.id}"].endswith("score=0.25")
    assert m.confidence == "Low"


def test_switch_off_keeps_only_the_lexicon() -> None:
    doc = _annotate(TEXT, general=False)
    assert not any(c.startswith("MESH:") for m in doc.mentions for c in m.concepts)
    # the packaged layer is on by default: a common drug the lexicon lacks gets its MeSH id
    on = annotate_text("Haloperidol caused catalepsy in rats.")
    assert [m.concepts for m in on.mentions][:2] == [("MESH:D006220",), ("MESH:D002375",)]
    off = annotate_text("Haloperidol caused catalepsy in rats.", settings=Settings(general=False))
    assert not any(m.concepts for m in off.mentions)


def test_layer_fills_only_free_text_before_candidates() -> None:
    m = match_entities(
        Document("d", "Zorbitol and Quxamine."),
        Matcher.from_lexicon(),
        general=general_matcher(rows=ROWS),
    )
    notes = [m.metadata[f"proposal:{x.id}"].split(";")[0] for x in m.mentions]
    assert notes == [f"rule={RULE}", "rule=cand.drug-suffix"]


def test_matcher_is_built_once() -> None:
    assert general_matcher() is general_matcher()
    assert general_matcher(rows=ROWS) is general_matcher(rows=ROWS)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("name\tid\n", "expected the header"),
        (
            "name\tid\tclass\tmentions\tfound\tannotated\nx\tMESH:D1\tDrug\t1\t1\t1\n",
            "class 'Drug'",
        ),
        ("name\tid\tclass\tmentions\tfound\tannotated\nx\tMESH:D1\tCompound\t1\n", "4 columns"),
        ("name\tid\tclass\tmentions\tfound\tannotated\nx\tCHEBI:1\tCompound\t1\t1\t1\n", "MESH:"),
        ("name\tid\tclass\tmentions\tfound\tannotated\nx\tMESH:D1\tCompound\tone\t1\t1\n", "whole"),
        ("# only a comment\n", "no header"),
    ],
)
def test_bad_tables_name_file_and_line(tmp_path: Path, body: str, error: str) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("# a comment\n" + body, encoding="utf-8")
    with pytest.raises(KGraphError) as e:
        read_table(path)
    assert error in str(e.value) and str(path) in str(e.value)
    if "header" not in error:
        assert f"{path}:3:" in str(e.value)


def test_packaged_table_is_read_gzipped_with_its_origin() -> None:
    from kgraph.annotate.general import TABLE

    raw = (ROOT / "kgraph" / "data" / "annotate" / TABLE).read_bytes()
    head = gzip.decompress(raw).decode("utf-8").split("\nname\t", 1)[0]
    assert "BC5CDR Training" in head and "BioRED Dev" in head and "benchmarks/gold" in head
    assert "PGxCorpus is not used" in head
    rows = read_table()
    assert {r.cls for r in rows} == {"Compound", "Condition", DROP}


def _pubtator(pmid: str, title: str, mentions: list[tuple[str, str, str]]) -> str:
    lines = [f"{pmid}|t|{title}", f"{pmid}|a|"]
    for text, type_, mesh in mentions:
        s = title.index(text)
        lines.append(f"{pmid}\t{s}\t{s + len(text)}\t{text}\t{type_}\t{mesh}")
    return "\n".join(lines) + "\n\n"


def _corpora(tmp_path: Path) -> tuple[Path, Path]:
    c = tmp_path / "corpora"
    (c / "bc5cdr").mkdir(parents=True)
    (c / "biored").mkdir()
    train = _pubtator(
        "11",
        "Zorbitol brought on blue fever.",
        [("Zorbitol", "Chemical", "D900001"), ("blue fever", "Disease", "D900002")],
    )
    train += _pubtator(
        "12", "Gold set text names quxolol here.", [("quxolol", "Chemical", "D900009")]
    )
    train += _pubtator(
        "13", "Held-out text names plimadine here.", [("plimadine", "Chemical", "D900008")]
    )
    (c / "bc5cdr" / "CDR_TrainingSet.PubTator.txt").write_text(train, encoding="utf-8")
    (c / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt").write_text(
        _pubtator(
            "14",
            "Zorbitol again, with a grey rash.",
            [("Zorbitol", "Chemical", "D900001"), ("grey rash", "Disease", "D900005")],
        ),
        encoding="utf-8",
    )
    (c / "bc5cdr" / "CDR_TestSet.PubTator.txt").write_text(
        _pubtator("13", "Held-out text names plimadine here.", []), encoding="utf-8"
    )
    (c / "biored" / "Train.PubTator.txt").write_text(
        _pubtator("11", "Zorbitol brought on blue fever.", []), encoding="utf-8"
    )
    (c / "biored" / "Dev.PubTator.txt").write_text(
        _pubtator(
            "15",
            "A gene XYZ1 and blue fever.",
            [
                ("XYZ1", "GeneOrGeneProduct", "123"),
                ("blue fever", "DiseaseOrPhenotypicFeature", "D900002"),
            ],
        ),
        encoding="utf-8",
    )
    (c / "biored" / "Test.PubTator.txt").write_text("", encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "manifest.toml").write_text('[[document]]\npmid = "12"\n', encoding="utf-8")
    return c, gold


def test_generator_leaves_out_gold_and_test_abstracts(tmp_path: Path) -> None:
    from benchmarks import mesh_names

    corpora, gold = _corpora(tmp_path)
    out = tmp_path / "t.tsv.gz"
    log: list[str] = []
    rows = mesh_names.generate(out, corpora, gold=gold, log=log.append)
    names = {r.name: r for r in rows}
    assert set(names) == {"Zorbitol", "blue fever", "grey rash"}  # no quxolol, no plimadine
    assert (names["Zorbitol"].id, names["Zorbitol"].cls, names["Zorbitol"].mentions) == (
        "MESH:D900001",
        "Compound",
        2,
    )
    assert names["blue fever"].cls == "Condition"
    text = "\n".join(log)
    assert "BC5CDR Training: 3 abstracts, 1 used" in text
    assert "1 in BC5CDR Test" in text and "1 in benchmarks/gold (E6)" in text
    assert "1 in already read from another source" in text
    assert read_table(out) == tuple(rows)
    first = out.read_bytes()
    mesh_names.generate(out, corpora, gold=gold, log=log.append)
    assert out.read_bytes() == first  # reproducible to the byte
    dev = mesh_names.generate(out, corpora, gold=gold, train_only=True, log=log.append)
    assert {r.name for r in dev} == {"Zorbitol", "blue fever"}  # development left out too


def test_cli_switch_and_build_with_and_without_proposals(tmp_path: Path) -> None:
    from kgraph.build import build_store
    from kgraph.store import open_store
    from kgraph.validate import validate

    (tmp_path / "a.txt").write_text("Haloperidol-induced catalepsy in rats.\n", encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["annotate", str(tmp_path / "a.txt"), "-o", str(tmp_path / "on")])
    assert res.exit_code == 0, res.output
    ann = (tmp_path / "on" / "a.ann").read_text(encoding="utf-8")
    assert "MESH:D006220" in ann and f"rule={RULE}" in ann
    res = runner.invoke(
        main,
        ["annotate", str(tmp_path / "a.txt"), "-o", str(tmp_path / "off"), "--no-general-lexicon"],
    )
    assert res.exit_code == 0, res.output
    assert "MESH:" not in (tmp_path / "off" / "a.ann").read_text(encoding="utf-8")
    mesh = "http://id.nlm.nih.gov/mesh/"
    direct = f"""SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o .
      FILTER(STRSTARTS(STR(?s), "{mesh}") && STRSTARTS(STR(?o), "{mesh}")
             && STRSTARTS(STR(?p), "https://w3id.org/kgraph/ontology#")) }}"""
    counts = []
    for include in (False, True):
        store = open_store("memory:")
        build_store(store, [tmp_path / "on"], include_proposed=include)
        shacl = validate(store)
        assert shacl.conforms, shacl.violations
        counts.append(store.query(direct).dicts()[0]["n"])
        typed = store.query(
            f"""SELECT ?t ?l WHERE {{ <{mesh}D006220> a ?t ;
                <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"""
        ).dicts()
        assert typed == [{"t": "https://w3id.org/kgraph/ontology#Compound", "l": "Haloperidol"}]
    assert counts == [0, 1]


@pytest.mark.corpus
def test_packaged_table_from_real_corpora_matches_the_generator(
    shared_corpora: Path, tmp_path: Path
) -> None:
    """Regenerating from ../shared/corpora gives the packaged table byte for byte."""
    from benchmarks import mesh_names
    from kgraph.annotate.general import TABLE

    out = tmp_path / TABLE
    mesh_names.generate(out, shared_corpora, log=lambda _: None)
    assert out.read_bytes() == (ROOT / "kgraph" / "data" / "annotate" / TABLE).read_bytes()


@pytest.mark.corpus
def test_development_scoring_reads_a_train_only_table(shared_corpora: Path, tmp_path: Path) -> None:
    """``benchmarks.annotate --general-dev``: the layer finds CID ends the lexicon alone cannot."""
    from benchmarks import annotate as bench
    from benchmarks import mesh_names

    table = tmp_path / "train.tsv.gz"
    rows = mesh_names.generate(table, shared_corpora, train_only=True, log=lambda _: None)
    assert len(rows) > 1000
    res = bench.general_dev(20, table)
    with_, without = res["with"], res["without"]
    ceiling = "CID pairs with both ends found"
    assert with_[ceiling] > without[ceiling] and with_["tp"] > without["tp"]
