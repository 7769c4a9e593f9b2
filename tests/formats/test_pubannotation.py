"""The PubAnnotation reader on hand-made documents (texts written for the tests), on a BC5CDR
document written as PubAnnotation at test time, and on bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgraph.errors import FormatError
from kgraph.formats import bioc, pubannotation, pubtator
from kgraph.model import Mention, Relation, Span

DATA = Path(__file__).resolve().parents[1] / "data"
PA = DATA / "pubannotation"
BAD = PA / "malformed"


def _pubannotation_of(doc, path: Path) -> Path:
    """Write a PubTator document as PubAnnotation JSON (one line): its text, its mentions as
    ``"Chemical:D015738"`` objects, and two mention-level CID relations made up for the test
    (BC5CDR's are document-level)."""
    denotations = [
        {
            "id": f"T{k}",
            "span": {"begin": m.start, "end": m.end},
            "obj": f"{m.type}:{m.concepts[0].split(':', 1)[1]}",
        }
        for k, m in enumerate(doc.mentions, 1)
    ]
    relations = [
        {"id": "R1", "subj": "T1", "pred": "CID", "obj": "T2"},
        {"id": "R2", "subj": "T8", "pred": "CID", "obj": "T7"},
    ]
    data = {
        "target": f"http://pubannotation.org/docs/sourcedb/PubMed/sourceid/{doc.id}",
        "sourcedb": "PubMed",
        "sourceid": doc.id,
        "project": "kgraph-test",
        "text": doc.text,
        "denotations": denotations,
        "relations": relations,
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_pubtator_style_objects_match_the_pubtator_file(cuts, tmp_path):
    """BC5CDR's mentions of PMID 8701013 as "Chemical:D015738" objects (the document is cut from
    ../shared/corpora and written as PubAnnotation at test time)."""
    (same,) = pubtator.read(cuts / "cdr_test_sample.PubTator.txt")
    (doc,) = pubannotation.read(_pubannotation_of(same, tmp_path / "cdr_8701013.json"))
    assert doc.id == "8701013"
    assert doc.text == same.text
    assert doc.line == 1
    assert dict(doc.metadata) == {
        "format": "pubannotation",
        "corpus": "cdr_8701013",
        "source_type": "AnnotatedCorpus",
        "sourcedb": "PubMed",
        "pmid": "8701013",
        "project": "kgraph-test",
        "url": "http://pubannotation.org/docs/sourcedb/PubMed/sourceid/8701013",
    }
    assert [(m.start, m.end, m.type, m.concepts, m.text) for m in doc.mentions] == [
        (m.start, m.end, m.type, m.concepts, m.text) for m in same.mentions
    ]
    assert doc.mentions[0] == Mention(
        "T1", "Chemical", (Span(0, 10),), "Famotidine", ("MESH:D015738",), 1
    )
    assert doc.relations[0] == Relation("R1", "CID", "T1", "T2", line=1)
    assert doc.sentence_span(doc.relations[0]) == Span(0, 31)


def test_attributes_negation_speculation_and_identifiers():
    docs = list(pubannotation.read(PA / "examples.json"))
    assert [d.id for d in docs] == ["attributes", "discontinuous", "8701013-0"]
    assert [d.line for d in docs] == [2, 93, 146]
    d = docs[0]
    r1, r2, r3 = d.relations
    assert (r1.type, r1.subject, r1.object, r1.negated, r1.certainty) == (
        "treats",
        "T1",
        "T2",
        True,
        "Asserted",
    )
    assert (r2.negated, r2.certainty) == (False, "Hedged")
    assert (r3.negated, r3.certainty, dict(r3.attributes)) == (
        False,
        "Asserted",
        {"source": "hand-made"},
    )
    assert d.mention("T1").concepts == ("MESH:D007649",)  # from an "identifier" attribute
    assert d.mention("T3").concepts == ()
    assert d.mention("T1").text == "Ketamine"


def test_discontinuous_bag_and_chain():
    d = list(pubannotation.read(PA / "examples.json"))[1]
    assert [m.id for m in d.mentions] == ["T1", "T2", "T4"]  # the _FRAGMENT T3 is folded into T4
    left = d.mention("T1")
    assert left.covered(d.text) == left.text == "left lung"
    assert len(left.spans) == 2
    assert left.type == "UBERON:0002168" and left.concepts == ("UBERON:0002168",)
    right = d.mention("T2")
    assert right.concepts == ("UBERON:0002167",)  # from the OBO PURL
    assert right.type == "http://purl.obolibrary.org/obo/UBERON_0002167"
    lobe = d.mention("T4")
    assert lobe.text == "upper lobe" and lobe.spans[0] < lobe.spans[1]
    assert d.relations == ()  # _lexicallyChainedTo is not a relation


def test_tracks_and_modifications():
    d = list(pubannotation.read(PA / "examples.json"))[2]
    assert d.id == "8701013-0"
    assert [(m.id, m.concepts) for m in d.mentions] == [
        ("T1", ()),
        ("T2", ()),
        ("chemicals/T1", ("MESH:D015738",)),
        ("diseases/T1", ("MESH:D003693",)),
    ]
    (r,) = d.relations
    assert r.certainty == "Hedged"  # a Speculation modification


def test_json_lines():
    docs = list(pubannotation.read(PA / "titles.jsonl"))
    assert [(d.id, d.line) for d in docs] == [("title-1", 1), ("title-2", 2)]
    assert docs[1].mention("T3").concepts == ("NCBITaxon:10116",)
    assert docs[0].relations[0].subject == "T2"


def test_bom_and_no_ids(tmp_path):
    p = tmp_path / "bare.json"
    content = {
        "text": "IRF-4 binds.",
        "denotations": [{"span": {"begin": 0, "end": 5}, "obj": "Protein"}],
    }
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps(content).encode())
    (doc,) = pubannotation.read(p)
    assert doc.id == "bare-1"
    assert doc.mentions[0].id == "_T1" and doc.mentions[0].type == "Protein"
    assert doc.mentions[0].concepts == ()


def test_empty_text_is_recoverable(tmp_path):
    p = tmp_path / "e.jsonl"
    p.write_text(
        json.dumps({"sourceid": "1", "text": ""})
        + "\n"
        + json.dumps({"sourceid": "2", "text": "x"})
    )
    with pytest.raises(FormatError, match="no text"):
        list(pubannotation.read(p))
    issues = []
    assert [d.id for d in pubannotation.read(p, on_issue=issues.append)] == ["2"]
    assert [(i.line, i.document) for i in issues] == [(1, "1")]


def test_streams_large_arrays_in_small_chunks(monkeypatch):
    expected = list(pubannotation.read(PA / "examples.json"))
    monkeypatch.setattr(bioc, "_CHUNK", 5)
    assert list(pubannotation.read(PA / "examples.json")) == expected


# (file, line, document, words in the message)
MALFORMED = [
    ("invalid.json", 29, None, "invalid JSON: Expecting ',' delimiter"),
    ("truncated.json", 32, None, "invalid JSON"),
    ("no_text.json", 33, "2", "no 'text'"),
    ("non_integer_begin.json", 2, "1", "begin '0' is not an integer"),
    ("end_past_text.json", 2, "1", "past the end of the text"),
    ("begin_after_end.json", 2, "1", "bad span 7-0"),
    ("unknown_subject.json", 2, "1", "'T9' names no denotation"),
    ("latin1.json", 36, None, "not UTF-8"),
    ("empty.json", None, None, "empty file"),
    ("bad_line.jsonl", 2, None, "invalid JSON"),
    ("duplicate_id.jsonl", 2, "1", "occurs twice"),
    ("no_span.json", 2, "1", "'span' must be"),
    ("duplicate_denotation.json", 2, "1", "'T1' occurs twice"),
    ("unknown_attribute_subject.json", 2, "1", "'R7' names no denotation or relation"),
    ("not_object.json", 1, None, "must be a JSON object"),
]


@pytest.mark.parametrize(("name", "line", "document", "words"), MALFORMED)
def test_malformed(name, line, document, words):
    path = BAD / name
    with pytest.raises(FormatError) as info:
        list(pubannotation.read(path))
    e = info.value
    assert (e.path, e.line, e.document) == (str(path), line, document)
    assert words in e.message


def test_registered():
    from kgraph.formats import resolve

    try:
        assert resolve("x.json").name == "pubannotation"
    except ImportError as e:
        pytest.skip(f"the format registry cannot load every reader yet: {e}")
    assert resolve("x.pubannotation.json").read is pubannotation.read
    assert resolve("x.jsonl").name == "pubannotation"
    assert resolve("x.bioc.json").name == "bioc-json"  # the longer ending wins
