"""The BioC XML and JSON readers on real BC5CDR and BioRED documents (cut from ../shared/corpora at
test time: the `cuts` fixture) and on bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgraph.errors import FormatError
from kgraph.formats import bioc, pubtator
from kgraph.model import Document, Mention, Relation, Span

DATA = Path(__file__).resolve().parents[1] / "data"
BIOC = DATA / "bioc"
BAD = BIOC / "malformed"


def by_id(docs) -> dict[str, Document]:
    return {d.id: d for d in docs}


def mention_set(doc: Document) -> set:
    return {(m.start, m.end, m.type, m.concepts, m.text) for m in doc.mentions}


def relation_set(doc: Document) -> set:
    return {(r.id, r.type, r.subject, r.object, tuple(r.attributes.items())) for r in doc.relations}


def test_crlf_file_reads_a_whole_document_exactly(cuts):
    """CDR_TestSet.BioC.xml has CRLF line endings; PMID 8701013 cut from it."""
    path = cuts / "cdr_test_crlf.BioC.xml"
    assert b"\r\n" in path.read_bytes()
    (doc,) = bioc.read_xml(path)
    (same,) = pubtator.read(cuts / "cdr_test_sample.PubTator.txt")
    assert doc.id == "8701013"
    assert doc.text == same.text and "\r" not in doc.text
    assert doc.line == 6
    assert dict(doc.metadata) == {
        "format": "bioc-xml",
        "pmid": "8701013",
        "title": same.metadata["title"],
        "corpus": "cdr_test_crlf",
        "source_type": "AnnotatedCorpus",
    }
    assert doc.mentions[0] == Mention(
        "0", "Chemical", (Span(0, 10),), "Famotidine", ("MESH:D015738",), 12
    )
    assert mention_set(doc) == mention_set(same)
    assert doc.relations == (
        Relation("R0", "CID", "MESH:D015738", "MESH:D003693", by_concept=True, line=84),
    )


def test_bc5cdr_individual_mentions_are_left_out_by_default(cuts):
    path = cuts / "cdr_train_sample.BioC.xml"
    issues: list[FormatError] = []
    docs = by_id(bioc.read_xml(path, on_issue=issues.append))
    assert issues == []  # the misplaced annotation is an IndividualMention, left out
    tagged = by_id(pubtator.read(cuts / "cdr_train_sample.PubTator.txt"))
    assert list(docs) == list(tagged) == ["11587867", "15863244", "19211690"]
    for pmid, doc in docs.items():
        assert doc.text == tagged[pmid].text
        assert mention_set(doc) == mention_set(tagged[pmid])
        assert {(r.subject, r.object) for r in doc.relations} == {
            (r.subject, r.object) for r in tagged[pmid].relations
        }


def test_bc5cdr_discontinuous_individual_mentions_and_the_offset_errors(cuts):
    """With individual_mentions=True the parts of composites come in, some discontinuous.

    Four of them have wrong offsets in the source file (the corpus README names 15863244; the
    other three are 11587867, 20722491 and 6415512); the sample holds two. Each is reported and
    moved onto the text it quotes.
    """
    path = cuts / "cdr_train_sample.BioC.xml"
    issues: list[FormatError] = []
    docs = by_id(bioc.read_xml(path, individual_mentions=True, on_issue=issues.append))
    assert [(i.document, i.line) for i in issues] == [("11587867", 60), ("15863244", 232)]
    assert all(i.path == str(path) for i in issues)
    assert "moved to 948-968" in issues[1].message

    d = docs["11587867"]
    m = d.mention("8")  # "sensory dysfunction" = 461+7 and 479+11
    assert m.spans == (Span(461, 468), Span(479, 490))
    assert m.covered(d.text) == m.text == "sensory dysfunction"
    assert m.concepts == ("MESH:D020258",)
    fixed = d.mention("7")  # given as 447+12, 478+11: the second part is one character early
    assert fixed.spans == (Span(447, 459), Span(479, 490))
    assert fixed.covered(d.text) == "opistothonus dysfunction"

    midline = docs["15863244"].mention("12")
    assert midline.spans == (Span(948, 968),)
    assert docs["15863244"].text[948:968] == midline.text == "midline (MD) defects"


def test_offset_error_raises_without_on_issue(cuts):
    with pytest.raises(FormatError) as info:
        list(bioc.read_xml(cuts / "cdr_train_sample.BioC.xml", individual_mentions=True))
    assert (info.value.document, info.value.line) == ("11587867", 60)


def test_biored_xml_json_and_pubtator_agree(cuts):
    xml = by_id(bioc.read_xml(cuts / "biored_train_sample.BioC.XML"))
    js = by_id(bioc.read_json(cuts / "biored_train_sample.BioC.JSON"))
    tagged = by_id(pubtator.read(cuts / "biored_train_sample.PubTator.txt"))
    assert list(xml) == list(js) == list(tagged) == ["11054569", "20528871", "17177139", "21163864"]
    for pmid in xml:
        assert xml[pmid].text == js[pmid].text == tagged[pmid].text
        assert mention_set(xml[pmid]) == mention_set(js[pmid]) == mention_set(tagged[pmid])
        assert relation_set(xml[pmid]) == relation_set(js[pmid])
        assert {
            (r.type, r.subject, r.object, r.attributes["novel"]) for r in xml[pmid].relations
        } == {(r.type, r.subject, r.object, r.attributes["novel"]) for r in tagged[pmid].relations}
        assert (
            xml[pmid].metadata["title"]
            == js[pmid].metadata["title"]
            == tagged[pmid].metadata["title"]
        )
    assert all(d.line == 1 for d in xml.values())  # the XML file is one line
    assert [d.line for d in js.values()] == [6, 406, 842, 1543]  # where each "{" is
    rab = xml["11054569"]
    assert {m.concepts for m in rab.mentions if m.text == "MCF7/AdrR"} == {
        ("cellosaurus:CVCL_1452",)
    }
    r = rab.relations[0]
    assert (r.id, r.type, r.subject, r.object, r.by_concept) == (
        "R0",
        "Association",
        "MESH:D014594",
        "NCBIGene:84084",
        True,
    )
    assert r.attributes == {"novel": "Novel"}
    composite = [r for r in xml["20528871"].relations if "#" in r.id]
    assert len(composite) == 6  # three relations to "D015458|D016399", two each


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_small_read_chunks_give_the_same_documents(cuts, monkeypatch, chunk):
    """Documents straddling read boundaries (and multi-byte characters split by them)."""
    expected_xml = list(bioc.read_xml(cuts / "cdr_train_sample.BioC.xml"))
    expected_json = list(bioc.read_json(cuts / "biored_train_sample.BioC.JSON"))
    monkeypatch.setattr(bioc, "_CHUNK", chunk)
    assert list(bioc.read_xml(cuts / "cdr_train_sample.BioC.xml")) == expected_xml
    got = list(bioc.read_json(cuts / "biored_train_sample.BioC.JSON"))
    assert got == expected_json
    assert [d.line for d in got] == [d.line for d in expected_json]


def test_non_ascii_text_across_chunks(tmp_path, monkeypatch):
    text = "Kétamine – ein Antidepressivum? 氯胺酮."
    doc = {
        "id": "k1",
        "passages": [
            {
                "offset": 0,
                "text": text,
                "annotations": [
                    {
                        "id": "a",
                        "infons": {"type": "ChemicalEntity", "identifier": "D007649"},
                        "text": "Kétamine",
                        "locations": [{"offset": 0, "length": 8}],
                    },
                    {
                        "id": "b",
                        "infons": {"type": "ChemicalEntity", "identifier": "D007649"},
                        "text": "氯胺酮",
                        "locations": [{"offset": 32, "length": 3}],
                    },
                ],
            }
        ],
    }
    p = tmp_path / "k.bioc.json"
    p.write_text(json.dumps({"documents": [doc, {**doc, "id": "k2"}]}, ensure_ascii=False))
    monkeypatch.setattr(bioc, "_CHUNK", 3)
    docs = list(bioc.read_json(p))
    assert [d.id for d in docs] == ["k1", "k2"]
    assert docs[0].text == text
    assert [m.covered(text) for m in docs[1].mentions] == ["Kétamine", "氯胺酮"]


def test_json_forms_list_single_document_and_lines(tmp_path):
    doc = {"id": "9", "passages": [{"offset": 0, "text": "Aspirin."}]}
    for name, content in [
        ("list.bioc.json", json.dumps([doc])),
        ("single.bioc.json", json.dumps(doc)),
        ("lines.bioc.json", json.dumps(doc) + "\n" + json.dumps({**doc, "id": "10"}) + "\n"),
    ]:
        p = tmp_path / name
        p.write_text(content)
        docs = list(bioc.read_json(p))
        assert docs[0].id == "9" and docs[0].text == "Aspirin."
    assert [d.line for d in bioc.read_json(tmp_path / "lines.bioc.json")] == [1, 2]


def test_mention_level_relations_sentences_and_passage_gaps(tmp_path):
    xml = """<?xml version="1.0"?>
<collection><source>x</source>
<document><id>d1</id>
<passage><infon key="type">front</infon><offset>0</offset><text>Ketamine.</text></passage>
<passage><offset>20</offset>
<sentence><offset>20</offset><text>It blocks NMDA receptors.</text>
<annotation id="T1"><infon key="type">Chemical</infon><location offset="20" length="2"/>
<text>It</text></annotation>
<annotation id="T2"><infon key="type">Gene</infon><infon key="identifier">2902</infon>
<location offset="30" length="14"/><text>NMDA receptors</text></annotation>
<relation id="R1"><infon key="type">antagonistOf</infon>
<node refid="T1" role="agent"/><node refid="T2" role="target"/></relation>
</sentence></passage>
</document></collection>"""
    p = tmp_path / "s.bioc.xml"
    p.write_text(xml)
    (doc,) = bioc.read_xml(p)
    assert doc.text == "Ketamine.\n" + " " * 10 + "It blocks NMDA receptors."
    assert doc.metadata["title"] == "Ketamine."
    assert "pmid" not in doc.metadata
    assert doc.mention("T2").concepts == ("NCBIGene:2902",)
    assert doc.mention("T2").line == 9
    (r,) = doc.relations
    assert (r.id, r.type, r.subject, r.object, r.by_concept, r.line) == (
        "R1",
        "antagonistOf",
        "T1",
        "T2",
        False,
        11,
    )
    assert dict(r.attributes) == {"role:T1": "agent", "role:T2": "target"}
    assert doc.sentence_span(r) == Span(20, 45)


def test_unknown_option_is_a_type_error(cuts):
    with pytest.raises(TypeError, match="individual"):
        list(bioc.read_xml(cuts / "cdr_test_crlf.BioC.xml", individual=True))


def test_dtd_is_not_fetched(tmp_path):
    """A SYSTEM DTD that does not exist (as in BC5CDR and BioRED) is simply not read."""
    p = tmp_path / "d.bioc.xml"
    p.write_text(
        '<?xml version="1.0"?><!DOCTYPE collection SYSTEM "http://127.0.0.1:9/BioC.dtd">'
        "<collection><document><id>1</id><passage><offset>0</offset><text>x</text>"
        "</passage></document></collection>"
    )
    assert [d.text for d in bioc.read_xml(p)] == ["x"]


# (file, line, document, words in the message)
MALFORMED_XML = [
    ("invalid.xml", 17, "1", "mismatched tag"),
    ("truncated.xml", 15, "1", "no element found"),
    ("non_integer_offset.xml", 11, "1", "offset 'zero' is not an integer"),
    ("offset_past_end.xml", 11, "1", "past the end of the text"),
    ("negative_length.xml", 11, "1", "length -7 is negative"),
    ("unknown_endpoint.xml", 18, "1", "'D010146' is not the identifier of any mention"),
    ("latin1.xml", 10, "1", "invalid XML: not well-formed"),
    ("empty.xml", None, None, "empty file"),
    ("xxe.xml", 3, None, "entity declarations are not allowed"),
    ("billion_laughs.xml", 3, None, "entity declarations are not allowed"),
    ("wrong_root.xml", 2, None, "expected <collection>"),
    ("duplicate_id.xml", 19, "1", "occurs twice"),
    ("no_id.xml", 5, None, "no id"),
    ("overlapping_passages.xml", 11, "1", "overlaps"),
    ("unknown_node.xml", 18, "1", "refid '9' names no annotation"),
    ("text_mismatch.xml", 11, "1", "is not at 1-8"),
]

MALFORMED_JSON = [
    ("invalid.bioc.json", 24, None, "invalid JSON: Expecting ',' delimiter"),
    ("truncated.bioc.json", 33, None, "invalid JSON"),
    ("non_integer_offset.bioc.json", 36, "2", "7.5 is not an integer"),
    ("offset_past_end.bioc.json", 6, "1", "past the end of the text"),
    ("unknown_endpoint.bioc.json", 6, "1", "'D010146' is not the identifier of any mention"),
    ("latin1.bioc.json", 45, None, "not UTF-8"),
    ("empty.bioc.json", None, None, "empty file"),
    ("not_object.bioc.json", 1, None, "expected a BioC collection"),
    ("documents_not_list.bioc.json", 3, None, "'documents' must be a list"),
    ("no_id.bioc.json", 6, None, "no id"),
    ("duplicate_id.bioc.json", 36, "1", "occurs twice"),
    ("no_location.bioc.json", 6, "1", "no location"),
]


@pytest.mark.parametrize(("name", "line", "document", "words"), MALFORMED_XML)
def test_malformed_xml(name, line, document, words):
    check_malformed(bioc.read_xml, BAD / name, line, document, words)


@pytest.mark.parametrize(("name", "line", "document", "words"), MALFORMED_JSON)
def test_malformed_json(name, line, document, words):
    check_malformed(bioc.read_json, BAD / name, line, document, words)


def check_malformed(read, path: Path, line, document, words):
    with pytest.raises(FormatError) as info:
        list(read(path))
    e = info.value
    assert (e.path, e.line, e.document) == (str(path), line, document)
    assert words in e.message


def test_documents_before_the_error_were_yielded():
    got = []
    with pytest.raises(FormatError):
        for d in bioc.read_json(BAD / "non_integer_offset.bioc.json"):
            got.append(d.id)
    assert got == ["1"]


def test_registered():
    from kgraph.formats import resolve

    try:
        assert resolve("Train.BioC.XML").name == "bioc-xml"
    except ImportError as e:
        pytest.skip(f"the format registry cannot load every reader yet: {e}")
    assert resolve("Train.BioC.JSON").name == "bioc-json"
    assert resolve("x.bioc.json").read is bioc.read_json
    assert resolve("CDR_TestSet.BioC.xml").read is bioc.read_xml


def test_handmade_samples_agree_across_the_three_formats():
    """tests/data's hand-made samples (texts written for the tests) give the same documents as
    BioC XML, BioC JSON and PubTator: the readers agree without the shared corpora too."""
    data = Path(__file__).resolve().parents[1] / "data"
    tagged = list(pubtator.read(data / "pubtator" / "handmade.PubTator.txt"))
    xml = list(bioc.read_xml(data / "bioc" / "handmade.BioC.xml"))
    js = list(bioc.read_json(data / "bioc" / "handmade.BioC.JSON"))
    assert (
        [d.id for d in tagged] == [d.id for d in xml] == [d.id for d in js] == ["900001", "900002"]
    )
    for a, b, c in zip(tagged, xml, js, strict=True):
        assert a.text == b.text == c.text
        assert mention_set(a) == mention_set(b) == mention_set(c)
        assert (
            {(r.type, r.subject, r.object) for r in a.relations}
            == {(r.type, r.subject, r.object) for r in b.relations}
            == {(r.type, r.subject, r.object) for r in c.relations}
        )
    assert tagged[0].relations[0].subject == "MESH:D000001"
    assert ("tmvar:p|SUB|V|12|M",) in {m.concepts for m in xml[1].mentions}
