"""PubTator reader (BC5CDR, BioRED, PubTator Central exports).

A PubTator file is a run of documents separated by blank lines::

    PMID|t|title
    PMID|a|abstract
    PMID<TAB>start<TAB>end<TAB>text<TAB>type<TAB>identifier[<TAB>individual mentions]
    PMID<TAB>relation type<TAB>id 1<TAB>id 2[<TAB>Novel|No]

Offsets are document-level, the abstract starting at ``len(title) + 1``, so ``Document.text`` is
``title + "\\n" + abstract`` (a newline, so that sentence splitting sees the title as a line of
its own). Mentions get ids ``M1``, ``M2``, … in file order and keep the source type verbatim;
their identifiers become CURIEs through :func:`kgraph.formats._ids.curies_for`. Relations hold
between concepts (``by_concept=True``): their raw endpoint ids are normalised with the type of a
mention of the same document that carries the id, after composite ids are split (BC5CDR and
BioRED have endpoints that occur only inside composites). An endpoint that is itself a composite
(five BioRED relations point at ``D015458|D016399`` or ``D007859|D008569``) gives one relation per
concept, with ids ``R<k>#1``, ``R<k>#2``; the source relation is ``R<k>``. BioRED's novelty
column goes to ``Relation.attributes["novel"]``. PubTator3's export writes an end as ``Type|id``
(``Chemical|MESH:D007649``); the id is resolved the same way. A relation whose end no mention
carries is an :class:`~kgraph.formats._ids.UnusableRelation`: reported and skipped when
``on_issue`` is given.

The reader streams: it reads one line at a time and yields each document when it ends. Line
endings may be LF or CRLF. Malformed input raises :class:`~kgraph.errors.FormatError` naming the
file, the line and the document; the recoverable problems (a mention text that does not match its
offsets, a document with no text) go to ``on_issue`` when it is given.

>>> from pathlib import Path
>>> import tempfile
>>> p = Path(tempfile.mkdtemp()) / "x.pubtator"
>>> _ = p.write_text("1|t|Aspirin and pain.\\n1|a|It helps.\\n"
...                  "1\\t0\\t7\\tAspirin\\tChemical\\tD001241\\n1\\t12\\t16\\tpain\\tDisease\\tD010146\\n"
...                  "1\\tCID\\tD001241\\tD010146\\n")
>>> doc = next(read(p))
>>> doc.text
'Aspirin and pain.\\nIt helps.'
>>> doc.mentions[0].concepts, doc.relations[0].subject
(('MESH:D001241',), 'MESH:D001241')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType

from ..errors import FormatError
from ..model import Document, Mention, Relation, Span
from . import register
from ._ids import (
    UnusableRelation,
    concept_relations,
    corpus_name,
    id_parts,
    resolve_endpoint,
    utf8_line,
)
from ._spans import check_span, report

__all__ = ["read"]

NAME = "pubtator"
SUFFIXES = (".pubtator", ".pubtator.txt")

_PASSAGE = re.compile(r"([^\t|]+)\|([ta])\|(.*)", re.DOTALL)
_INT = re.compile(r"-?\d+")
_WORD = re.compile(r"[A-Za-z_][\w.-]*")


class _Doc:
    """The document being read: its lines so far."""

    __slots__ = ("abstract", "ids", "line", "mentions", "pmid", "relations", "text", "title")

    def __init__(self, pmid: str, title: str, line: int) -> None:
        self.pmid = pmid
        self.title = title
        self.abstract: str | None = None
        self.line = line
        self.text: str | None = None
        self.mentions: list[Mention] = []
        self.relations: list[tuple[str, str, str, str | None, int]] = []
        self.ids: dict[str, str] = {}

    def full_text(self) -> str:
        if self.text is None:
            self.text = self.title if self.abstract is None else f"{self.title}\n{self.abstract}"
        return self.text


def read(
    path: str | Path, *, on_issue: Callable[[FormatError], None] | None = None
) -> Iterator[Document]:
    """Yield the documents of a PubTator file, one at a time.

    ``on_issue`` receives the recoverable problems (mention text not matching its offsets, a
    document with no text) and reading goes on; without it they raise
    :class:`~kgraph.errors.FormatError`.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "y.pubtator"
    >>> _ = p.write_text("7|t|Salt.\\n7|a|Bad.\\n7\\t0\\t4\\tSalt\\tChemical\\tD012964\\n")
    >>> [(d.id, d.mentions[0].text) for d in read(p)]
    [('7', 'Salt')]
    """
    src = str(path)
    corpus = corpus_name(path, SUFFIXES)
    seen: set[str] = set()
    doc: _Doc | None = None
    started = False
    lineno = 0

    def fail(message: str, document: str | None = None) -> FormatError:
        return FormatError(message, path=src, line=lineno, document=document)

    with open(path, "rb") as f:
        for raw in f:
            lineno += 1
            line = utf8_line(raw, src, lineno, doc.pmid if doc else None)
            line = line.rstrip("\r\n")
            if lineno == 1 and line.startswith("\ufeff"):
                line = line[1:]
            if not line or line.isspace():
                if doc is not None:
                    yield from _finish(doc, src, corpus, on_issue)
                    doc = None
                continue
            tab = line.find("\t")
            bar = line.find("|")
            if bar != -1 and (tab == -1 or bar < tab):
                m = _PASSAGE.fullmatch(line)
                if m is None:
                    raise fail(
                        "cannot read this line: expected 'PMID|t|title' or 'PMID|a|abstract'",
                        doc.pmid if doc else None,
                    )
                pmid, kind, body = m.groups()
                if kind == "t":
                    if doc is not None:  # no blank line between two documents
                        yield from _finish(doc, src, corpus, on_issue)
                    if pmid in seen:
                        raise fail("document id occurs twice in the file", pmid)
                    seen.add(pmid)
                    doc = _Doc(pmid, body, lineno)
                    started = True
                elif doc is None or doc.pmid != pmid:
                    raise fail("abstract line without a title line before it", pmid)
                elif doc.abstract is not None or doc.text is not None:
                    raise fail("abstract line after the abstract or after annotations", pmid)
                else:
                    doc.abstract = body
                continue
            if tab == -1:
                raise fail(
                    "cannot read this line: expected 'PMID|t|…', 'PMID|a|…' or a tab-separated "
                    "annotation",
                    doc.pmid if doc else None,
                )
            fields = line.split("\t")
            if doc is None:
                raise fail(
                    "annotation line outside a document (no title line before it)", fields[0]
                )
            if fields[0] != doc.pmid:
                raise fail(f"annotation line of document {fields[0]!r} inside this one", doc.pmid)
            if _INT.fullmatch(fields[1]) or not _WORD.fullmatch(fields[1]):
                _mention(doc, fields, lineno, src, on_issue)
            else:
                if len(fields) < 4:
                    raise fail(
                        f"relation line has {len(fields)} fields; expected "
                        "PMID, type, id 1, id 2 [, novelty]",
                        doc.pmid,
                    )
                novel = fields[4] if len(fields) > 4 and fields[4] else None
                doc.relations.append(
                    (fields[1], fields[2].strip(), fields[3].strip(), novel, lineno)
                )
    if doc is not None:
        yield from _finish(doc, src, corpus, on_issue)
    if not started:
        raise FormatError("empty file: no 'PMID|t|title' line", path=src)


def _mention(
    doc: _Doc,
    fields: list[str],
    lineno: int,
    src: str,
    on_issue: Callable[[FormatError], None] | None,
) -> None:
    def fail(message: str) -> FormatError:
        return FormatError(message, path=src, line=lineno, document=doc.pmid)

    if len(fields) < 5:
        raise fail(
            f"mention line has {len(fields)} fields; expected PMID, start, end, text, type "
            "[, identifier]"
        )
    try:
        start = int(fields[1])
        end = int(fields[2])
    except ValueError:
        raise fail(f"offsets {fields[1]!r}, {fields[2]!r} are not integers") from None
    if start < 0 or end < start:
        raise fail(f"bad offsets {start}-{end}")
    k = len(doc.mentions) + 1
    quoted = fields[3]
    text = doc.full_text()
    spans: tuple[Span, ...] = (Span(start, end),)
    if end > len(text) or text[start:end] != quoted:  # the common case skips the call
        spans = check_span(
            text,
            spans,
            quoted,
            what=f"mention M{k}",
            on_issue=on_issue,
            path=src,
            line=lineno,
            document=doc.pmid,
        )
    mtype = fields[4]
    raw_id = fields[5] if len(fields) > 5 else ""
    concepts = id_parts(raw_id, mtype, NAME, doc.ids)
    doc.mentions.append(Mention(f"M{k}", mtype, spans, quoted, concepts, lineno))


def _finish(
    doc: _Doc, src: str, corpus: str, on_issue: Callable[[FormatError], None] | None
) -> Iterator[Document]:
    text = doc.full_text()
    if not text.strip():
        report(
            on_issue,
            FormatError(
                "document has no text; skipped", path=src, line=doc.line, document=doc.pmid
            ),
        )
        return
    relations: list[Relation] = []
    for k, (rtype, id1, id2, novel, lineno) in enumerate(doc.relations, 1):
        try:
            subjects = resolve_endpoint(id1, doc.ids, src, lineno, doc.pmid)
            objects = resolve_endpoint(id2, doc.ids, src, lineno, doc.pmid)
        except UnusableRelation as e:
            if on_issue is None:
                raise
            e.message += "; relation skipped"
            on_issue(e)
            continue
        attributes = {"novel": novel} if novel is not None else {}
        relations.extend(concept_relations(f"R{k}", rtype, subjects, objects, attributes, lineno))
    metadata = {
        "format": NAME,
        "title": doc.title,
        "corpus": corpus,
        "source_type": "AnnotatedCorpus",
    }
    if doc.pmid.isdigit():
        metadata["pmid"] = doc.pmid
    yield Document(
        doc.pmid,
        text,
        tuple(doc.mentions),
        tuple(relations),
        MappingProxyType(metadata),
        src,
        doc.line,
    )


register(
    NAME,
    read,
    suffixes=SUFFIXES,
    description="PubTator text (PMID|t|, PMID|a| and tab-separated mention/relation lines), "
    "as in BC5CDR, BioRED and PubTator Central",
)
