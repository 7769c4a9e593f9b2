"""Add and remove documents without a rebuild, with the result a full build would give.

An update works on a copy of the current generation (a RocksDB checkpoint: hard links to the
immutable files, so copying a 100,000-abstract store takes milliseconds), under the store's writer
lock, and is committed by the same atomic link swap as a build (:mod:`kgraph.store.oxigraph`): a
reader, a crash or ``kill -9`` sees the old graph or the new one, never a mix. Serialised with
builds and the server's updates by the same lock.

What an update changes, and how it is recomputed from the same code a build runs:

1. a removed (or replaced) document loses what it alone owns: its node, its statements with their
   evidence, its ``kgo:mentionedIn`` links; an entity outside the lexicon no document mentions any
   more loses its declaration;
2. an added document's lines come from :class:`kgraph.build.Builder` (entities the store already
   declares are not declared again: the first document to mention one names it, as in a build);
3. every claim of a subject–predicate–object an update touched, in every qualified variant, is
   recounted from *all* its statements left in the store with :class:`kgraph.summary.Summary` (the
   build's summary), and its direct triple kept when one of them gives it
   (:func:`kgraph.summary.direct_triple`); an added document's counts come from the same summary;
4. a document's ``kgo:uniqueClaimCount`` (claims no other document makes) is a sum over its claims:
   other documents' counts move by what the recounted claims give them before and after;
5. the statement-count bins (how many documents make N statements) move by the counts of the
   documents removed and added.

A claim many documents make, which an update only adds to, is not re-read: it grows from its stored
summary (counts, weight basis, and its examples with the rank of their statements), so its example
is the one a rebuild picks.

Adding a document whose IRI is already in the store replaces it (an updated file).

>>> from kgraph.store import open_store
>>> from kgraph.vocab import corpus_dir
>>> empty = open_store("memory:")
>>> empty.replace([])
>>> print(add_documents(empty, [corpus_dir()]).diff.summary().splitlines()[0])
documents: +4 added, -0 removed, ~0 changed
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from . import formats
from .annotate.imported import add_levels_and_certainty
from .build import Builder
from .curation import Curation
from .curation.entities import minted
from .delta import _ID, _TYPE, G, UpdateReport, _parse, apply
from .errors import FormatError, KGraphError, StoreError
from .grounding import Lexicon
from .model import Document
from .store.oxigraph import OxigraphStore
from .vocab import KGD

__all__ = ["UpdateReport", "add_documents", "remove_documents", "resolve_documents"]


def resolve_documents(store: ox.Store, names: Iterable[str]) -> list[str]:
    """The IRIs of the documents ``names``: an IRI, an identifier (``PMID:123``, a document id),
    a bare PubMed id, or the id in ``kgd:``; an unknown name is an error naming it.

    >>> from kgraph import load
    >>> resolve_documents(load().store._reader(), ["state-of-ketamine-research-2025"])
    ['https://w3id.org/kgraph/document/state-of-ketamine-research-2025']
    """
    out = []
    for name in names:
        candidates = [name] if name.startswith(("http://", "https://")) else []
        candidates += [f"{KGD}{quote(name, safe='')}", f"{KGD}pubmed/{quote(name, safe='')}"]
        for ident in (name, f"PMID:{name}"):
            for q in store.quads_for_pattern(None, _ID, ox.Literal(ident), G):
                candidates.insert(0, q.subject.value)
        found = [
            c
            for c in candidates
            if next(store.quads_for_pattern(ox.NamedNode(c), _TYPE, None, G), None)
        ]
        if not found:
            raise KGraphError(
                f"no document {name!r} in the store (try `kgraph query` on kgo:Document)"
            )
        out.append(found[0])
    return out


def _update(
    store, remove_names: Sequence[str], documents, builder: Builder, extra: Sequence[str] = ()
) -> UpdateReport:
    """Run :func:`kgraph.delta.apply` on a copy of ``store``'s current generation, add the
    N-Quads ``extra`` (reviewed lexicon entries, :mod:`kgraph.curation`) and commit it."""
    if not isinstance(store, OxigraphStore):
        raise StoreError(f"{store.url}: add and remove work on kgraph's own stores (oxigraph:PATH)")
    if store.read_only:
        raise StoreError(f"{store.url} is open read-only")
    if store.path is None:  # in memory: copy, change, swap
        old = store._reader()
        new = ox.Store()
        new.bulk_extend(old.quads_for_pattern(None, None, None, None))
        report = apply(old, new, set(resolve_documents(old, remove_names)), documents, builder)
        new.extend(_parse(extra))
        store._store = new
        return report
    with store.writing(wait=60.0):
        cur = store.current()
        if cur is None:
            raise StoreError(f"no graph at {store.path}: run `kgraph build` first")
        old = ox.Store.read_only(str(cur))
        remove = set(resolve_documents(old, remove_names))
        with store.generation() as gen:
            old.backup(str(gen))
            new = ox.Store(str(gen))
            report = apply(old, new, remove, documents, builder)
            new.extend(_parse(extra))
            new.flush()
            del new
    store.close()  # readers of this object reopen the new generation
    return report


def _documents(sources, format, on_issue, curation: Curation) -> Iterator[Document]:
    # as kgraph.build.build_store reads them (imported corpora get levels and hedging cues; a
    # corpus folder's curation log is replayed)
    for source in sources:
        docs = map(add_levels_and_certainty, formats.read(source, format, on_issue=on_issue))
        yield from curation.documents(source, docs)


def _builder(store, lenient, mappings, ontology, include_proposed) -> Builder:
    lexicon = Lexicon.load(ontology, mappings=mappings)
    return Builder(lexicon, lenient=lenient, include_proposed=include_proposed)


def add_documents(
    store,
    sources: Sequence[str | Path],
    *,
    format: str | None = None,
    lenient: bool = False,
    mappings=(),
    ontology: Path | None = None,
    include_proposed: bool = False,
) -> UpdateReport:
    """Add the documents of ``sources`` (files or folders, as :func:`kgraph.build.build_store`
    reads them) to ``store``; a document already there is replaced. Gives what a build of the old
    inputs and ``sources`` gives. A :class:`~kgraph.errors.FormatError` leaves the store as it was.

    >>> from kgraph.build import build_store
    >>> from kgraph.store import open_store
    >>> from kgraph.vocab import corpus_dir
    >>> store = open_store("memory:")
    >>> _ = build_store(store, [corpus_dir()])
    >>> report = add_documents(store, [corpus_dir()])  # the same four again: replaced, no change
    >>> len(report.added), report.diff.empty
    (4, True)
    """
    builder = _builder(store, lenient, mappings, ontology, include_proposed)
    on_issue = (lambda e: builder.report.warn("recoverable input problem", e)) if lenient else None
    builder.curation = Curation.for_sources(sources, builder.lexicon)  # as build_store replays it
    builder.lexicon = builder.curation.lexicon  # and grounds with its reviewed lexicon entries
    docs = list(_documents(sources, format, on_issue, builder.curation))
    report = _update(store, (), docs, builder, builder.curation.entity_lines())
    _stale_entities(store, builder)
    return report


def _stale_entities(store, builder: Builder) -> None:
    """A reviewed lexicon entry re-grounds every document on a build, an update only the
    documents it adds: warn when others in the store still name the entity the text named."""
    reader = store._reader()
    for a in builder.curation.entries if builder.curation else ():
        if next(reader.quads_for_pattern(ox.NamedNode(minted(a.subject)), None, None, G), None):
            message = (f"documents already in the store still name {a.subject}, which the reviewed "
                       f"lexicon entry {a.set['entity']} replaces; `kgraph build` re-grounds them")  # fmt: skip
            error = FormatError(message, path=a.path, line=a.line)
            builder.report.warn("reviewed lexicon entry needs a full build", error)


def remove_documents(store, names: Sequence[str], *, ontology: Path | None = None) -> UpdateReport:
    """Remove the documents ``names`` (see :func:`resolve_documents`) from ``store``.

    >>> from kgraph.build import build_store
    >>> from kgraph.store import open_store
    >>> from kgraph.vocab import corpus_dir
    >>> store = open_store("memory:")
    >>> _ = build_store(store, [corpus_dir()])
    >>> report = remove_documents(store, ["northwestern-ketamine-neurogenesis"])
    >>> report.removed, report.diff.counts()["documents"]["removed"]
    (['https://w3id.org/kgraph/document/northwestern-ketamine-neurogenesis'], 1)
    """
    return _update(store, names, [], Builder(Lexicon.load(ontology)))
