"""brat standoff: a ``NAME.txt`` text and a ``NAME.ann`` annotation file per document.

Lines of the ``.ann`` file (https://brat.nlplab.org/standoff.html):

- ``T`` text-bound mentions, discontinuous spans as ``0 5;9 14`` (fragments kept in the given order);
- ``N`` normalisations ``Reference T1 MESH:D007649`` → the mention's concepts;
- ``R`` binary relations ``type Arg1:T1 Arg2:T2``;
- ``E`` events with two arguments, read as a relation from the first argument to the second;
- ``A``/``M`` attributes on relations: ``Negated R1``, ``Certainty R1 Hedged``,
  ``EvidenceLevel R1 Preclinical``; the qualifiers ``Comparison R1 Less|More|Similar``,
  ``Degree R1 Weak|Moderate|Strong``, ``Mediation R1 Through|Independent``; ``ResearchQuestion R1``
  (an open question, not a claim); an annotator's proposal ``Proposed R1`` / ``Proposed T1`` with
  ``Confidence R1 High|Medium|Low`` (any other attribute is kept in ``Relation.attributes``);
- ``R`` lines ``comparator Arg1:T1 Arg2:T5`` and ``mediator Arg1:T1 Arg2:T6`` name the comparator
  and mediator of the one claim whose subject mention is ``T1`` (an error if ``T1`` is the
  subject of no claim or of several);
- ``#`` annotator notes; a note on a relation made only of modality words (``hyp``, ``neg``, … as in
  PGxCorpus) sets the relation's certainty and negation, any other note is ``Relation.note``;
- ``*`` equivalence lines are accepted and ignored.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "s.txt").write_text("Ketamine blocks NMDA receptors.\\n")
>>> _ = (d / "s.ann").write_text(
...     "T1\\tCompound 0 8\\tKetamine\\nT2\\tReceptor 16 30\\tNMDA receptors\\n"
...     "R1\\tantagonistOf Arg1:T1 Arg2:T2\\t\\nA1\\tCertainty R1 Hedged\\n")
>>> [doc] = read(d / "s.ann")
>>> doc.relations[0].certainty, doc.mention("T2").text
('Hedged', 'NMDA receptors')

Lines end at ``\\n`` only, as brat reads them: a U+2028 or form feed in a text column is text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType

from ..errors import FormatError
from ..model import (
    Document,
    Mention,
    Relation,
    Span,
)
from . import register
from ._ids import utf8_text
from ._scheme import QUALIFYING_RELATIONS, attach_qualifiers, proposal, relation_fields

__all__ = ["QUALIFYING_RELATIONS", "read", "read_pair"]

_SPAN = re.compile(r"^(\d{1,18}) (\d{1,18})$")  # int() refuses more than 4300 digits


def _inside(path: Path, root: Path | None) -> None:
    """Refuse a file that is (a link to) something outside the folder the reader was given."""
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        raise FormatError(
            "refused: a link to a file outside the corpus folder (the reader stays inside it)",
            path=path,
        )


def _decode(path: Path, root: Path | None = None) -> str:
    _inside(path, root)
    data = path.read_bytes()
    text = utf8_text(data, path)
    return text[1:] if text.startswith("\ufeff") else text


def _read_text(path: Path, root: Path | None = None) -> str:
    if not path.exists():
        raise FormatError(f"the text file {path.name} of this annotation is missing", path=path)
    return _decode(path, root)


def _issue(on_issue, error: FormatError) -> None:
    if on_issue is None:
        raise error
    on_issue(error)


def read_pair(
    txt: Path,
    ann: Path,
    *,
    doc_id: str | None = None,
    metadata: dict[str, str] | None = None,
    on_issue: Callable[[FormatError], None] | None = None,
    root: Path | None = None,
) -> Document:
    """Read one ``.txt``/``.ann`` pair into a :class:`Document` (with ``root``: both files must
    be inside that folder, links included).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("Ketamine.\\n"), (d / "a.ann").write_text("T1\\tCompound 0 8\\tKetamine\\n")
    >>> read_pair(d / "a.txt", d / "a.ann").mention("T1").text
    'Ketamine'
    """
    text = _read_text(txt, root)
    doc_id = doc_id or ann.stem
    mentions: dict[str, Mention] = {}
    concepts: dict[str, list[str]] = {}
    norm_lines: dict[str, int] = {}
    rel_parts: dict[str, dict] = {}
    qualifying: list[dict] = []  # comparator / mediator relations, in file order
    attrs: dict[str, dict[str, str]] = {}
    notes: dict[str, list[str]] = {}
    seen: set[str] = set()
    # brat lines end at "\n" only: str.splitlines() would also split on U+2028, NEL, FF…
    for lineno, raw in enumerate(_decode(ann, root).split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue

        def fail(msg: str, lineno: int = lineno) -> FormatError:
            return FormatError(msg, path=ann, line=lineno, document=doc_id)

        ident, tab, rest = line.partition("\t")
        if not tab or not ident:
            raise fail(f"malformed line (expected ID<TAB>…): {line[:60]!r}")
        kind = ident[0]
        if ident in seen and kind != "#":
            raise fail(f"duplicate annotation id {ident}")
        seen.add(ident)
        if kind == "T":
            head, tab2, covered = rest.partition("\t")
            if not tab2:
                raise fail("text-bound annotation without a text column")
            type_, _, offsets = head.partition(" ")
            spans = []
            for frag in offsets.split(";"):
                m = _SPAN.match(frag.strip())
                if not m:
                    raise fail(f"bad offsets {offsets!r} (expected 'START END[;START END…]')")
                start, end = int(m.group(1)), int(m.group(2))
                if start >= end:
                    raise fail(f"empty or reversed span {start}-{end}")
                if end > len(text):
                    raise fail(f"span {start}-{end} runs past the end of {txt.name} ({len(text)})")
                spans.append(Span(start, end))
            mention = Mention(ident, type_, tuple(spans), covered.rstrip(" \r"), (), lineno)
            actual = mention.covered(text)
            if actual != mention.text and actual.strip() != mention.text.strip():
                _issue(
                    on_issue,
                    fail(f"span {offsets} covers {actual!r} but the text column says {covered!r}"),
                )
            mentions[ident] = mention
        elif kind == "N":
            parts = rest.split("\t")[0].split(" ")
            if len(parts) != 3 or ":" not in parts[2]:
                raise fail("normalisation must read 'Reference T<n> PREFIX:ID'")
            concepts.setdefault(parts[1], []).append(parts[2])
            norm_lines.setdefault(parts[1], lineno)
        elif kind == "R" or kind == "E":
            body = rest.split("\t")[0].split()
            if kind == "E":
                if not body or ":" not in body[0]:
                    raise fail("event must read 'TYPE:TRIGGER ROLE:ARG …'")
                type_ = body[0].split(":", 1)[0]
                args = [a.split(":", 1) for a in body[1:]]
            else:
                if len(body) != 3:
                    raise fail("relation must read 'TYPE Arg1:T<n> Arg2:T<m>'")
                type_ = body[0]
                args = [a.split(":", 1) for a in body[1:]]
            if len(args) != 2 or any(len(a) != 2 or not a[1] for a in args):
                raise fail("a relation needs exactly two arguments ROLE:ID")
            part = {"id": ident, "type": type_, "subject": args[0][1], "object": args[1][1]}
            part["line"] = lineno
            if kind == "R" and type_ in QUALIFYING_RELATIONS:
                qualifying.append(part)
            else:
                rel_parts[ident] = part
        elif kind in "AM":
            body = rest.split("\t")[0].split()
            if len(body) not in (2, 3):
                raise fail("attribute must read 'NAME TARGET [VALUE]'")
            name, target = body[0], body[1]
            if name.startswith("__"):  # the reader's own keys (__line__…) start so
                raise fail(f"attribute name {name!r} may not start with '__'")
            attrs.setdefault(target, {})[name] = body[2] if len(body) == 3 else "true"
            attrs[target].setdefault("__line__" + name, str(lineno))
        elif kind == "#":
            body, _, note = rest.partition("\t")
            words = body.split()
            if len(words) >= 2 and note.strip():
                notes.setdefault(words[1], []).append(note.strip())
        elif kind == "*":
            continue
        else:
            raise fail(f"unknown annotation kind {ident!r}")

    for tid, curies in concepts.items():
        if tid not in mentions:
            raise FormatError(
                f"normalisation of unknown mention {tid}",
                path=ann,
                line=norm_lines[tid],
                document=doc_id,
            )
        m = mentions[tid]
        mentions[tid] = Mention(m.id, m.type, m.spans, m.text, tuple(curies), m.line)

    def error(msg: str, line: int | None) -> FormatError:
        return FormatError(msg, path=ann, line=line, document=doc_id)

    for part in (*rel_parts.values(), *qualifying):
        for role in ("subject", "object"):
            if part[role] not in mentions:
                raise error(
                    f"relation {part['id']} points at {part[role]}, which is not a mention of "
                    "this file",
                    part["line"],
                )
    fields: dict[str, dict[str, object]] = {}
    for rid in rel_parts:
        fields[rid] = relation_fields(attrs.pop(rid, {}), notes.pop(rid, []), error, rid)
    attach_qualifiers(qualifying, rel_parts, fields, attrs, error)
    relations = []
    for rid, part in rel_parts.items():
        f = fields[rid]
        if f["mediation"] is not None and f["mediator"] is None:
            raise error(
                f"{rid} has a Mediation but no mediator relation "
                f"('mediator Arg1:{part['subject']} Arg2:T<n>')",
                f["__line__Mediation"],  # type: ignore[arg-type]
            )
        f = {k: v for k, v in f.items() if not k.startswith("__")}
        relations.append(
            Relation(rid, part["type"], part["subject"], part["object"], line=part["line"], **f)
        )
    for target, a in attrs.items():
        line = min((int(v) for k, v in a.items() if k.startswith("__line__")), default=None)
        if target in mentions:
            m = mentions[target]
            proposed, confidence = proposal(a, error, target)
            if proposed or confidence:
                mentions[target] = Mention(
                    m.id, m.type, m.spans, m.text, m.concepts, m.line, proposed, confidence
                )
        elif line is not None:
            raise error(f"attribute on unknown annotation {target}", line)
    if not text.strip() and (mentions or relations):
        raise FormatError("annotations on an empty text", path=ann, document=doc_id)
    return Document(
        doc_id,
        text,
        tuple(mentions.values()),
        tuple(relations),
        MappingProxyType({"format": "brat", **(metadata or {})}),
        str(ann),
        1,
    )


def read(
    path: str | Path, *, on_issue: Callable[[FormatError], None] | None = None, **_: object
) -> Iterator[Document]:
    """Read a ``.ann`` file (its ``.txt`` beside it), a ``.txt`` file, or a folder of pairs.

    >>> from kgraph.vocab import corpus_dir
    >>> len(list(read(corpus_dir()))) >= 4
    True
    """
    p = Path(path)
    if p.is_dir():
        anns = sorted(p.rglob("*.ann"))
        if not anns:
            raise FormatError("no .ann files in this folder", path=p)
        for ann in anns:
            yield read_pair(ann.with_suffix(".txt"), ann, on_issue=on_issue, root=p)
        return
    if not p.exists():
        raise FormatError("no such file", path=p)
    ann = p.with_suffix(".ann")
    if not ann.exists():
        raise FormatError(f"the annotation file {ann.name} of this text is missing", path=p)
    yield read_pair(p.with_suffix(".txt"), ann, on_issue=on_issue)


def _is_brat_dir(p: Path) -> bool:
    return any(p.glob("*.ann"))


register(
    "brat",
    read,
    suffixes=(".ann",),
    description="brat standoff (.txt + .ann pairs)",
    directory=_is_brat_dir,
)
