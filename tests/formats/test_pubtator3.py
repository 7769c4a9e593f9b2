"""PubTator3's three export shapes load as downloaded (issue 18, item 2).

The files are written at test time from BioRED documents (``../shared/corpora/biored``) by
:mod:`tests.formats.pubtator3`, shaped like the API's answers. Before the fix the BioC JSON export
(``{"PubTator3": [...]}``) was refused, its relations (``role1``/``role2`` objects, no nodes) were
fatal even with ``--lenient``, and ``Variant`` mentions were an unknown type.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from kgraph.build import build_store
from kgraph.errors import FormatError
from kgraph.formats import bioc, pubtator
from kgraph.grounding import Lexicon
from kgraph.store import open_store

from . import pubtator3

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "biored"
BIORED_TEST = SHARED / "Test.PubTator.txt"
N_DOCS = 40


@pytest.fixture(scope="module")
def biored_docs() -> list[pubtator3.Doc]:
    if not BIORED_TEST.is_file():
        pytest.skip(f"BioRED is not at {BIORED_TEST} (the shared corpora; CI has them)")
    return pubtator3.read_biored(BIORED_TEST, limit=N_DOCS)


@pytest.fixture(scope="module")
def exports(biored_docs, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pubtator3")
    files = {
        "bioc-json": folder / "export.BioC.json",
        "bioc-xml": folder / "export.BioC.xml",
        "pubtator": folder / "export.pubtator",
    }
    files["bioc-json"].write_text(pubtator3.biocjson(biored_docs), encoding="utf-8")
    files["bioc-xml"].write_text(pubtator3.biocxml(biored_docs), encoding="utf-8")
    files["pubtator"].write_text(pubtator3.pubtator(biored_docs), encoding="utf-8")
    return files


def _read(fmt: str, path: Path, **options):
    reader = {"bioc-json": bioc.read_json, "bioc-xml": bioc.read_xml, "pubtator": pubtator.read}
    return list(reader[fmt](path, **options))


@pytest.fixture(scope="module")
def biored_by_id() -> dict:
    """The same documents read from BioRED's own file: the reference."""
    if not BIORED_TEST.is_file():
        pytest.skip(f"BioRED is not at {BIORED_TEST}")
    docs = {}
    for doc in pubtator.read(BIORED_TEST):
        docs[doc.id] = doc
        if len(docs) == N_DOCS:
            break
    return docs


@pytest.mark.parametrize("fmt", ["bioc-json", "bioc-xml", "pubtator"])
def test_every_export_shape_reads_with_the_text_mentions_and_relations_of_biored(
    fmt, exports, biored_docs, biored_by_id
) -> None:
    issues: list[FormatError] = []
    docs = _read(fmt, exports[fmt], on_issue=issues.append)
    assert issues == []
    assert [d.id for d in docs] == [d.pmid for d in biored_docs]
    kept = skipped = 0
    for doc, source in zip(docs, biored_docs, strict=True):
        reference = biored_by_id[doc.id]
        assert doc.text == reference.text
        assert doc.metadata["pmid"] == doc.id
        # the same spans and concepts; types in PubTator3's names
        assert [(m.start, m.end, m.text, m.concepts) for m in doc.mentions] == [
            (m.start, m.end, m.text, m.concepts) for m in reference.mentions
        ]
        assert (
            "Variant" in {m.type for m in doc.mentions}
            or all(m.type != "SequenceVariant" for m in reference.mentions)
            or fmt == "pubtator"
        )
        # the relations the export carries resolve to BioRED's concepts
        got = Counter((r.type, r.subject, r.object) for r in doc.relations)
        want = Counter((r.type, r.subject, r.object) for r in reference.relations)
        assert not got - want, f"{doc.id}: relations BioRED does not have: {got - want}"
        shaped = pubtator3.shape(source)
        assert sum(got.values()) == len(shaped.relations())
        kept += len(shaped.relations())
        skipped += shaped.skipped
    # The generator leaves out a relation only when its end is the second id of a composite
    # mention (one accession per annotation): about one in six in BioRED's first 40 documents.
    assert kept > 300 and skipped < kept / 4


def test_biocjson_wrapper_was_refused_before(exports) -> None:
    """The reproduction: the API's wrapper key is what BioC JSON readers did not know."""
    data = json.loads(exports["bioc-json"].read_text(encoding="utf-8"))
    assert list(data) == ["PubTator3"]
    docs = _read("bioc-json", exports["bioc-json"])
    assert len(docs) == N_DOCS and sum(len(d.relations) for d in docs) > 300


def test_pubtator3_json_metadata(exports) -> None:
    doc = _read("bioc-json", exports["bioc-json"])[0]
    assert doc.metadata["publisher"] == "Test J"
    assert doc.metadata["date"] == "2020-01-01"
    assert doc.metadata["title"] == doc.text.split("\n", 1)[0]


def test_json_reads_document_level_annotations_as_xml_does(tmp_path) -> None:
    text = "Drug A eases pain."
    ann = {
        "id": "a1",
        "infons": {"type": "Chemical", "identifier": "MESH:D000001"},
        "text": "Drug A",
        "locations": [{"offset": 0, "length": 6}],
    }
    doc = {"id": "1", "passages": [{"offset": 0, "text": text}], "annotations": [ann]}
    jpath = tmp_path / "doc.bioc.json"
    jpath.write_text(json.dumps({"documents": [doc]}), encoding="utf-8")
    xpath = tmp_path / "doc.bioc.xml"
    xpath.write_text(
        "<collection><document><id>1</id><passage><offset>0</offset>"
        f"<text>{text}</text></passage><annotation id='a1'><infon key='type'>Chemical</infon>"
        "<infon key='identifier'>MESH:D000001</infon><location offset='0' length='6'/>"
        "<text>Drug A</text></annotation></document></collection>",
        encoding="utf-8",
    )
    (from_json,) = bioc.read_json(jpath)
    (from_xml,) = bioc.read_xml(xpath)
    assert [(m.id, m.spans, m.concepts) for m in from_json.mentions] == [
        ("a1", from_xml.mentions[0].spans, ("MESH:D000001",))
    ]
    assert from_json.mentions[0].spans == from_xml.mentions[0].spans


@pytest.mark.parametrize("fmt", ["bioc-json", "bioc-xml", "pubtator"])
def test_unresolvable_relations_are_reported_not_fatal_when_lenient(fmt, exports, tmp_path):
    """A relation whose ends name no mention: an error by default, a reported skip with on_issue."""
    path = exports[fmt]
    text = path.read_text(encoding="utf-8")
    if fmt == "bioc-json":
        data = json.loads(text)
        first = next(d for d in data["PubTator3"] if d["relations"])
        first["relations"][0]["infons"]["role2"] = {"accession": "@GENE_nowhere", "name": "x"}
        broken = json.dumps(data)
    elif fmt == "bioc-xml":
        broken = re.sub(
            r'<infon key="role2">[^<]*<', '<infon key="role2">@GENE_nowhere<', text, count=1
        )
    else:
        line = next(x for x in text.splitlines() if x.count("\t") == 3)
        broken = text.replace(line, line.rsplit("\t", 1)[0] + "\tGene|999999999", 1)
    assert broken != text
    bad = tmp_path / path.name
    bad.write_text(broken, encoding="utf-8")
    with pytest.raises(FormatError, match="relation"):
        _read(fmt, bad)
    issues: list[FormatError] = []
    docs = _read(fmt, bad, on_issue=issues.append)
    assert len(docs) == N_DOCS
    assert len(issues) == 1 and "relation skipped" in issues[0].message
    assert issues[0].path == str(bad) and issues[0].line is not None


@pytest.mark.parametrize("fmt", ["bioc-json", "bioc-xml", "pubtator"])
def test_exports_build_with_every_type_and_relation_mapped(fmt, exports) -> None:
    report = build_store(open_store("memory:"), [exports[fmt]], validate=False)
    assert report.documents == N_DOCS
    assert report.assertions > 300
    assert not report.skipped, report.warnings[:3]


def test_every_mapping_names_an_ontology_term() -> None:
    lex = Lexicon.load()
    table = tomllib.loads(
        (Path(__file__).resolve().parents[2] / "kgraph" / "data" / "mappings.toml").read_text()
    )
    for fmt, kinds in table.items():
        for source, local in kinds.get("types", {}).items():
            assert local in lex.classes, f"[{fmt}.types] {source} = {local!r}: no such class"
        for source, local in kinds.get("relations", {}).items():
            assert local in lex.properties, (
                f"[{fmt}.relations] {source} = {local!r}: no such property"
            )
    for pubtator3_type in ("Variant", "Chemical", "Disease", "Gene", "Species", "CellLine"):
        assert lex.class_for_type(pubtator3_type, "bioc-json"), pubtator3_type


def test_null_identifier_gives_no_concept(tmp_path) -> None:
    ann = {
        "id": "1",
        "infons": {"type": "Variant", "subtype": "DNAMutation", "identifier": None},
        "text": "c.1A>G",
        "locations": [{"offset": 0, "length": 6}],
    }
    doc = {
        "id": "7",
        "passages": [{"offset": 0, "text": "c.1A>G was found.", "annotations": [ann]}],
    }
    path = tmp_path / "x.bioc.json"
    path.write_text(json.dumps({"PubTator3": [doc]}), encoding="utf-8")
    (read,) = bioc.read_json(path)
    assert read.mentions[0].concepts == ()


def test_a_download_saved_as_json_is_read_as_bioc(exports, tmp_path) -> None:
    """A browser saves the biocjson answer as 'export.json': not PubAnnotation."""
    from kgraph.formats import read, resolve

    saved = tmp_path / "export.json"
    saved.write_bytes(exports["bioc-json"].read_bytes())
    assert resolve(saved).name == "bioc-json"
    assert len(list(read(saved))) == N_DOCS
    pubannotation = tmp_path / "pa.json"
    pubannotation.write_text('{"text": "A.", "denotations": [], "documents": []}')
    assert resolve(pubannotation).name == "pubannotation"
