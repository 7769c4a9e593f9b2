"""The PubTator reader on real snippets of BC5CDR and BioRED and on a catalogue of bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.errors import FormatError
from kgraph.formats import pubtator
from kgraph.model import Document, Mention, Relation, Span

DATA = Path(__file__).resolve().parents[1] / "data" / "pubtator"
BAD = DATA / "malformed"
# Real documents (cdr_*, biored_*) are cut from ../shared/corpora at test time: the `cuts` fixture.


def by_id(path: Path, **options) -> dict[str, Document]:
    return {d.id: d for d in pubtator.read(path, **options)}


def test_reads_a_whole_document_exactly(cuts):
    """BC5CDR test set, PMID 8701013: every field of the Document."""
    (doc,) = list(pubtator.read(cuts / "cdr_test_sample.PubTator.txt"))
    lines = (cuts / "cdr_test_sample.PubTator.txt").read_text(encoding="utf-8").splitlines()
    title, abstract = lines[0].split("|t|", 1)[1], lines[1].split("|a|", 1)[1]
    assert doc.id == "8701013"
    assert doc.text == title + "\n" + abstract
    assert len(doc.text) == 733
    assert doc.line == 1
    assert doc.source == str(cuts / "cdr_test_sample.PubTator.txt")
    assert dict(doc.metadata) == {
        "format": "pubtator",
        "pmid": "8701013",
        "title": title,
        "corpus": "cdr_test_sample",
        "source_type": "AnnotatedCorpus",
    }
    fam, deli = ("MESH:D015738",), ("MESH:D003693",)
    assert doc.mentions[:3] == (
        Mention("M1", "Chemical", (Span(0, 10),), "Famotidine", fam, 3),
        Mention("M2", "Disease", (Span(22, 30),), "delirium", deli, 4),
        Mention("M3", "Chemical", (Span(55, 65),), "Famotidine", fam, 5),
    )
    assert len(doc.mentions) == 11
    assert [m.id for m in doc.mentions] == [f"M{k}" for k in range(1, 12)]
    assert all(doc.text[m.start : m.end] == m.text for m in doc.mentions)
    assert doc.relations == (
        Relation("R1", "CID", "MESH:D015738", "MESH:D003693", by_concept=True, line=14),
    )


def test_bc5cdr_quirks(cuts):
    docs = by_id(cuts / "cdr_train_sample.PubTator.txt")
    assert list(docs) == ["11587867", "15863244", "19211690"]
    d = docs["11587867"]
    byline = {m.text: m for m in d.mentions}
    # composite id with a 7th column; repeated parts collapse to one concept
    comp = byline["opistothonus, sensory and motor dysfunction"]
    assert comp.concepts == ("MESH:D020258",)
    assert byline["degeneration of myelin and axons"].concepts == ("MESH:D003711", "MESH:D009410")
    # -1 is no identifier
    assert byline["pseudocystic transformation"].concepts == ()
    assert byline["pseudocystic transformation"].type == "Disease"
    # endpoints D009410 and D003711 occur only inside the composite "D003711|D009410"
    assert {(r.subject, r.object) for r in d.relations} == {
        ("MESH:D014750", "MESH:D020258"),
        ("MESH:D014750", "MESH:D009410"),
        ("MESH:D014750", "MESH:D003711"),
    }
    assert all(r.by_concept and r.type == "CID" for r in d.relations)
    # the 7th column is an empty trailing tab in 19211690: still a plain mention
    t = docs["19211690"]
    assert t.mentions[0] == Mention(
        "M1", "Chemical", (Span(0, 12),), "Testosterone", ("MESH:D013739",), t.line + 2
    )
    assert docs["15863244"].line == 19


def test_biored_quirks_and_crlf(cuts):
    path = cuts / "biored_train_sample.PubTator.txt"
    assert b"\r\n" in path.read_bytes()
    docs = by_id(path)
    assert list(docs) == ["11054569", "20528871", "17177139", "21163864"]
    assert all("\r" not in d.text and "\r" not in m.text for d in docs.values() for m in d.mentions)

    rab = docs["11054569"]
    cell = [m for m in rab.mentions if m.text == "MCF7/AdrR"]
    assert len(cell) == 5
    assert {m.concepts for m in cell} == {("cellosaurus:CVCL_1452",)}  # " CVCL_1452" stripped
    comma = [m for m in rab.mentions if len(m.concepts) > 1]
    assert [(m.text, m.concepts) for m in comma] == [("rab", ("NCBIGene:5870", "NCBIGene:84084"))]
    assert rab.relations[0] == Relation(
        "R1", "Association", "MESH:D014594", "NCBIGene:84084", by_concept=True, line=27
    )
    assert rab.relations[0].attributes == {"novel": "Novel"}

    var = docs["17177139"]
    tmvar = [m for m in var.mentions if m.type == "SequenceVariant"]
    assert ("tmvar:p|SUB|E|333|D",) in {m.concepts for m in tmvar}
    rel = [r for r in var.relations if r.object == "tmvar:p|SUB|E|333|D"]
    assert rel and rel[0].subject == "MESH:D013974" and rel[0].attributes == {"novel": "Novel"}

    dash = docs["21163864"]
    sfa = [m for m in dash.mentions if m.text == "SfaNI"]
    assert sfa and all(m.concepts == () and m.type == "ChemicalEntity" for m in sfa)


def test_biored_relation_with_a_composite_endpoint(cuts):
    """PMID 20528871: `D003520  Negative_Correlation  D015458|D016399` becomes two relations."""
    doc = by_id(cuts / "biored_train_sample.PubTator.txt")["20528871"]
    r2 = [r for r in doc.relations if r.id.startswith("R2#")]
    assert [(r.id, r.subject, r.object) for r in r2] == [
        ("R2#1", "MESH:D003520", "MESH:D015458"),
        ("R2#2", "MESH:D003520", "MESH:D016399"),
    ]
    assert r2[0].line == r2[1].line
    assert len(doc.relations) == 9 + 3  # R2, R3 and R9 each stand for two
    assert len({r.id.split("#")[0] for r in doc.relations}) == 9


def test_streams_one_document_at_a_time(cuts):
    it = pubtator.read(cuts / "cdr_train_sample.PubTator.txt")
    first = next(it)
    assert first.id == "11587867"
    it.close()


def test_no_blank_line_between_documents(tmp_path):
    p = tmp_path / "x.pubtator"
    p.write_text("1|t|A.\n1|a|B.\n2|t|C.\n2|a|D.\n2\t0\t2\tC.\tChemical\t-\n")
    docs = list(pubtator.read(p))
    assert [(d.id, d.text, d.line) for d in docs] == [("1", "A.\nB.", 1), ("2", "C.\nD.", 3)]
    assert docs[1].mentions[0].concepts == ()


def test_title_only_and_bom(tmp_path):
    p = tmp_path / "x.pubtator.txt"
    p.write_bytes("\ufeff5|t|Only a title.\n5\t0\t4\tOnly\tChemical\tD1\n".encode())
    (doc,) = pubtator.read(p)
    assert doc.text == "Only a title."
    assert doc.mentions[0].concepts == ("MESH:D1",)
    assert doc.metadata["corpus"] == "x"


# (file, line, document, words in the message)
MALFORMED = [
    ("truncated_mention.pubtator", 3, "1", "4 fields"),
    ("truncated_relation.pubtator", 5, "1", "relation line has 3 fields"),
    ("non_integer_offset.pubtator", 3, "1", "not integers"),
    ("bad_offsets.pubtator", 3, "1", "bad offsets 7-0"),
    ("offset_past_end.pubtator", 5, "1", "past the end of the text"),
    ("unknown_endpoint.pubtator", 5, "1", "'D999999' is not the identifier of any mention"),
    ("latin1.pubtator", 2, "1", "not UTF-8"),
    ("empty.pubtator", None, None, "empty file"),
    ("missing_title.pubtator", 1, "1", "without a title line"),
    ("duplicate_id.pubtator", 6, "1", "occurs twice"),
    ("wrong_document.pubtator", 3, "1", "of document '2' inside"),
    ("annotation_first.pubtator", 1, "1", "outside a document"),
    ("garbage_line.pubtator", 3, "1", "cannot read this line"),
    ("text_mismatch.pubtator", 3, "1", "does not match"),
    ("empty_document.pubtator", 1, "1", "no text"),
]


@pytest.mark.parametrize(("name", "line", "document", "words"), MALFORMED)
def test_malformed(name, line, document, words):
    path = BAD / name
    with pytest.raises(FormatError) as info:
        list(pubtator.read(path))
    e = info.value
    assert e.path == str(path)
    assert e.line == line
    assert e.document == document
    assert words in e.message
    assert str(e).startswith(f"{path}:{line}:" if line else f"{path}:")


def test_recoverable_problems_go_to_on_issue():
    issues: list[FormatError] = []
    (doc,) = pubtator.read(BAD / "text_mismatch.pubtator", on_issue=issues.append)
    assert [(i.line, i.document) for i in issues] == [(3, "1")]
    assert doc.mentions[0].text == "Aspirinn"  # the source's text, offsets kept
    assert doc.mentions[0].spans == (Span(0, 7),)

    issues.clear()
    docs = list(pubtator.read(BAD / "empty_document.pubtator", on_issue=issues.append))
    assert [d.id for d in docs] == ["2"]
    assert [(i.line, i.document) for i in issues] == [(1, "1")]


def test_unrecoverable_problems_ignore_on_issue():
    with pytest.raises(FormatError, match="past the end"):
        list(pubtator.read(BAD / "offset_past_end.pubtator", on_issue=lambda e: None))


def test_registered():
    from kgraph.formats import resolve

    try:
        reader = resolve("CDR_TrainingSet.PubTator.txt")
    except ImportError as e:  # another reader module is not there yet
        pytest.skip(f"the format registry cannot load every reader yet: {e}")
    assert reader.name == "pubtator" and reader.read is pubtator.read
    assert resolve("x.PUBTATOR").name == "pubtator"


@pytest.mark.parametrize(
    ("raw", "source_type", "expected"),
    [
        ("D014786|D006311", "Disease", ("MESH:D014786", "MESH:D006311")),
        ("D020258|D020258", "Disease", ("MESH:D020258",)),
        ("116590,50689", "GeneOrGeneProduct", ("NCBIGene:116590", "NCBIGene:50689")),
        ("7157;7158", "Gene", ("NCBIGene:7157", "NCBIGene:7158")),
        ("-1", "Chemical", ()),
        ("-", "GeneOrGeneProduct", ()),
        ("", "Disease", ()),
        ("  ", "Disease", ()),
        (" CVCL_1452", "CellLine", ("cellosaurus:CVCL_1452",)),
        ("C564766", "DiseaseOrPhenotypicFeature", ("MESH:C564766",)),
        ("MESH:D001241", "Chemical", ("MESH:D001241",)),
        ("mesh:D001241", "Chemical", ("MESH:D001241",)),
        ("OMIM:601665", "DiseaseOrPhenotypicFeature", ("OMIM:601665",)),
        ("9606", "OrganismTaxon", ("NCBITaxon:9606",)),
        ("10090", "Species", ("NCBITaxon:10090",)),
        ("rs6232", "SequenceVariant", ("dbsnp:rs6232",)),
        ("p|SUB|E|333|D", "SequenceVariant", ("tmvar:p|SUB|E|333|D",)),
        ("c|DEL||30", "Mutation", ("tmvar:c|DEL||30",)),
        ("p.G593S", "SequenceVariant", ("tmvar:p.G593S",)),
        ("10510452_139", "SequenceVariant", ("tmvar:10510452_139",)),
        (
            "tmVar:p|SUB|V|600|E;HGVS:p.V600E;VariantGroup:0;RS#:113488022",
            "Mutation",
            ("tmvar:p|SUB|V|600|E", "dbsnp:rs113488022"),
        ),
        ("RS#:113488022", "SNP", ("dbsnp:rs113488022",)),
        ("http://purl.obolibrary.org/obo/GO_0051179", "Process", ("GO:0051179",)),
        ("12345", "Chemical", ()),  # not a MeSH id: no guess
        ("ABC", "Gene", ()),
        ("X1", "SomeOtherType", ()),
    ],
)
def test_identifier_normalisation(raw, source_type, expected):
    from kgraph.formats._ids import curies_for

    assert curies_for(raw, source_type, "pubtator") == expected
