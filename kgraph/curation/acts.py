"""Making acts: find the statement a curator means, complete its key, append it to the log.

The one place the CLI, the notebook and the server go through, so that the same act gives the same
log line whichever way it was made.

>>> import shutil, tempfile, pathlib
>>> from kgraph.vocab import corpus_dir
>>> corpus = pathlib.Path(tempfile.mkdtemp()) / "c"
>>> _ = shutil.copytree(corpus_dir(), corpus)
>>> [found] = find(corpus, "northwestern-ketamine-neurogenesis", "kg:ketamine", "treats",
...     "kg:depression", sentence=Span(0, 72))
>>> act, line = curate(corpus, "reject", document="northwestern-ketamine-neurogenesis",
...     subject="kg:ketamine", predicate="treats", object="kg:depression", curator="ann",
...     reason="a test", time="2026-01-01T00:00:00Z", quote=found.quote)
>>> line, act.sentence == found.sentence
(1, True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .. import formats
from ..errors import KGraphError
from ..grounding import Lexicon, ground_mention
from ..model import Document, Mention, Relation, Span
from ..query import resolve
from ..vocab import compress, expand
from .entities import entries, grow, minted
from .log import ACTS, ADD_ONLY, LOG, SETTABLE, Act, append, now, read_log
from .replay import _Doc

__all__ = ["Found", "curate", "entity_name", "find", "make_act", "resolve_name"]


@dataclass(frozen=True)
class Found:
    """A statement of the corpus an act can name.

    >>> Found(Document("d", "x"), Relation("R1", "treats", "T1", "T2"), None, None).quote is None
    True
    """

    document: Document
    relation: Relation
    sentence: Span | None
    quote: str | None


def resolve_name(name: str, *, store=None, lexicon: Lexicon | None = None) -> str:
    """The CURIE (or IRI) of the entity ``name`` names: through the graph's one resolver
    (:func:`kgraph.query.resolve`) when a store is given, else a CURIE or a lexicon label.

    >>> resolve_name("ketamine")
    'kg:ketamine'
    """
    if store is not None:
        iri = resolve(store, name)
    elif "://" in name or name.startswith(_MINTED):  # an entity the text named (kg:text/…)
        iri = name
    else:
        lexicon = lexicon or Lexicon.load()
        iri = lexicon.entity_for_label(name) or (
            lexicon.entity_for_curie(name) if ":" in name else None
        )
        if iri is None:
            raise KGraphError(f"no entity is called {name!r} (give a CURIE, or --store to resolve)")
    return compress(iri) or iri


_MINTED = "kg:text/"


def _documents(corpus: Path) -> Iterable[Document]:
    return formats.read(corpus)


def _document(corpus: Path, document: str) -> Document:
    doc = next((d for d in _documents(corpus) if document in (d.id, d.metadata.get("pmid"))), None)
    if doc is None:
        raise KGraphError(f"no document {document!r} in {corpus}")
    return doc


def entity_name(label: str) -> str:
    """The lexicon name a new entity gets by default: its label in lower snake_case ASCII
    (ontology/README.md).

    >>> entity_name("Zorbamine hydrochloride (oral)")
    'kg:zorbamine_hydrochloride_oral'
    """
    return "kg:" + "_".join(re.findall(r"[a-z0-9]+", label.lower()))


def _entity_act(corpus: Path, document: str, subject: str, cls: str, changes: Mapping[str, object],
                lexicon: Lexicon) -> tuple[str, str, dict[str, object]]:  # fmt: skip
    """The subject, object and set of an ``add-entity`` act, checked against the corpus and the
    lexicon: ``subject`` is the proposed entity (``kg:text/…`` or its words in the document)."""
    local = cls.removeprefix("kgo:")
    if local not in lexicon.classes:
        raise KGraphError(f"no class {cls!r} in the ontology (e.g. Compound, Receptor, Condition)")
    doc = _document(corpus, document)
    if "://" in subject:
        subject = compress(subject) or subject
    grounded = {e for ends in _Doc(doc, lexicon).ground.values() for e in ends}
    if not subject.startswith(_MINTED):
        if ":" in subject and lexicon.entity_for_curie(subject) is not None:
            raise KGraphError(f"{subject} is already an entity of the lexicon, not a proposed one")
        # the words in the document: the entity they name
        subject = compress(ground_mention(lexicon, doc, _probe(subject, local)).entities[0]) or ""
        if not subject.startswith(_MINTED):
            raise KGraphError(f"{subject} is already an entity of the lexicon, not a proposed one")
    if minted(subject) not in grounded:
        raise KGraphError(f"no mention of document {document!r} grounds to {subject} (of {corpus})")
    label = str(changes.get("label") or "").strip()
    if not label:
        raise KGraphError("a new entity needs a label")
    entity = str(changes.get("entity") or entity_name(label))
    if lexicon.entity_for_curie(entity) is not None:
        raise KGraphError(f"{entity} is already in the lexicon")
    out: dict[str, object] = {"entity": entity, "label": label}
    for k in ("synonyms", "identifiers"):
        values = [str(v).strip() for v in changes.get(k) or () if str(v).strip()]
        if values:
            out[k] = list(dict.fromkeys(values))
    for curie in out.get("identifiers", ()):  # type: ignore[union-attr]
        try:
            expand(str(curie))
        except ValueError:
            raise KGraphError(f"identifier {curie!r} is not a CURIE of a known registry") from None
    return subject, f"kgo:{local}", out


def _probe(text: str, cls: str) -> Mention:
    return Mention("T0", cls, (Span(0, len(text)),), text)


def find(
    corpus: str | Path,
    document: str,
    subject: str,
    predicate: str,
    object: str,
    *,
    quote: str | None = None,
    sentence: Span | None = None,
    lexicon: Lexicon | None = None,
) -> list[Found]:
    """The statements of ``document`` in ``corpus`` an act with this key would match.

    >>> from kgraph.vocab import corpus_dir
    >>> find(corpus_dir(), "no-such-document", "kg:ketamine", "treats", "kg:depression")
    []
    """
    lexicon = lexicon or Lexicon.load()
    probe = Act("accept", document, subject, predicate, object, sentence, quote, curator="?")
    out = []
    for doc in _documents(Path(corpus)):
        if document not in (doc.id, doc.metadata.get("pmid")):
            continue
        index = _Doc(doc, lexicon)
        for r in index.matches(probe):
            span = doc.sentence_span(r)
            out.append(Found(doc, r, span, index.quote(r)))
    return out


def make_act(
    corpus: str | Path,
    act: str,
    *,
    document: str,
    subject: str,
    predicate: str,
    object: str,
    curator: str,
    reason: str = "",
    tags: Iterable[str] = (),
    quote: str | None = None,
    sentence: Span | None = None,
    changes: Mapping[str, object] | None = None,
    time: str | None = None,
    store=None,
    lexicon: Lexicon | None = None,
) -> Act:
    """An act with its key completed from the corpus (sentence and quote of the one statement
    meant); a :class:`~kgraph.errors.KGraphError` says why when there is none or more than one.

    >>> make_act(".", "like", document="d", subject="kg:a", predicate="treats", object="kg:b",
    ...          curator="ann")
    Traceback (most recent call last):
    ...
    kgraph.errors.KGraphError: act must be one of accept, reject, correct, add, add-entity, not 'like'
    """
    if act not in ACTS:
        raise KGraphError(f"act must be one of {', '.join(ACTS)}, not {act!r}")
    lexicon = lexicon or Lexicon.load()
    if act == "add-entity":
        subject, object, changes = _entity_act(
            Path(corpus), document, subject, object, changes or {}, lexicon
        )
        a = Act(act, document, subject, "rdf:type", object, None, None,
                MappingProxyType(changes), curator, time or now(), reason, tuple(tags))  # fmt: skip
        return Act.from_json(a.to_json())
    log = Path(corpus) / LOG
    if log.exists():  # the corpus's reviewed lexicon entries name entities too
        lexicon = grow(lexicon, entries(read_log(log)))
    if sentence is not None and not isinstance(sentence, Span):
        sentence = Span(*sentence)  # [start, end] as the log and the queue give it
    # the log's order of the fields a correction sets, whichever order they came in
    changes = {k: changes[k] for k in (*SETTABLE, *ADD_ONLY) if changes and k in changes} | dict(
        changes or {}
    )
    subject = resolve_name(subject, store=store, lexicon=lexicon)
    object = resolve_name(object, store=store, lexicon=lexicon)
    predicate = predicate.removeprefix("kgo:")
    if act == "add":
        if quote is None and sentence is not None:
            doc = _document(Path(corpus), document)
            quote = doc.text[sentence.start : sentence.end]
    else:
        found = find(
            corpus,
            document,
            subject,
            predicate,
            object,
            quote=quote,
            sentence=sentence,
            lexicon=lexicon,
        )
        if not found:
            raise KGraphError(
                f"no statement {subject} {predicate} {object} in document {document!r} of {corpus}"
                + (f" in the sentence {quote[:60]!r}" if quote else "")
            )
        places = {(f.sentence, f.quote) for f in found}
        if len(places) > 1:
            listing = "; ".join(
                f"{s.start}:{s.end} {q[:50]!r}" for s, q in sorted(places, key=str) if s and q
            )
            raise KGraphError(
                f"{len(places)} sentences make {subject} {predicate} {object}: name one with "
                f"--sentence START:END or --quote ({listing})"
            )
        sentence, quote = next(iter(places))
    a = Act(
        act,
        document,
        subject,
        predicate,
        object,
        sentence,
        quote,
        MappingProxyType(dict(changes or {})),
        curator,
        time or now(),
        reason,
        tuple(tags),
    )
    return Act.from_json(a.to_json())  # the same checks as reading the log


def curate(corpus: str | Path, act: str, **fields) -> tuple[Act, int]:
    """Make an act (:func:`make_act`) and append it to ``corpus``'s log; the act and its line.

    Nothing is written when the act names no statement:

    >>> from kgraph.vocab import corpus_dir
    >>> curate(corpus_dir(), "accept", document="nope", subject="kg:ketamine", predicate="treats",
    ...        object="kg:depression", curator="ann")
    Traceback (most recent call last):
    ...
    kgraph.errors.KGraphError: no statement kg:ketamine treats kg:depression in document 'nope' of ...
    """
    a = make_act(corpus, act, **fields)
    log = Path(corpus) / LOG
    if log.exists():
        read_log(log)  # never append to a log that does not read
    return a, append(log, a)
