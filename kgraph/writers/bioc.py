"""BioC writers: ``bioc-xml`` (a BioC collection file) and ``bioc-json`` (the same in JSON).

Each document is one passage holding the whole text at offset 0; mentions are annotations (the
``type`` infon, an ``identifier`` infon with the CURIEs, one ``location`` per span); relations
between mentions have two ``node`` elements (roles ``Arg1``/``Arg2``); relations between concepts
have ``entity1``/``entity2`` infons, as BioRED's. Relation flags are infons ``Negated``,
``Certainty``, ``EvidenceLevel`` (and any other attribute), the document's metadata are document
infons (``title``, ``publisher``, ``date``, ``source_type``, ``author``, ``url``, ``seed``, ``pmid``).

**Offsets.** Java BioC tools count UTF-16 code units; Python counts code points; the two differ
for every character outside the Basic Multilingual Plane (emoji, some CJK, mathematical letters).
``offset_unit="utf-16"`` (the default) writes UTF-16 offsets and lengths, ``"code-point"`` code
points, ``"utf-8"`` UTF-8 bytes (as C and Rust tools count; ``kgraph export --offset-unit``). The
unit is stated twice: in the collection's ``key`` (``kgraph-utf-16.key``) and in an
``offset_unit`` infon of every document, which :mod:`kgraph.formats.bioc` reads back.

>>> from kgraph.model import Document, Mention, Span
>>> doc = Document("d1", "\\U0001d49c blocks B", (Mention("T1", "Compound", (Span(9, 10),), "B"),))
>>> '"offset": 10' in json_text([doc])   # the script letter before "B" is two UTF-16 units
True
>>> '"offset": 9' in json_text([doc], offset_unit="code-point")
True
>>> '"offset": 12' in json_text([doc], offset_unit="utf-8")  # and four UTF-8 bytes
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..errors import FormatError
from ..model import Document
from . import register
from .fields import qualifying, relation_attributes, relation_note

__all__ = ["OFFSET_UNITS", "json_text", "to_units", "write_json", "write_xml", "xml_text"]

#: The units an offset can count (the first is the default).
OFFSET_UNITS = ("utf-16", "code-point", "utf-8")
_METADATA = ("title", "publisher", "date", "source_type", "author", "url", "seed", "pmid")


def to_units(text: str, unit: str) -> list[int]:
    """Offset in ``unit`` of every code point index of ``text`` (and of its end).

    >>> to_units("a\\U0001F600b", "utf-16"), to_units("a\\U0001F600b", "utf-8")
    ([0, 1, 3, 4], [0, 1, 5, 6])
    """
    if unit not in OFFSET_UNITS:
        raise ValueError(f"offset unit must be one of {', '.join(OFFSET_UNITS)}, not {unit!r}")
    out, n = [0], 0
    if unit == "utf-8":
        for c in text:
            n += len(c.encode("utf-8", "surrogatepass"))
            out.append(n)
        return out
    wide = unit == "utf-16"
    for c in text:
        n += 2 if wide and ord(c) > 0xFFFF else 1
        out.append(n)
    return out


def _document(doc: Document, unit: str, report=None) -> dict:
    """A document as a BioC-JSON object (the XML writer serialises the same structure)."""
    pos = to_units(doc.text, unit)
    infons = {k: str(doc.metadata[k]) for k in _METADATA if doc.metadata.get(k)}
    infons["offset_unit"] = unit
    annotations = []
    for m in doc.mentions:
        a_infons = {"type": m.type}
        if m.concepts:
            a_infons["identifier"] = ",".join(m.concepts)
        annotations.append(
            {
                "id": m.id,
                "infons": a_infons,
                "text": m.covered(doc.text),
                "locations": [
                    {"offset": pos[s.start], "length": pos[s.end] - pos[s.start]} for s in m.spans
                ],
            }
        )
    relations = []
    for r in doc.relations:
        r_infons = {"type": r.type}
        for key, value in relation_attributes(r):
            r_infons[key] = "true" if value is None else value
        for kind, ref in qualifying(r):
            r_infons[kind] = ref
        if relation_note(r):
            r_infons["note"] = relation_note(r)
        nodes = []
        if r.by_concept:
            r_infons["entity1"], r_infons["entity2"] = r.subject, r.object
        else:
            nodes = [{"refid": r.subject, "role": "Arg1"}, {"refid": r.object, "role": "Arg2"}]
        relations.append({"id": r.id, "infons": r_infons, "nodes": nodes})
    passage = {
        "offset": 0,
        "infons": {"type": "text"},
        "text": doc.text,
        "sentences": [],
        "annotations": annotations,
        "relations": [],
    }
    return {
        "id": doc.id,
        "infons": infons,
        "passages": [passage],
        "annotations": [],
        "relations": relations,
    }


def _collection(unit: str) -> dict:
    return {"source": "kgraph", "date": "", "key": f"kgraph-{unit}.key", "infons": {}}


def json_text(documents: Iterable[Document], *, offset_unit: str = "utf-16", report=None) -> str:
    """A BioC-JSON collection of ``documents``.

    >>> '"source": "kgraph"' in json_text([])
    True
    """
    coll = _collection(offset_unit)
    coll["documents"] = [_document(d, offset_unit, report) for d in documents]
    return json.dumps(coll, ensure_ascii=False, indent=1) + "\n"


def _infons_xml(infons: dict, indent: str) -> list[str]:
    return [f"{indent}<infon key={quoteattr(k)}>{_x(v)}</infon>" for k, v in infons.items()]


def _element(tag: str, obj: dict, inner: list[str], indent: str) -> list[str]:
    """An annotation or relation element: its id, its infons, then ``inner`` lines."""
    out = [f"{indent}<{tag} id={quoteattr(obj['id'])}>"]
    out += _infons_xml(obj["infons"], indent + "  ")
    out += [f"{indent}  {line}" for line in inner]
    return [*out, f"{indent}</{tag}>"]


def _x(text: str) -> str:
    bad = next((c for c in text if ord(c) < 32 and c not in "\t\n\r"), None)
    if bad is not None:
        raise FormatError(f"XML cannot hold the control character U+{ord(bad):04X}")
    return escape(text)


def xml_text(documents: Iterable[Document], *, offset_unit: str = "utf-16", report=None) -> str:
    """A BioC-XML collection of ``documents``.

    >>> from kgraph.model import Document
    >>> "<id>a &amp; b</id>" in xml_text([Document("a & b", "Some text.")])
    True
    """
    coll = _collection(offset_unit)
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        "<!DOCTYPE collection SYSTEM 'BioC.dtd'>",
        "<collection>",
        f"  <source>{coll['source']}</source>",
        "  <date></date>",
        f"  <key>{coll['key']}</key>",
    ]
    for doc in documents:
        try:
            d = _document(doc, offset_unit, report)
            out += ["  <document>", f"    <id>{_x(d['id'])}</id>"]
            out += _infons_xml(d["infons"], "    ")
            for p in d["passages"]:
                out += ["    <passage>"]
                out += _infons_xml(p["infons"], "      ")
                out += [
                    f"      <offset>{p['offset']}</offset>",
                    f"      <text>{_x(p['text'])}</text>",
                ]
                for a in p["annotations"]:
                    locations = [
                        f'<location offset="{loc["offset"]}" length="{loc["length"]}"/>'
                        for loc in a["locations"]
                    ]
                    text = [f"<text>{_x(a['text'])}</text>"]
                    out += _element("annotation", a, [*locations, *text], "      ")
                out.append("    </passage>")
            for r in d["relations"]:
                nodes = [
                    f"<node refid={quoteattr(n['refid'])} role={quoteattr(n['role'])}/>"
                    for n in r["nodes"]
                ]
                out += _element("relation", r, nodes, "    ")
            out.append("  </document>")
        except FormatError as e:
            raise FormatError(e.message, document=doc.id) from None
    out.append("</collection>")
    return "\n".join(out) + "\n"


def _write(path: Path, text: str, suffix: str) -> list[Path]:
    if path.is_dir():
        path = path / f"documents{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    return [path]


def write_xml(
    documents: Iterable[Document], path: Path, *, offset_unit: str = "utf-16", report=None
) -> list[Path]:
    """Write ``documents`` to the BioC XML file ``path`` (a folder: ``documents.bioc.xml``).

    >>> import tempfile, pathlib
    >>> [p.name for p in write_xml([], pathlib.Path(tempfile.mkdtemp()))]
    ['documents.bioc.xml']
    """
    return _write(path, xml_text(documents, offset_unit=offset_unit, report=report), ".bioc.xml")


def write_json(
    documents: Iterable[Document], path: Path, *, offset_unit: str = "utf-16", report=None
) -> list[Path]:
    """Write ``documents`` to the BioC JSON file ``path`` (a folder: ``documents.bioc.json``).

    >>> import tempfile, pathlib, json
    >>> [out] = write_json([], pathlib.Path(tempfile.mkdtemp()) / "x.bioc.json")
    >>> json.loads(out.read_text())["key"]
    'kgraph-utf-16.key'
    """
    return _write(path, json_text(documents, offset_unit=offset_unit, report=report), ".bioc.json")


register("bioc-xml", write_xml, suffix=".bioc.xml", description="BioC XML collection")
register("bioc-json", write_json, suffix=".bioc.json", description="BioC JSON collection")
