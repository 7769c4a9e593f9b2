"""What ``kgraph annotate`` reads: plain text, Markdown and HTML (through :mod:`.extract`), and
PubTator / BioC / brat / PubAnnotation files that already carry entities.

:func:`read_inputs` yields :class:`~kgraph.annotate.extract.Source` objects: the document (its text
is the document of record), the offset map (``None`` when the text *is* the source) and whether its
mentions came with the input.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
>>> _ = p.write_text("Ketamine and mood\\nKetamine blocks NMDA receptors.\\n")
>>> [src] = read_inputs([p])
>>> src.document.id, src.document.metadata["title"], src.offsets, src.has_mentions
('note', 'Ketamine and mood', None, False)
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType

from ..errors import FormatError
from ..formats import read as read_format
from ..grounding import Lexicon
from ..model import Document, Mention
from ..vocab import KG
from .extract import AnnotateInputError, OffsetMap, Source, _doc, html_source, markdown_source
from .matcher import Matcher

__all__ = ["AnnotateInputError", "OffsetMap", "Source", "ground_mentions", "read_inputs"]


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise AnnotateInputError("binary file (NUL bytes), not text", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise AnnotateInputError(f"not UTF-8 text (line {line}, byte {e.start})", path) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise AnnotateInputError("empty text", path)
    return text


def _text_title(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 200 else None
    return None


_PUBTATOR_HEAD = re.compile(r"^\s*\d+\|[ta]\|", re.MULTILINE)


def _entity_format(path: Path) -> str | None:
    """The kgraph reader of an entity-bearing file, or ``None`` for plain text / Markdown / HTML."""
    name = path.name.lower()
    if name.endswith((".txt", ".text")):
        if name.endswith(".pubtator.txt"):
            return "pubtator"
        head = path.read_bytes()[:4096].decode("utf-8", "replace")
        if _PUBTATOR_HEAD.match(head):
            return "pubtator"
        if path.with_suffix(".ann").exists():
            return "brat"
        return None
    if name.endswith((".md", ".markdown", ".html", ".htm", ".xhtml")):
        return None
    if name.endswith(".pubtator"):
        return "pubtator"
    if name.endswith(".ann"):
        return "brat"
    if name.endswith(".bioc.json"):
        return "bioc-json"
    if name.endswith(".xml"):
        return "bioc-xml"
    if name.endswith((".json", ".jsonl")):
        head = path.read_bytes()[:4096].decode("utf-8", "replace")
        return "bioc-json" if '"documents"' in head and '"passages"' in head else "pubannotation"
    return None


def ground_mentions(doc: Document, lexicon: Lexicon) -> Document:
    """The input's own mentions, renumbered ``T1…``, typed by kgo: class and grounded through the
    lexicon (``MESH:D007649`` → ``kg:ketamine``; a mention without identifiers by its whole text,
    as the matcher reads it); its relations dropped (annotate proposes its own).

    >>> from kgraph.model import Span
    >>> d = Document("1", "Ketamine works.", (Mention("M1", "Chemical", (Span(0, 8),), "Ketamine",
    ...     ("MESH:D007649",)),), metadata={"format": "pubtator"})
    >>> m = ground_mentions(d, Lexicon.load()).mentions[0]
    >>> m.id, m.type, m.concepts
    ('T1', 'Compound', ('kg:ketamine',))
    """
    fmt = doc.metadata.get("format", "default")
    mentions = []
    kg = str(KG)
    kgo = "https://w3id.org/kgraph/ontology#"
    for n, m in enumerate(sorted(doc.mentions, key=lambda m: (m.start, m.end)), 1):
        cls = lexicon.class_for_type(m.type, fmt)
        concepts = []
        for c in m.concepts:
            e = lexicon.entity_for_curie(c)
            if e and e.startswith(kg):
                concepts.append("kg:" + e[len(kg) :])
                cls = lexicon.entity_class.get(e, cls)
            else:
                concepts.append(c)
        type_ = cls[len(kgo) :] if cls and cls.startswith(kgo) else m.type
        if not concepts:  # a name the lexicon knows ("NMDA receptors") grounds as the matcher would
            whole = [
                h
                for h in Matcher.from_lexicon(lexicon).find(m.text)
                if h.end - h.start == len(m.text)
            ]
            if whole and whole[0].concept:
                concepts, type_ = [whole[0].concept], whole[0].type
        mentions.append(
            Mention(f"T{n}", type_, m.spans, m.covered(doc.text), tuple(dict.fromkeys(concepts)))
        )
    meta = {k: v for k, v in doc.metadata.items() if k not in ("format", "corpus")}
    return Document(
        doc.id, doc.text, tuple(mentions), (), MappingProxyType(meta), doc.source, doc.line
    )


def _stdin_source(stream=None) -> Source:
    """Plain text read from standard input, as document ``pasted``."""
    raw = (stream or sys.stdin).read()
    if "\x00" in raw[:8192]:
        raise AnnotateInputError("binary data, not text", "<stdin>")
    text = raw.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    if not text.strip():
        raise AnnotateInputError("empty text", "<stdin>")
    title = _text_title(text)
    doc = Document("pasted", text, metadata=MappingProxyType({"title": title} if title else {}))
    return Source(doc, None, False, "<stdin>")


def read_inputs(paths: list[Path], lexicon: Lexicon | None = None) -> Iterator[Source]:
    """Each input document; errors name the file.

    >>> next(read_inputs([Path("no/such.txt")]))
    Traceback (most recent call last):
    ...
    kgraph.annotate.extract.AnnotateInputError: no/such.txt: no such file
    """
    for path in paths:
        if str(path) == "-":  # pasted text on standard input
            yield _stdin_source()
            continue
        path = Path(path)
        if not path.exists():
            raise AnnotateInputError("no such file", path)
        if path.is_dir():
            raise AnnotateInputError("a folder; name the files to annotate", path)
        fmt = _entity_format(path)
        if fmt is not None:
            _decode(path)  # binary / empty / not UTF-8 → a clear error first
            lexicon = lexicon or Lexicon.load()
            try:
                docs = list(read_format(path, fmt))
            except FormatError as e:
                raise AnnotateInputError(f"cannot read it as {fmt}: {e}", path) from None
            if not docs:
                raise AnnotateInputError(f"no documents in this {fmt} file", path)
            for d in docs:
                if not d.text.strip():
                    raise AnnotateInputError(f"document {d.id} has no text", path)
                yield Source(ground_mentions(d, lexicon), None, True, str(path))
            continue
        text = _decode(path)
        name = path.name.lower()
        if name.endswith((".html", ".htm", ".xhtml")):
            yield html_source(text, path)
        elif name.endswith((".md", ".markdown")):
            yield markdown_source(text, path)
        else:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            title = _text_title(text)
            yield Source(
                _doc(path, text, {"title": title} if title else {}), None, False, str(path)
            )
