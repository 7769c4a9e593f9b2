"""BioC readers: ``bioc-xml`` and ``bioc-json`` (BC5CDR, BioRED, PubTator Central exports).

A BioC document is a list of passages, each placed at a document-level ``offset``; annotations
carry document-level ``location`` offsets. ``Document.text`` puts every passage (or, for a
passage without text, its sentences) at its offset and fills the gaps with a newline followed by
spaces, so that annotation offsets index straight into it (BC5CDR and BioRED: ``title + "\\n" +
abstract``, the same text as their PubTator files).

Annotations become :class:`~kgraph.model.Mention` objects with the BioC annotation id, the
``type`` infon verbatim, one :class:`~kgraph.model.Span` per ``location`` (several for a
discontinuous annotation) and the CURIEs of the ``identifier`` (BioRED) or ``MESH`` (BC5CDR)
infon. BC5CDR stores the parts of a composite mention a second time as annotations with the
infon ``CompositeRole=IndividualMention``; they are left out unless ``individual_mentions=True``,
so that the counts equal the PubTator files.

Relations:

* with infons ``entity1``/``entity2`` (BioRED) or ``Chemical``/``Disease`` (BC5CDR) they hold
  between concepts (``by_concept=True``), resolved as in the PubTator reader; the type is the
  ``type`` (BioRED) or ``relation`` (BC5CDR) infon; the other infons (``novel``) go to
  ``Relation.attributes``;
* otherwise they must have two ``node`` elements naming annotations (a mention-level relation;
  the node roles go to ``Relation.attributes`` as ``role:<refid>``).

Recoverable problems (an annotation text that does not match its location, a document with no
text) go to ``on_issue`` when it is given and raise :class:`~kgraph.errors.FormatError` when it
is not; the rest always raise it, with the file, the line and the document. An annotation whose
text lies a few characters from its location (four BC5CDR IndividualMentions, see
:func:`kgraph.formats._spans.check_span`) is moved onto that text, and the move is reported. Lines:
in XML, the line of the element (BioRED's files are a single line); in JSON, the line where the
document's object starts. The title is the passage whose ``type`` infon is ``title`` (or
``front``), or the first passage when no passage has a type (BioRED's JSON).

Offsets count code points unless a document's ``offset_unit`` infon (``utf-16``, ``utf-8`` or
``code-point``, as ``kgraph export --offset-unit`` writes it) says otherwise; the reader option
``offset_unit`` sets the unit of documents that state none (``utf-16`` for a Java tool's file).
An offset that falls inside a character is an error.

Why not the ``bioc`` package's readers: ``bioc.biocxml.BioCXMLDocumentReader`` streams, but it
keeps every parsed element in the lxml tree (memory grows with the file), reports no line
numbers and lets ``ValueError``/lxml errors through; ``bioc.biocjson`` only loads a whole
collection at once (``json.load``) or reads JSON Lines, not the pretty-printed collection BioRED
ships. So the XML is read with the standard library's expat parser (C speed, line numbers, a file
fed in chunks) and the JSON with :class:`JSONStream`, which decodes one document at a time.

XML safety: the DOCTYPE (``SYSTEM 'BioC.dtd'``, not shipped) is never fetched, and a document
that declares entities (the XXE and "billion laughs" attacks) is refused, as defusedxml does.

>>> import tempfile
>>> p = Path(tempfile.mkdtemp()) / "a.bioc.json"
>>> _ = p.write_text('{"documents": [{"id": "9", "passages": [{"offset": 0, "text": "Salt."}]}]}')
>>> [(d.id, d.text) for d in read_json(p)]
[('9', 'Salt.')]
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO
from xml.parsers import expat

from ..errors import FormatError
from ..model import Document, Mention, Relation, Span
from . import register
from ._ids import (
    UnusableRelation,
    concept_relations,
    corpus_name,
    id_parts,
    resolve_endpoint,
)
from ._kgraph import lift, utf16_offsets
from ._kgraph import metadata as kgraph_metadata
from ._spans import check_span, report

__all__ = ["OFFSET_UNITS", "JSONStream", "read_json", "read_xml", "unit_offsets"]

#: The units BioC offsets may count (``kgraph.writers.bioc`` writes the same names).
OFFSET_UNITS = ("code-point", "utf-16", "utf-8")


def _extra_units(text: str, unit: str) -> int:
    if unit == "utf-16":
        return sum(ord(c) > 0xFFFF for c in text)
    if unit == "utf-8":
        return len(text.encode("utf-8", "surrogatepass")) - len(text)
    return 0


def unit_offsets(text: str, unit: str) -> dict[int, int]:
    """Offset in ``unit`` → code point offset, for every offset that falls between characters.

    >>> unit_offsets("a\U0001f600b", "utf-8")  # the emoji is four UTF-8 bytes
    {0: 0, 1: 1, 5: 2, 6: 3}
    >>> unit_offsets("a\U0001f600b", "utf-16")
    {0: 0, 1: 1, 3: 2, 4: 3}
    """
    if unit == "utf-16":
        return utf16_offsets(text)
    out, n = {0: 0}, 0
    for i, c in enumerate(text, start=1):
        n += len(c.encode("utf-8", "surrogatepass")) if unit == "utf-8" else 1
        out[n] = i
    return out


XML_SUFFIXES = (".bioc.xml", ".biocxml", ".xml")
JSON_SUFFIXES = (".bioc.json", ".biocjson")
_CHUNK = 1 << 20
#: Passage offsets pad the text with spaces up to them, so an offset is capped: at this, or at the
#: file's size when that is larger (a document's text cannot be much longer than its file).
_MAX_OFFSET = 1 << 24
_INTEGER = re.compile(r"\s*-?[0-9]{1,4000}\s*")  # int() takes at most 4300 digits

#: Infons that may hold an annotation's identifier, in order of preference.
_ID_INFONS = ("identifier", "Identifier", "MESH", "MeSH", "NCBI Gene", "NCBI_Gene", "ID")
#: Infon pairs that name the two concepts of a document-level relation (BioRED, BC5CDR, PubTator3).
_CONCEPT_PAIRS = (("entity1", "entity2"), ("Chemical", "Disease"), ("role1", "role2"))
#: Keys of a JSON role object (PubTator3's ``role1``/``role2``) that may name its concept.
_ROLE_KEYS = ("accession", "identifier", "normalized_id")
#: Keys of a JSON object that hold the document list: BioC's own, and PubTator3's API wrapper.
_DOCUMENT_LISTS = ("documents", "PubTator3")

OnIssue = Callable[[FormatError], None] | None


# ---------------------------------------------------------------------------------------------
# The format-neutral document both readers fill


class _Ann:
    __slots__ = ("id", "infons", "line", "locations", "text")

    def __init__(self, ann_id: str | None, line: int | None) -> None:
        self.id = ann_id
        self.infons: dict[str, str] = {}
        self.locations: list[tuple[Any, Any]] = []
        self.text: str | None = None
        self.line = line


class _Rel:
    __slots__ = ("id", "infons", "line", "nodes")

    def __init__(self, rel_id: str | None, line: int | None) -> None:
        self.id = rel_id
        self.infons: dict[str, str] = {}
        self.nodes: list[tuple[str, str]] = []
        self.line = line


class _Passage:
    __slots__ = ("infons", "line", "offset", "sentences", "text")

    def __init__(self, line: int | None) -> None:
        self.infons: dict[str, str] = {}
        self.offset: Any = None
        self.text: str | None = None
        self.sentences: list[_Passage] = []
        self.line = line


class _Doc:
    __slots__ = ("annotations", "id", "infons", "line", "passages", "relations")

    def __init__(self, line: int | None) -> None:
        self.id: str | None = None
        self.infons: dict[str, str] = {}
        self.passages: list[_Passage] = []
        self.annotations: list[_Ann] = []
        self.relations: list[_Rel] = []
        self.line = line


class _Builder:
    """Turns :class:`_Doc` objects into :class:`~kgraph.model.Document` objects."""

    def __init__(self, path: str | Path, fmt: str, suffixes: tuple[str, ...], options: dict):
        individual = options.pop("individual_mentions", False)
        on_issue = options.pop("on_issue", None)
        unit = options.pop("offset_unit", None) or "code-point"
        if unit not in OFFSET_UNITS:
            raise FormatError(
                f"offset unit must be one of {', '.join(OFFSET_UNITS)}, not {unit!r}", path=path
            )
        self.offset_unit = unit
        if options:
            raise TypeError(f"unknown option(s) for {fmt}: {', '.join(sorted(options))}")
        self.src = str(path)
        try:
            self.max_offset = max(_MAX_OFFSET, os.path.getsize(path))
        except OSError:
            self.max_offset = _MAX_OFFSET
        self.fmt = fmt
        self.corpus = corpus_name(path, suffixes)
        self.individual = bool(individual)
        self.on_issue: OnIssue = on_issue
        self.seen: set[str] = set()

    def error(self, message: str, line: int | None, document: str | None) -> FormatError:
        return FormatError(message, path=self.src, line=line, document=document)

    def offset(self, value: Any, what: str, line: int | None, doc_id: str | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            n = value
        elif isinstance(value, str) and _INTEGER.fullmatch(value):  # ASCII digits int() takes
            n = int(value)
        else:
            raise self.error(f"{what} {value!r} is not an integer", line, doc_id)
        if n < 0:
            raise self.error(f"{what} {n} is negative", line, doc_id)
        return n

    def build(self, d: _Doc) -> Document | None:
        doc_id = d.id.strip() if isinstance(d.id, str) else None
        if not doc_id:
            raise self.error("document has no id", d.line, None)
        if doc_id in self.seen:
            raise self.error("document id occurs twice in the file", d.line, doc_id)
        self.seen.add(doc_id)

        # text: passages (or their sentences) at their offsets
        pieces: list[str] = []
        end = 0
        title = None
        unit = (d.infons.get("offset_unit") or self.offset_unit).lower()  # kgraph export states it
        if unit not in OFFSET_UNITS:
            known = ", ".join(OFFSET_UNITS)
            raise self.error(f"offset_unit {unit!r} is not one of {known}", d.line, doc_id)
        wide = 0  # units beyond one per character so far (UTF-16 pairs, UTF-8 multi-byte)
        for p in d.passages:
            blocks = [p] if p.text is not None or not p.sentences else p.sentences
            for b in blocks:
                start = self.offset(b.offset, "passage offset", b.line, doc_id) - wide
                if b.text is None:
                    continue
                wide += _extra_units(b.text, unit)
                if start > self.max_offset:
                    raise self.error(
                        f"passage offset {start} is larger than any document (at most "
                        f"{self.max_offset} characters)",
                        b.line,
                        doc_id,
                    )
                if start < end:
                    raise self.error(
                        f"passage at offset {start} overlaps the text before it "
                        f"(which ends at {end})",
                        b.line,
                        doc_id,
                    )
                if start > end:
                    pieces.append("\n" + " " * (start - end - 1))
                pieces.append(b.text)
                end = start + len(b.text)
            if title is None and p.infons.get("type") in ("title", "front"):
                title = (
                    p.text if p.text is not None else " ".join(s.text or "" for s in p.sentences)
                )
        if title is None and d.passages and not any("type" in p.infons for p in d.passages):
            # BioRED's JSON passages have no infons: the first one is the title
            first = d.passages[0]
            title = first.text if first.text is not None else None
        text = "".join(pieces)
        if not text.strip():
            report(self.on_issue, self.error("document has no text; skipped", d.line, doc_id))
            return None
        back = unit_offsets(text, unit) if unit != "code-point" else None

        mentions: list[Mention] = []
        ids: dict[str, str] = {}
        mention_ids: set[str] = set()
        for a in d.annotations:
            infons = a.infons
            if not self.individual and infons.get("CompositeRole") == "IndividualMention":
                continue
            what = f"annotation {a.id}"
            if a.id is None or a.id == "":
                raise self.error("annotation has no id", a.line, doc_id)
            if a.id in mention_ids:
                raise self.error(f"annotation id {a.id!r} occurs twice", a.line, doc_id)
            mention_ids.add(a.id)
            if not a.locations:
                raise self.error(f"{what} has no location", a.line, doc_id)
            spans = []
            for off, length in a.locations:
                start = self.offset(off, f"{what}: location offset", a.line, doc_id)
                n = self.offset(length, f"{what}: location length", a.line, doc_id)
                if back is not None:  # UTF-16 or UTF-8 units to code points
                    if start not in back or start + n not in back:
                        problem = "a UTF-16 pair" if unit == "utf-16" else "a UTF-8 character"
                        raise self.error(f"{what}: location splits {problem}", a.line, doc_id)
                    start, n = back[start], back[start + n] - back[start]
                spans.append(Span(start, start + n))
            mtype = infons.get("type", "")
            checked = check_span(
                text,
                tuple(spans),
                a.text,
                what=what,
                on_issue=self.on_issue,
                path=self.src,
                line=a.line,
                document=doc_id,
            )
            raw_id = next((infons[k] for k in _ID_INFONS if k in infons), None) or ""
            concepts = id_parts(raw_id, mtype, self.fmt, ids)
            accession = infons.get("accession")
            if accession and concepts:  # PubTator3 relations name "@CHEMICAL_Ketamine"
                ids.setdefault(accession, concepts[0])
            quoted = (
                a.text if a.text is not None else " ".join(text[s.start : s.end] for s in spans)
            )
            mentions.append(Mention(a.id, mtype, checked, quoted, concepts, a.line))

        relations: list[Relation] = []
        for k, r in enumerate(d.relations):
            try:
                relations.extend(self.relation(r, k, ids, mention_ids, doc_id))
            except UnusableRelation as e:
                if self.on_issue is None:
                    raise
                e.message += "; relation skipped"
                self.on_issue(e)

        metadata = {"format": self.fmt, "corpus": self.corpus, "source_type": "AnnotatedCorpus"}
        if title is not None:
            metadata["title"] = title
        for key in ("publisher", "date"):
            if d.infons.get(f"kgraph:{key}"):
                metadata[key] = d.infons[f"kgraph:{key}"]
        pmid = (
            d.infons.get("pmid") or d.infons.get("PMID") or (doc_id if doc_id.isdigit() else None)
        )
        if pmid:
            metadata["pmid"] = pmid
        metadata.update(kgraph_metadata(d.infons))
        relations = [lift(r) for r in relations]
        return Document(
            doc_id,
            text,
            tuple(mentions),
            tuple(relations),
            MappingProxyType(metadata),
            self.src,
            d.line,
        )

    def endpoint(
        self, value: str, ids: dict[str, str], line: int | None, doc_id: str
    ) -> tuple[str, ...]:
        """The concept(s) of a relation end: an id, ``Type|id``, a PubTator3 accession, or (in
        PubTator3's JSON) a role object holding one of these."""
        candidates = [value]
        if value.startswith("{"):
            try:
                role = json.loads(value)
            except ValueError:
                role = None
            if isinstance(role, dict):
                candidates = [str(role[k]) for k in _ROLE_KEYS if role.get(k) not in (None, "")]
        error: UnusableRelation | None = None
        for candidate in candidates:
            try:
                return resolve_endpoint(candidate, ids, self.src, line, doc_id)
            except UnusableRelation as e:
                error = error or e
        raise error or UnusableRelation(
            f"relation end {value!r} names no concept", path=self.src, line=line, document=doc_id
        )

    def relation(
        self, r: _Rel, k: int, ids: dict[str, str], mention_ids: set[str], doc_id: str
    ) -> list[Relation]:
        infons = dict(r.infons)
        rid = r.id if r.id else f"R{k}"
        rtype = infons.pop("type", None) or infons.pop("relation", None)
        if not rtype:
            raise self.error(f"relation {rid} has no 'type' or 'relation' infon", r.line, doc_id)
        for first, second in _CONCEPT_PAIRS:
            if first in infons and second in infons:
                subjects = self.endpoint(infons.pop(first), ids, r.line, doc_id)
                objects = self.endpoint(infons.pop(second), ids, r.line, doc_id)
                return concept_relations(rid, rtype, subjects, objects, infons, r.line)
        if len(r.nodes) != 2:
            pairs = ", ".join(f"{a}/{b}" for a, b in _CONCEPT_PAIRS)
            raise UnusableRelation(
                f"relation {rid} has neither concept infons ({pairs}) nor two nodes "
                f"(it has {len(r.nodes)})",
                path=self.src,
                line=r.line,
                document=doc_id,
            )
        ends = []
        for refid, role in r.nodes:
            if refid not in mention_ids:
                raise UnusableRelation(
                    f"relation {rid}: node refid {refid!r} names no annotation of the document",
                    path=self.src,
                    line=r.line,
                    document=doc_id,
                )
            ends.append(refid)
            if role:
                infons[f"role:{refid}"] = role
        return [
            Relation(rid, rtype, ends[0], ends[1], attributes=MappingProxyType(infons), line=r.line)
        ]


# ---------------------------------------------------------------------------------------------
# BioC XML


def _forbid_entities(*args: Any) -> None:
    raise _Refused("entity declarations are not allowed (XXE / entity-expansion protection)")


def _forbid_external(context: Any, base: Any, system_id: Any, public_id: Any) -> int:
    raise _Refused(f"external entity {system_id!r} is not loaded")


class _Refused(Exception):
    pass


class _XMLHandler:
    """expat callbacks that fill :class:`_Doc` objects, one finished document at a time."""

    _CAPTURE = frozenset({"id", "infon", "offset", "text", "source", "date", "key"})

    def __init__(self, parser: expat.XMLParserType, done: deque) -> None:
        self.p = parser
        self.done = done
        self.stack: list[str] = []
        self.buf: list[str] | None = None
        self.doc: _Doc | None = None
        self.passage: _Passage | None = None
        self.sentence: _Passage | None = None
        self.ann: _Ann | None = None
        self.rel: _Rel | None = None
        self.infon_key: str | None = None
        self.root_seen = False

    def line(self) -> int:
        return self.p.CurrentLineNumber

    def start(self, name: str, attrs: dict[str, str]) -> None:
        stack = self.stack
        if not stack:
            if name != "collection":
                raise FormatError(
                    f"root element is <{name}>, expected <collection>", line=self.line()
                )
            self.root_seen = True
        stack.append(name)
        if name in self._CAPTURE:
            self.buf = []
            if name == "infon":
                self.infon_key = attrs.get("key")
        elif name == "document":
            self.doc = _Doc(self.line())
        elif name == "passage" and self.doc is not None:
            self.passage = _Passage(self.line())
        elif name == "sentence" and self.passage is not None:
            self.sentence = _Passage(self.line())
        elif name == "annotation" and self.doc is not None:
            self.ann = _Ann(attrs.get("id"), self.line())
        elif name == "location" and self.ann is not None:
            self.ann.locations.append((attrs.get("offset"), attrs.get("length")))
        elif name == "relation" and self.doc is not None:
            self.rel = _Rel(attrs.get("id"), self.line())
        elif name == "node" and self.rel is not None:
            self.rel.nodes.append((attrs.get("refid", ""), attrs.get("role", "")))

    def end(self, name: str) -> None:
        stack = self.stack
        stack.pop()
        parent = stack[-1] if stack else None
        if self.buf is not None:
            value = "".join(self.buf)
            self.buf = None
            if name == "infon":
                owner = self._owner(parent)
                if owner is not None and self.infon_key is not None:
                    owner.infons[self.infon_key] = value
            elif name == "text":
                if parent == "annotation" and self.ann is not None:
                    self.ann.text = value
                elif parent == "sentence" and self.sentence is not None:
                    self.sentence.text = value
                elif parent == "passage" and self.passage is not None:
                    self.passage.text = value
            elif name == "offset":
                if parent == "sentence" and self.sentence is not None:
                    self.sentence.offset = value
                elif parent == "passage" and self.passage is not None:
                    self.passage.offset = value
            elif name == "id" and parent == "document" and self.doc is not None:
                self.doc.id = value
            return
        if name == "annotation" and self.ann is not None and self.doc is not None:
            self.doc.annotations.append(self.ann)
            self.ann = None
        elif name == "relation" and self.rel is not None and self.doc is not None:
            self.doc.relations.append(self.rel)
            self.rel = None
        elif name == "sentence" and self.sentence is not None and self.passage is not None:
            self.passage.sentences.append(self.sentence)
            self.sentence = None
        elif name == "passage" and self.passage is not None and self.doc is not None:
            self.doc.passages.append(self.passage)
            self.passage = None
        elif name == "document" and self.doc is not None:
            self.done.append(self.doc)
            self.doc = None

    def _owner(self, parent: str | None) -> Any:
        if parent == "annotation":
            return self.ann
        if parent == "relation":
            return self.rel
        if parent == "sentence":
            return self.sentence
        if parent == "passage":
            return self.passage
        if parent == "document":
            return self.doc
        return None

    def chars(self, data: str) -> None:
        if self.buf is not None:
            self.buf.append(data)


def read_xml(path: str | Path, **options: Any) -> Iterator[Document]:
    """Yield the documents of a BioC XML file, one at a time.

    Options (keyword only): ``individual_mentions=False`` (keep BC5CDR's
    ``CompositeRole=IndividualMention`` annotations), ``on_issue=None`` (a callable that receives
    the recoverable problems as :class:`~kgraph.errors.FormatError` objects; reading goes on).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.bioc.xml"
    >>> _ = p.write_text(
    ...     '<collection><document><id>9</id><passage><offset>0</offset><text>Salt hurts.</text>'
    ...     '<annotation id="T1"><infon key="type">Chemical</infon>'
    ...     '<infon key="MESH">D012964</infon><location offset="0" length="4"/><text>Salt</text>'
    ...     '</annotation></passage></document></collection>')
    >>> doc = next(read_xml(p))
    >>> doc.id, doc.text, doc.mentions[0].concepts
    ('9', 'Salt hurts.', ('MESH:D012964',))
    """
    b = _Builder(path, "bioc-xml", XML_SUFFIXES, options)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _forbid_entities
    parser.UnparsedEntityDeclHandler = _forbid_entities
    parser.ExternalEntityRefHandler = _forbid_external
    done: deque[_Doc] = deque()
    h = _XMLHandler(parser, done)
    parser.StartElementHandler = h.start
    parser.EndElementHandler = h.end
    parser.CharacterDataHandler = h.chars
    empty = True

    def fail(message: str, line: int | None) -> FormatError:
        doc_id = h.doc.id if h.doc is not None else None
        return FormatError(message, path=b.src, line=line, document=doc_id)

    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            final = not chunk
            if chunk and empty and chunk.strip():
                empty = False
            if final and empty:
                raise FormatError("empty file", path=b.src)
            try:
                parser.Parse(chunk, final)
            except expat.ExpatError as e:
                raise fail(f"invalid XML: {expat.errors.messages[e.code]}", e.lineno) from None
            except _Refused as e:
                raise fail(str(e), parser.CurrentLineNumber) from None
            except LookupError as e:  # <?xml encoding="…"?> names an encoding Python lacks
                raise fail(f"invalid XML: {e}", parser.CurrentLineNumber) from None
            except FormatError as e:  # raised by the handler: add the path
                raise FormatError(e.message, path=b.src, line=e.line, document=e.document) from None
            while done:
                doc = b.build(done.popleft())
                if doc is not None:
                    yield doc
            if final:
                break
    if not h.root_seen:
        raise FormatError("no <collection> element", path=b.src)


# ---------------------------------------------------------------------------------------------
# JSON, one value at a time


class JSONStream:
    """Decode a large JSON text one value at a time, keeping only a window of it in memory.

    The text is read in chunks (UTF-8, checked as it is decoded); :meth:`value` decodes one
    complete JSON value with :meth:`json.JSONDecoder.raw_decode`, reading more of the file when
    the value runs past the window, and :meth:`line` tells the line a position is on, for
    :class:`~kgraph.errors.FormatError` messages. The caller walks the structure around the
    values it decodes whole (``{"documents": [ … ]}``) with :meth:`peek` and :meth:`expect`.

    >>> import io
    >>> s = JSONStream(io.BytesIO(b'[\\n {"a": 1},\\n 2]'), "x.json")
    >>> s.expect("[", "a list"), s.value(), s.expect(",", "a comma"), s.value(), s.peek()
    ('[', ({'a': 1}, 2), ',', (2, 3), ']')
    """

    _WS = re.compile(r"[ \t\n\r]*")

    def __init__(self, fp: BinaryIO, path: str, chunk: int | None = None) -> None:
        self.fp = fp
        self.path = path
        self.chunk = chunk or _CHUNK
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._line = 1
        self._line_pos = 0
        self._decoded_lines = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self._json = json.JSONDecoder()
        self._first = True

    def _fill(self, size: int | None = None) -> bool:
        if self.eof:
            return False
        data = self.fp.read(size or self.chunk)
        try:
            text = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as e:
            line = self._decoded_lines + 1 + data[: max(e.start, 0)].count(b"\n")
            raise FormatError(
                f"not UTF-8 text: byte {data[e.start : e.start + 1]!r}", path=self.path, line=line
            ) from None
        if self._first:
            self._first = False
            if text.startswith("\ufeff"):
                text = text[1:]
        if not data:
            self.eof = True
        self._decoded_lines += text.count("\n")
        # drop what was consumed, keeping the line count right
        self._line = self.line(self.pos)
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        self._line_pos = 0
        return bool(data)

    def line(self, pos: int) -> int:
        """The 1-based line of position ``pos`` of the window (``pos`` never goes back)."""
        if pos > self._line_pos:
            self._line += self.buf.count("\n", self._line_pos, pos)
            self._line_pos = pos
        return self._line

    def error(self, message: str, pos: int | None = None, document: str | None = None):
        line = self.line(self.pos if pos is None else pos)
        return FormatError(message, path=self.path, line=line, document=document)

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the file)."""
        while True:
            self.pos = self._WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def expect(self, chars: str, what: str) -> str:
        c = self.peek()
        if c == "" or c not in chars:
            found = repr(c) if c else "the end of the file"
            raise self.error(f"invalid JSON: expected {what}, found {found}")
        self.pos += 1
        return c

    def value(self) -> tuple[Any, int]:
        """Decode the next complete JSON value; return it and the line it starts on."""
        if self.peek() == "":
            raise self.error("invalid JSON: unexpected end of the file")
        line = self.line(self.pos)
        while True:
            try:
                obj, end = self._json.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as e:
                truncated = e.msg.startswith("Unterminated string") or e.pos >= len(self.buf) - 8
                if truncated and not self.eof:
                    self._fill(max(self.chunk, len(self.buf) - self.pos))
                    continue
                raise self.error(f"invalid JSON: {e.msg}", max(e.pos, self.pos)) from None
            except RecursionError:
                raise self.error("invalid JSON: values nested too deeply") from None
            except ValueError as e:  # an integer of more than sys.get_int_max_str_digits()
                raise self.error(f"invalid JSON: {e}") from None
            if end >= len(self.buf) and not self.eof and not isinstance(obj, dict | list | str):
                self._fill()  # a number or literal may go on in the next chunk
                continue
            if _SURROGATE_ESCAPE.search(self.buf, self.pos, end) and lone_surrogate(obj):
                raise self.error(LONE_SURROGATE)
            self.pos = end
            return obj, line


#: Only a ``\\u`` escape can put a surrogate into decoded JSON (the text itself is UTF-8).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
LONE_SURROGATE = "invalid JSON: a \\u escape names half a UTF-16 surrogate pair, not a character"


def lone_surrogate(value: Any) -> bool:
    """Whether a decoded JSON value holds a string with a lone surrogate (``"\\ud800"``), which
    no UTF-8 text (N-Quads, HTML, the store) can hold."""
    todo = [value]
    while todo:
        v = todo.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(v, dict):
            todo.extend(v)
            todo.extend(v.values())
        elif isinstance(v, list):
            todo.extend(v)
    return False


def _json_doc(obj: Any, line: int, stream: JSONStream) -> _Doc:
    if not isinstance(obj, dict):
        raise stream.error(f"a BioC document must be an object, not {type(obj).__name__}")
    d = _Doc(line)
    raw_id = obj.get("id")
    d.id = str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else None
    d.infons = _infons(obj.get("infons"), stream, d.id, line)
    # PubTator3's export puts the PMID, journal and date beside the BioC fields
    pmid = obj.get("pmid")
    if isinstance(pmid, int | str) and not isinstance(pmid, bool) and str(pmid).isdigit():
        d.infons.setdefault("pmid", str(pmid))
    if isinstance(obj.get("journal"), str) and obj["journal"]:
        d.infons["kgraph:publisher"] = obj["journal"]
    if isinstance(obj.get("date"), str) and re.match(r"\d{4}-\d\d-\d\d", obj["date"]):
        d.infons["kgraph:date"] = obj["date"][:10]
    for p in _list(obj.get("passages"), "passages", stream, d.id, line):
        passage = _json_passage(p, d, stream, line)
        d.passages.append(passage)
        for s in _list(p.get("sentences"), "sentences", stream, d.id, line):
            passage.sentences.append(_json_passage(s, d, stream, line))
    _json_anns(obj, d, stream, line)
    for r in _list(obj.get("relations"), "relations", stream, d.id, line):
        d.relations.append(_json_rel(r, stream, d.id, line))
    return d


def _json_passage(p: Any, d: _Doc, stream: JSONStream, line: int) -> _Passage:
    if not isinstance(p, dict):
        raise stream.error("a passage or sentence must be an object", document=d.id)
    passage = _Passage(line)
    passage.offset = p.get("offset")
    text = p.get("text")
    if text is not None and not isinstance(text, str):
        raise FormatError(
            "passage text is not a string", path=stream.path, line=line, document=d.id
        )
    passage.text = text
    passage.infons = _infons(p.get("infons"), stream, d.id, line)
    _json_anns(p, d, stream, line)
    for r in _list(p.get("relations"), "relations", stream, d.id, line):
        d.relations.append(_json_rel(r, stream, d.id, line))
    return passage


def _json_anns(owner: dict, d: _Doc, stream: JSONStream, line: int) -> None:
    """The annotations of a passage, sentence or (as in BioC XML) the document itself."""
    for a in _list(owner.get("annotations"), "annotations", stream, d.id, line):
        if not isinstance(a, dict):
            raise FormatError(
                "an annotation must be an object", path=stream.path, line=line, document=d.id
            )
        ann = _Ann(None if a.get("id") is None else str(a.get("id")), line)
        ann.infons = _infons(a.get("infons"), stream, d.id, line)
        text = a.get("text")
        ann.text = text if isinstance(text, str) else None
        for loc in _list(a.get("locations"), "locations", stream, d.id, line):
            if not isinstance(loc, dict):
                raise FormatError(
                    f"annotation {ann.id}: a location must be an object",
                    path=stream.path,
                    line=line,
                    document=d.id,
                )
            ann.locations.append((loc.get("offset"), loc.get("length")))
        d.annotations.append(ann)


def _json_rel(r: Any, stream: JSONStream, doc_id: str | None, line: int) -> _Rel:
    if not isinstance(r, dict):
        raise FormatError(
            "a relation must be an object", path=stream.path, line=line, document=doc_id
        )
    rel = _Rel(None if r.get("id") is None else str(r.get("id")), line)
    rel.infons = _infons(r.get("infons"), stream, doc_id, line)
    for n in _list(r.get("nodes"), "nodes", stream, doc_id, line):
        if isinstance(n, dict):
            rel.nodes.append((str(n.get("refid", "")), str(n.get("role", ""))))
    return rel


def _infons(value: Any, stream: JSONStream, doc_id: str | None, line: int) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FormatError("infons must be an object", path=stream.path, line=line, document=doc_id)
    # PubTator3 writes null for a missing identifier: an absent infon, not the text "null"
    return {
        str(k): v if isinstance(v, str) else json.dumps(v)
        for k, v in value.items()
        if v is not None
    }


def _list(value: Any, what: str, stream: JSONStream, doc_id: str | None, line: int) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError(f"{what} must be a list", path=stream.path, line=line, document=doc_id)
    return value


def _json_documents(stream: JSONStream) -> Iterator[tuple[Any, int]]:
    """The (document object, line) pairs of a BioC JSON file.

    Accepts a collection ``{"documents": [...], ...}`` (streamed), PubTator3's export
    ``{"PubTator3": [...]}`` (streamed), a list of documents, a single document, and JSON Lines of
    documents (``bioc``'s ``bioctype`` form).
    """
    first = stream.peek()
    if first == "":
        raise FormatError("empty file", path=stream.path)
    while True:
        c = stream.peek()
        if c == "":
            return
        if c == "[":
            stream.expect("[", "'['")
            yield from _array(stream)
            continue
        if c != "{":
            raise stream.error("expected a BioC collection or document (a JSON object)")
        line = stream.line(stream.pos)
        stream.expect("{", "'{'")
        header: dict[str, Any] = {}
        streamed = False
        if stream.peek() == "}":
            stream.pos += 1
        else:
            while True:
                key, _ = stream.value()
                if not isinstance(key, str):
                    raise stream.error("invalid JSON: object keys must be strings")
                stream.expect(":", "':'")
                if key in _DOCUMENT_LISTS:
                    if stream.peek() != "[":
                        raise stream.error(f"{key!r} must be a list")
                    stream.expect("[", "'['")
                    streamed = True
                    yield from _array(stream)
                else:
                    header[key], _ = stream.value()
                if stream.expect(",}", "',' or '}'") == "}":
                    break
        if not streamed:
            if "passages" in header or "id" in header:
                yield header, line
            else:
                raise stream.error(
                    "a JSON object with neither 'documents' (BioC), 'PubTator3' nor 'passages'",
                    line,
                )


def _array(stream: JSONStream) -> Iterator[tuple[Any, int]]:
    if stream.peek() == "]":
        stream.pos += 1
        return
    while True:
        yield stream.value()
        if stream.expect(",]", "',' or ']'") == "]":
            return


def read_json(path: str | Path, **options: Any) -> Iterator[Document]:
    """Yield the documents of a BioC JSON file, one at a time (options as for :func:`read_xml`).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.bioc.json"
    >>> _ = p.write_text(
    ...     '{"documents": [{"id": "9", "passages": [{"offset": 0, "text": "Salt hurts.", '
    ...     '"annotations": [{"id": "T1", "infons": {"type": "Chemical", "MESH": "D012964"}, '
    ...     '"locations": [{"offset": 0, "length": 4}], "text": "Salt"}]}]}]}')
    >>> doc = next(read_json(p))
    >>> doc.id, doc.text, doc.mentions[0].concepts
    ('9', 'Salt hurts.', ('MESH:D012964',))
    """
    b = _Builder(path, "bioc-json", JSON_SUFFIXES, options)
    with open(path, "rb") as f:
        stream = JSONStream(f, b.src)
        for obj, line in _json_documents(stream):
            doc = b.build(_json_doc(obj, line, stream))
            if doc is not None:
                yield doc


register(
    "bioc-xml",
    read_xml,
    suffixes=XML_SUFFIXES,
    description="BioC XML collections (BC5CDR, BioRED, PubTator3's biocxml export); options "
    "individual_mentions, on_issue",
)
register(
    "bioc-json",
    read_json,
    suffixes=JSON_SUFFIXES,
    description="BioC JSON collections (BioRED) and PubTator3's biocjson export "
    "({\"PubTator3\": [...]}); a plain '.json' file is read as BioC when it holds a 'documents' "
    "or 'PubTator3' list; options individual_mentions, on_issue",
)
