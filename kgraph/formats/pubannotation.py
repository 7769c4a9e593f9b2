"""PubAnnotation JSON reader.

A PubAnnotation document is a JSON object with ``text`` and annotation lists::

    {"sourcedb": "PubMed", "sourceid": "123", "text": "…",
     "denotations": [{"id": "T1", "span": {"begin": 0, "end": 5}, "obj": "Chemical"}],
     "relations":   [{"id": "R1", "subj": "T1", "pred": "CID", "obj": "T2"}],
     "attributes":  [{"id": "A1", "subj": "R1", "pred": "negation", "obj": true}]}

A file may hold one such object, a JSON array of them, or one per line (JSON Lines, ``.jsonl``).
The reader streams (one document decoded at a time, see :class:`kgraph.formats.bioc.JSONStream`).

* ``Document.id`` is the ``sourceid`` (``sourceid-divid`` for a division of a full text), else the
  id in the ``target`` URL, else ``<file name>-<n>``; ``metadata`` keeps ``sourcedb``, ``project``
  and, for PubMed and PMC, ``pmid``/``pmcid``.
* A denotation becomes a :class:`~kgraph.model.Mention` with the denotation id and ``obj`` as its
  type, verbatim. PubTator-style objects ``"Gene:4790"`` (a type kgraph knows, a colon, an id) are
  split into the type ``Gene`` and the concept ``NCBIGene:4790``; an object that is an ontology
  CURIE or OBO PURL (``UBERON:0002168``, ``http://purl.obolibrary.org/obo/GO_0051179``) is kept as
  the type and also gives the concept (``GO:0051179``). Attributes whose ``pred`` is an identifier
  (``identifier``, ``id``, ``db_id``, or a prefix such as ``uniprot``) add concepts.
* Discontinuous denotations: a ``span`` that is a list (the "bagging" model), and ``_FRAGMENT``
  denotations joined by ``_lexicallyChainedTo`` relations (the "chaining" model), which are folded
  into the head denotation.
* Relations are mention-level: ``subj``/``obj`` are denotation ids, ``pred`` is the type. An
  attribute (or an old-style ``modification``) on a relation with ``pred`` negation/negated marks
  it ``negated``; speculation/hedged/uncertain, or ``certainty`` with a value such as "Hedged",
  makes its certainty "Hedged"; other attributes go to ``Relation.attributes``.
* Multi-track documents (``tracks``): each track's ids are prefixed with its project name
  (``GO-BP/T1``), since tracks reuse ids.

``.json`` is also the ending of BioC JSON; this reader claims ``.json`` and BioC JSON claims
``.bioc.json``, so name BioC JSON files that way or pass ``format="bioc-json"``.

>>> import tempfile
>>> p = Path(tempfile.mkdtemp()) / "b.jsonl"
>>> _ = p.write_text('{"sourceid": "1", "text": "One."}\\n{"sourceid": "2", "text": "Two."}\\n')
>>> [(d.id, d.text) for d in read(p)]
[('1', 'One.'), ('2', 'Two.')]
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import FormatError
from ..model import Document, Mention, Relation, Span
from . import register
from ._ids import KNOWN_TYPES, corpus_name, curies_for, known_prefix, utf8_line
from ._kgraph import lift
from ._kgraph import metadata as kgraph_metadata
from ._spans import check_span, report
from .bioc import LONE_SURROGATE, JSONStream, lone_surrogate

__all__ = ["read"]

NAME = "pubannotation"
SUFFIXES = (".pubannotation.json", ".json", ".jsonl")

_TARGET = re.compile(r"/sourcedb/([^/]+)/sourceid/([^/]+)(?:/divs/([^/]+))?")
_TYPED_ID = re.compile(r"([A-Za-z][\w]*):(.+)")
_ID_PREDS = frozenset({"identifier", "id", "db_id", "dbid", "concept", "normalization", "xref"})
_NEG_PREDS = frozenset({"negation", "negated", "negative"})
_HEDGE_PREDS = frozenset(
    {"speculation", "speculative", "speculated", "hedged", "hedge", "uncertain", "uncertainty"}
)
_HEDGED_VALUES = frozenset(
    {
        "hedged",
        "uncertain",
        "speculative",
        "speculation",
        "speculated",
        "possible",
        "probable",
        "doubtful",
        "low",
    }
)
_FALSE = frozenset({"", "false", "no", "0", "none", "null"})
_FRAGMENT = "_FRAGMENT"
_CHAIN = "_lexicallyChainedTo"


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE
    return bool(value)


def read(
    path: str | Path, *, on_issue: Callable[[FormatError], None] | None = None
) -> Iterator[Document]:
    """Yield the documents of a PubAnnotation JSON (or JSON Lines) file, one at a time.

    ``on_issue`` receives the recoverable problems (a document with no text) and reading goes
    on; without it they raise :class:`~kgraph.errors.FormatError`.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.json"
    >>> _ = p.write_text(json.dumps({"sourcedb": "PubMed", "sourceid": "5",
    ...     "text": "Salt raises pressure.",
    ...     "denotations": [{"id": "T1", "span": {"begin": 0, "end": 4}, "obj": "Chemical:D012964"},
    ...                     {"id": "T2", "span": {"begin": 12, "end": 20}, "obj": "Disease"}],
    ...     "relations": [{"id": "R1", "subj": "T1", "pred": "raises", "obj": "T2"}],
    ...     "attributes": [{"id": "A1", "subj": "R1", "pred": "negation", "obj": True}]}))
    >>> doc = next(read(p))
    >>> doc.id, [(m.text, m.type, m.concepts) for m in doc.mentions]
    ('5', [('Salt', 'Chemical', ('MESH:D012964',)), ('pressure', 'Disease', ())])
    >>> r = doc.relations[0]
    >>> r.type, r.subject, r.object, r.negated
    ('raises', 'T1', 'T2', True)
    """
    src = str(path)
    corpus = corpus_name(path, SUFFIXES)
    seen: set[str] = set()
    n = 0
    if src.lower().endswith(".jsonl"):
        yield from _read_lines(path, src, corpus, seen, on_issue)
        return
    with open(path, "rb") as f:
        stream = JSONStream(f, src)
        if stream.peek() == "":
            raise FormatError("empty file", path=src)
        while True:
            c = stream.peek()
            if c == "":
                break
            if c == "[":
                stream.expect("[", "'['")
                if stream.peek() == "]":
                    stream.pos += 1
                    continue
                while True:
                    obj, line = stream.value()
                    n += 1
                    doc = _document(obj, line, n, src, corpus, seen, on_issue)
                    if doc is not None:
                        yield doc
                    if stream.expect(",]", "',' or ']'") == "]":
                        break
            elif c == "{":
                obj, line = stream.value()
                n += 1
                doc = _document(obj, line, n, src, corpus, seen, on_issue)
                if doc is not None:
                    yield doc
            else:
                raise stream.error("expected a PubAnnotation document (a JSON object) or a list")


def _read_lines(
    path: str | Path,
    src: str,
    corpus: str,
    seen: set[str],
    on_issue: Callable[[FormatError], None] | None,
) -> Iterator[Document]:
    """JSON Lines: one document per line, so that an error names its own line."""
    n = 0
    lineno = 0
    with open(path, "rb") as f:
        for raw in f:
            lineno += 1
            line = utf8_line(raw, src, lineno)
            if lineno == 1:
                line = line.removeprefix("\ufeff")
            if not line.strip():
                continue
            try:
                obj = json.loads(line.strip())
            except json.JSONDecodeError as e:
                raise FormatError(
                    f"invalid JSON: {e.msg} (column {e.colno})", path=src, line=lineno
                ) from None
            except RecursionError:
                raise FormatError(
                    "invalid JSON: values nested too deeply", path=src, line=lineno
                ) from None
            except ValueError as e:  # an integer of more than sys.get_int_max_str_digits()
                raise FormatError(f"invalid JSON: {e}", path=src, line=lineno) from None
            if "\\u" in line and lone_surrogate(obj):
                raise FormatError(LONE_SURROGATE, path=src, line=lineno)
            n += 1
            doc = _document(obj, lineno, n, src, corpus, seen, on_issue)
            if doc is not None:
                yield doc
    if n == 0:
        raise FormatError("empty file", path=src)


class _Ctx:
    """Where errors point: the file, the line the document starts on, the document."""

    __slots__ = ("doc", "line", "src")

    def __init__(self, src: str, line: int, doc: str | None) -> None:
        self.src, self.line, self.doc = src, line, doc

    def error(self, message: str) -> FormatError:
        return FormatError(message, path=self.src, line=self.line, document=self.doc)


def _document(
    obj: Any,
    line: int,
    n: int,
    src: str,
    corpus: str,
    seen: set[str],
    on_issue: Callable[[FormatError], None] | None,
) -> Document | None:
    ctx = _Ctx(src, line, None)
    if not isinstance(obj, dict):
        raise ctx.error(f"a PubAnnotation document must be a JSON object, not {type(obj).__name__}")
    sourcedb = _scalar(obj.get("sourcedb"))
    sourceid = _scalar(obj.get("sourceid"))
    divid = _scalar(obj.get("divid"))
    target = obj.get("target")
    if sourceid is None and isinstance(target, str):
        m = _TARGET.search(target)
        if m:
            sourcedb = sourcedb or m.group(1)
            sourceid = m.group(2)
            divid = divid if divid is not None else m.group(3)
    if sourceid is not None:
        doc_id = sourceid if divid is None else f"{sourceid}-{divid}"
    else:
        doc_id = f"{corpus}-{n}"
    ctx.doc = doc_id
    if doc_id in seen:
        raise ctx.error("document id occurs twice in the file")
    seen.add(doc_id)
    text = obj.get("text")
    if not isinstance(text, str):
        raise ctx.error("document has no 'text' string")
    if not text.strip():
        report(on_issue, ctx.error("document has no text; skipped"))
        return None

    layers: list[tuple[str, dict]] = [("", obj)]
    tracks = obj.get("tracks")
    if tracks is not None:
        if not isinstance(tracks, list):
            raise ctx.error("'tracks' must be a list")
        for i, track in enumerate(tracks, 1):
            if not isinstance(track, dict):
                raise ctx.error("a track must be an object")
            project = _scalar(track.get("project")) or f"track{i}"
            layers.append((f"{project}/", track))

    mentions: list[Mention] = []
    relations: list[Relation] = []
    for prefix, layer in layers:
        _layer(layer, prefix, text, ctx, mentions, relations, on_issue)

    metadata = {"format": NAME, "corpus": corpus, "source_type": "AnnotatedCorpus"}
    if sourcedb:
        metadata["sourcedb"] = sourcedb
        if sourceid and sourcedb.lower() == "pubmed":
            metadata["pmid"] = sourceid
        elif sourceid and sourcedb.lower() == "pmc":
            metadata["pmcid"] = sourceid
    project = _scalar(obj.get("project"))
    if project:
        metadata["project"] = project
    if isinstance(target, str):
        metadata["url"] = target
    if isinstance(obj.get("metadata"), dict):  # what kgraph export writes (kgraph.writers)
        metadata.update(kgraph_metadata(obj["metadata"]))
    relations = [lift(r) for r in relations]
    return Document(
        doc_id, text, tuple(mentions), tuple(relations), MappingProxyType(metadata), src, line
    )


def _scalar(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _items(layer: dict, key: str, ctx: _Ctx) -> list[dict]:
    value = layer.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ctx.error(f"'{key}' must be a list of objects")
    return value


def _offset(value: Any, what: str, ctx: _Ctx) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ctx.error(f"{what} {value!r} is not an integer")
    if value < 0:
        raise ctx.error(f"{what} {value} is negative")
    return value


def _spans(d: dict, did: str, ctx: _Ctx) -> list[Span]:
    span = d.get("span")
    parts = span if isinstance(span, list) else [span]
    if not parts or not all(isinstance(p, dict) for p in parts):
        raise ctx.error(f"denotation {did}: 'span' must be {{'begin', 'end'}} or a list of them")
    out = []
    for p in parts:
        begin = _offset(p.get("begin"), f"denotation {did}: begin", ctx)
        end = _offset(p.get("end"), f"denotation {did}: end", ctx)
        if end < begin:
            raise ctx.error(f"denotation {did}: bad span {begin}-{end}")
        out.append(Span(begin, end))
    return out


def _type_and_concepts(obj: str) -> tuple[str, tuple[str, ...]]:
    m = _TYPED_ID.fullmatch(obj)
    if m and m.group(1) in KNOWN_TYPES:
        return m.group(1), curies_for(m.group(2), m.group(1), NAME)
    if obj.startswith(("http://", "https://")) or (m and known_prefix(m.group(1))):
        return obj, curies_for(obj, "", NAME)
    return obj, ()


def _layer(
    layer: dict,
    prefix: str,
    text: str,
    ctx: _Ctx,
    mentions: list[Mention],
    relations: list[Relation],
    on_issue: Callable[[FormatError], None] | None,
) -> None:
    dens: dict[str, dict] = {}  # denotation id -> {"type", "spans", "concepts", "fragment"}
    for k, d in enumerate(_items(layer, "denotations", ctx), 1):
        did = _scalar(d.get("id")) or f"_T{k}"
        if did in dens:
            raise ctx.error(f"denotation id {did!r} occurs twice")
        obj = d.get("obj")
        if not isinstance(obj, str) or not obj:
            raise ctx.error(f"denotation {did} has no 'obj' string")
        spans = _spans(d, did, ctx)
        check_span(
            text,
            tuple(spans),
            None,
            what=f"denotation {did}",
            on_issue=on_issue,
            path=ctx.src,
            line=ctx.line,
            document=ctx.doc,
        )
        mtype, concepts = _type_and_concepts(obj)
        dens[did] = {
            "type": mtype,
            "spans": spans,
            "concepts": list(concepts),
            "fragment": obj == _FRAGMENT,
        }

    # the chaining model of discontinuous spans: fold fragments into their head
    rels = _items(layer, "relations", ctx)
    chained: dict[str, list[str]] = {}
    plain = []
    for k, r in enumerate(rels, 1):
        subj, obj_, pred = _scalar(r.get("subj")), _scalar(r.get("obj")), _scalar(r.get("pred"))
        rid = _scalar(r.get("id")) or f"_R{k}"
        if not subj or not obj_ or not pred:
            raise ctx.error(f"relation {rid} needs 'subj', 'pred' and 'obj'")
        for end in (subj, obj_):
            if end not in dens:
                raise ctx.error(f"relation {rid}: {end!r} names no denotation of the document")
        if pred == _CHAIN:
            chained.setdefault(subj, []).append(obj_)
        else:
            plain.append((rid, subj, pred, obj_))
    for head, parts in chained.items():
        if dens[head]["fragment"]:
            continue  # a fragment chained to a fragment: reached through the head
        todo, done = list(parts), set()
        while todo:
            part = todo.pop()
            if part in done or part == head:
                continue
            done.add(part)
            dens[head]["spans"].extend(dens[part]["spans"])
            todo.extend(chained.get(part, ()))
        dens[head]["spans"].sort()

    # attributes and old-style modifications
    rel_flags: dict[str, dict[str, Any]] = {}
    rel_ids = {rid for rid, *_ in plain}
    items = [(a, "attributes") for a in _items(layer, "attributes", ctx)]
    items += [(m, "modifications") for m in _items(layer, "modifications", ctx)]
    for a, kind in items:
        if kind == "attributes":
            subj, pred, value = _scalar(a.get("subj")), _scalar(a.get("pred")), a.get("obj", True)
        else:
            subj, pred, value = _scalar(a.get("obj")), _scalar(a.get("pred")), True
        aid = _scalar(a.get("id")) or "?"
        if not subj or not pred:
            raise ctx.error(f"{kind[:-1]} {aid} needs 'subj' and 'pred'")
        if subj in dens:
            lower = pred.lower()
            if lower in _ID_PREDS and isinstance(value, str | int):
                new = curies_for(str(value), dens[subj]["type"], NAME)
            elif known_prefix(lower) and isinstance(value, str | int):
                new = (f"{known_prefix(lower)}:{value}",)
            else:
                new = ()
            dens[subj]["concepts"].extend(c for c in new if c not in dens[subj]["concepts"])
        elif subj in rel_ids:
            rel_flags.setdefault(subj, {})[pred] = value
        else:
            raise ctx.error(f"{kind[:-1]} {aid}: {subj!r} names no denotation or relation")

    for did, d in dens.items():
        if d["fragment"]:
            continue
        spans = tuple(d["spans"])
        covered = " ".join(text[s.start : s.end] for s in spans)
        mentions.append(
            Mention(prefix + did, d["type"], spans, covered, tuple(d["concepts"]), ctx.line)
        )
    for rid, subj, pred, obj_ in plain:
        negated = False
        certainty = "Asserted"
        attributes: dict[str, str] = {}
        for key, value in rel_flags.get(rid, {}).items():
            lower = key.lower()
            if lower in _NEG_PREDS:
                negated = negated or _truthy(value)
            elif lower == "polarity":
                negated = negated or str(value).lower() in ("negative", "neg", "negated")
            elif lower in _HEDGE_PREDS:
                if _truthy(value):
                    certainty = "Hedged"
            elif lower == "certainty":
                if str(value).strip().lower() in _HEDGED_VALUES:
                    certainty = "Hedged"
            else:
                attributes[key] = value if isinstance(value, str) else str(value).lower()
        relations.append(
            Relation(
                prefix + rid,
                pred,
                prefix + subj,
                prefix + obj_,
                negated=negated,
                certainty=certainty,
                attributes=MappingProxyType(attributes),
                line=ctx.line,
            )
        )


register(
    NAME,
    read,
    suffixes=SUFFIXES,
    description="PubAnnotation JSON (one document, a list, or JSON Lines); a '.json' file that "
    "holds a BioC 'documents' or PubTator3 list is read as bioc-json",
)
