"""Writers back to annotation tools: every format round-trips to the same data graph."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kgraph.build import build_store
from kgraph.errors import FormatError
from kgraph.formats import read
from kgraph.model import Document, Mention, Span
from kgraph.store import open_store
from kgraph.vocab import GRAPH_DATA, corpus_dir
from kgraph.writers import write, write_store, writers
from kgraph.writers.bioc import to_units
from kgraph.writers.graph import documents

FORMATS = sorted(writers())


def data_graph(store) -> list[str]:
    """The data graph as sorted N-Quads lines (every node is an IRI, so equal means same graph)."""
    tail = f"<{GRAPH_DATA}> ."
    return sorted(x for x in store.dump("nq").decode().splitlines() if x.endswith(tail))


def built(*sources, lenient: bool = False) -> object:
    store = open_store("memory:")
    build_store(store, list(sources), lenient=lenient)
    return store


def out_path(tmp_path: Path, fmt: str) -> Path:
    return tmp_path / ("export" + writers()[fmt].suffix)


@pytest.fixture(scope="module")
def corpus_store():
    return built(corpus_dir(), lenient=True)  # whatever the corpus's open grounding questions


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_bundled_corpus(corpus_store, tmp_path, fmt):
    out = out_path(tmp_path, fmt)
    paths, report = write_store(corpus_store, out, fmt)
    assert paths and all(p.exists() for p in paths)
    assert report.documents == 4 and not report.skipped
    original, again = data_graph(corpus_store), data_graph(built(out))
    assert len(original) > 5000
    assert again == original


# A small corpus of our own with characters outside the Basic Multilingual Plane before the
# mentions, so that UTF-16 offsets and code point offsets differ.
ASTRAL_TEXT = (
    "In the \U0001d4b6 trial \U0001f9ea, ketamine blocks NMDA receptors.\n"
    "Esketamine may treat depression \U0001f600 in adults.\n"
    "Ketamine does not cause dissociation at low doses.\n"
)


def _offsets(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(phrase, i + 1)
    return i, i + len(phrase)


@pytest.fixture
def astral_corpus(tmp_path) -> Path:
    folder = tmp_path / "astral"
    folder.mkdir()
    (folder / "a1.txt").write_text(ASTRAL_TEXT, encoding="utf-8")
    spans = {
        "T1": ("Compound", "ketamine", "kg:ketamine"),
        "T2": ("Receptor", "NMDA receptors", "kg:nmda_receptor"),
        "T3": ("Compound", "Esketamine", "kg:esketamine"),
        "T4": ("Condition", "depression", "kg:depression"),
        "T5": ("Compound", "Ketamine", "kg:ketamine"),
        "T6": ("AdverseEffect", "dissociation", None),
    }
    lines = []
    for tid, (typ, phrase, curie) in spans.items():
        a, b = _offsets(ASTRAL_TEXT, phrase)
        lines.append(f"{tid}\t{typ} {a} {b}\t{phrase}")
        if curie:
            lines.append(f"N{tid[1:]}\tReference {tid} {curie}\t{phrase}")
    lines += [
        "R1\tantagonistOf Arg1:T1 Arg2:T2\t",
        "A1\tEvidenceLevel R1 ClinicalPhase2",
        "R2\ttreats Arg1:T3 Arg2:T4\t",
        "A2\tCertainty R2 Hedged",
        "R3\thasAdverseEffect Arg1:T5 Arg2:T6\t",
        "A3\tNegated R3",
    ]
    (folder / "a1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "manifest.toml").write_text(
        '[[document]]\nid = "a1"\ntitle = "An astral test \U0001f9ea"\npublisher = "us"\n'
        'date = "2026"\nsource_type = "ResearchArticle"\n',
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_astral_plane(astral_corpus, tmp_path, fmt):
    store = built(astral_corpus)
    out = out_path(tmp_path, fmt)
    write_store(store, out, fmt)
    assert data_graph(built(out)) == data_graph(store)
    # and the documents read back from the export hold the original text and flags
    [doc] = read(out)
    assert doc.text.rstrip("\n") in ASTRAL_TEXT or ASTRAL_TEXT.startswith(doc.text.rstrip("\n"))
    flags = {(r.type, r.negated, r.certainty, r.evidence_level) for r in doc.relations}
    assert flags == {
        ("antagonistOf", False, "Asserted", "ClinicalPhase2"),
        ("treats", False, "Hedged", None),
        ("hasAdverseEffect", True, "Asserted", None),
    }


@pytest.mark.parametrize("unit", ["utf-16", "code-point"])
@pytest.mark.parametrize("fmt", ["bioc-xml", "bioc-json"])
def test_bioc_offset_unit_is_stated_and_counted(astral_corpus, tmp_path, fmt, unit):
    store = built(astral_corpus)
    out = out_path(tmp_path, fmt)
    write_store(store, out, fmt, offset_unit=unit)
    raw = out.read_text(encoding="utf-8")
    assert f"kgraph-{unit}.key" in raw
    [doc] = read(out)
    m = next(m for m in doc.mentions if m.text == "NMDA receptors")
    a, b = _offsets(ASTRAL_TEXT, "NMDA receptors")
    assert (m.start, m.end) == (a, b)  # read back in code points whatever the file's unit
    units = to_units(ASTRAL_TEXT, unit)
    if fmt == "bioc-json":
        data = json.loads(raw)
        [d] = data["documents"]
        assert d["infons"]["offset_unit"] == unit
        [ann] = [x for x in d["passages"][0]["annotations"] if x["text"] == "NMDA receptors"]
        offset = ann["locations"][0]["offset"]
    else:
        assert f'<infon key="offset_unit">{unit}</infon>' in raw
        block = raw[: raw.index("<text>NMDA receptors</text>")]
        offset = int(re.findall(r'offset="(\d+)"', block)[-1])
    assert offset == units[a]
    # what a Java tool counts: UTF-16 code units
    java = len(ASTRAL_TEXT[:a].encode("utf-16-le")) // 2
    assert (offset == java) == (unit == "utf-16")
    assert java != a


def test_utf16_offset_inside_a_pair_is_an_error(tmp_path):
    doc = Document("d", "\U0001f600 x", (Mention("T1", "Compound", (Span(2, 3),), "x"),))
    out = tmp_path / "d.bioc.json"
    write([doc], out, "bioc-json")
    data = json.loads(out.read_text())
    data["documents"][0]["passages"][0]["annotations"][0]["locations"][0]["offset"] = 1
    out.write_text(json.dumps(data))
    with pytest.raises(FormatError, match="splits a UTF-16 pair"):
        list(read(out))


def test_brat_annotation_conf_declares_every_attribute(astral_corpus, tmp_path):
    store = built(astral_corpus)
    out = tmp_path / "brat"
    write_store(store, out, "brat")
    conf = (out / "annotation.conf").read_text()
    attributes = conf.split("[attributes]")[1]
    declared = {line.split("\t")[0]: line for line in attributes.splitlines() if line.strip()}
    used: dict[str, set[str]] = {}
    for line in (out / "a1.ann").read_text().splitlines():
        if line.startswith("A"):
            name, _target, *value = line.split("\t")[1].split()
            used.setdefault(name, set()).update(value)
    assert used == {"Negated": set(), "Certainty": {"Hedged"}, "EvidenceLevel": {"ClinicalPhase2"}}
    for name, values in used.items():
        assert name in declared
        for v in values:
            assert v in declared[name].split("Value:")[1].split("|")
    entities = conf.split("[entities]")[1].split("[relations]")[0].split()
    types = {
        x.split("\t")[1].split()[0]
        for x in (out / "a1.ann").read_text().splitlines()
        if x[0] == "T"
    }
    assert (
        set(entities)
        == types
        == {"Compound", "Enantiomer", "Receptor", "Condition", "AdverseEffect"}
    )


def test_document_level_relations(tmp_path):
    """Statements between concepts (PubTator) reach BioC, and brat / PubAnnotation say they skip them."""
    src = tmp_path / "t.pubtator"
    src.write_text(
        "1234|t|Drug A and illness B.\n1234|a|\n"
        "1234\t0\t6\tDrug A\tChemical\tMESH:D000001\n"
        "1234\t11\t20\tillness B\tDisease\tMESH:D000002\n"
        "1234\tCID\tMESH:D000001\tMESH:D000002\n\n"
    )
    store = built(src)
    [doc] = documents(store)
    assert [(r.subject, r.object, r.by_concept) for r in doc.relations] == [
        ("MESH:D000001", "MESH:D000002", True)
    ]
    out = tmp_path / "x.bioc.json"
    write_store(store, out, "bioc-json")
    assert data_graph(built(out)) == data_graph(store)
    for fmt in ("brat", "pubannotation"):
        _, report = write_store(store, out_path(tmp_path / fmt, fmt), fmt)
        assert report.skipped["document-level relation"] == 1


def test_unknown_format():
    with pytest.raises(FormatError, match="unknown export format"):
        write([], "x", "docx")


def test_cli_export(tmp_path, astral_corpus):
    from click.testing import CliRunner

    from kgraph.cli import main

    store = str(tmp_path / "store")
    runner = CliRunner()
    r = runner.invoke(main, ["build", str(astral_corpus), "--store", store, "-q"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "out"
    r = runner.invoke(main, ["export", "--store", store, "--format", "brat", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "wrote 1 documents" in r.output
    assert (out / "a1.ann").exists() and (out / "annotation.conf").exists()
    r = runner.invoke(main, ["export", "--store", store, "--format", "pubannotation"])
    assert r.exit_code != 0 and "give -o PATH" in r.output


def test_a_reviewed_graph_is_written_as_the_review_left_it(tmp_path):
    from kgraph.curation import Act, append
    from tests.test_curation_review import proposal_folder

    corpus = proposal_folder(tmp_path / "corpus")
    t = "2026-01-01T00:00:00Z"
    append(
        corpus / "curation.jsonl",
        Act("reject", "new", "kg:ketamine", "actsIn", "kg:prefrontal_cortex", curator="a", time=t),
    )
    append(
        corpus / "curation.jsonl",
        Act(
            "accept", "new", "kg:ketamine", "antagonistOf", "kg:nmda_receptor", curator="a", time=t
        ),
    )
    store = built(corpus)
    out = tmp_path / "out"
    _, report = write_store(store, out, "brat")
    assert report.skipped["rejected in review"] == 1
    [doc] = read(out)
    types = sorted((r.type, r.proposed) for r in doc.relations)
    assert types == [("antagonistOf", False), ("hasAdverseEffect", True), ("treats", True)]


def test_every_writer_is_offered_and_documented():
    from kgraph.cli import ANNOTATION_FORMATS

    assert sorted(ANNOTATION_FORMATS) == FORMATS
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if "kgraph export --format brat" in x)
    assert all(f in line for f in FORMATS)
