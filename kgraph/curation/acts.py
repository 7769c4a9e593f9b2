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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .. import formats
from ..errors import KGraphError
from ..grounding import Lexicon
from ..model import Document, Relation, Span
from ..query import resolve
from ..vocab import compress
from .log import ACTS, LOG, Act, append, now, read_log
from .replay import _Doc

__all__ = ["Found", "curate", "find", "make_act", "resolve_name"]


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
    elif "://" in name:
        iri = name
    else:
        lexicon = lexicon or Lexicon.load()
        iri = lexicon.entity_for_label(name) or (
            lexicon.entity_for_curie(name) if ":" in name else None
        )
        if iri is None:
            raise KGraphError(f"no entity is called {name!r} (give a CURIE, or --store to resolve)")
    return compress(iri) or iri


def _documents(corpus: Path) -> Iterable[Document]:
    return formats.read(corpus)


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
    kgraph.errors.KGraphError: act must be one of accept, reject, correct, add, not 'like'
    """
    if act not in ACTS:
        raise KGraphError(f"act must be one of {', '.join(ACTS)}, not {act!r}")
    lexicon = lexicon or Lexicon.load()
    if sentence is not None and not isinstance(sentence, Span):
        sentence = Span(*sentence)  # [start, end] as the log and the queue give it
    subject = resolve_name(subject, store=store, lexicon=lexicon)
    object = resolve_name(object, store=store, lexicon=lexicon)
    predicate = predicate.removeprefix("kgo:")
    if act == "add":
        if quote is None and sentence is not None:
            doc = next(
                (d for d in _documents(Path(corpus)) if document in (d.id, d.metadata.get("pmid"))),
                None,
            )
            if doc is None:
                raise KGraphError(f"no document {document!r} in {corpus}")
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
