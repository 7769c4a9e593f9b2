"""What :mod:`kgraph.diff` reads from a store: digests computed inside the store, and the
details of the documents, statements and claims whose digests differ.

Whole stores are compared by digest (``kgraph/queries/_diff-*-digests.rq``: one grouped query per
kind, a row per document or claim, the work done inside the store); what differs, and what an
update touched, is read by index look-ups (:func:`_pairs`) or by SPARQL with ``VALUES`` over the
IRIs. Any :class:`kgraph.store.Store` works; kgraph's own stores are read through pyoxigraph.

>>> from kgraph import load
>>> sorted(_digests(load().store).documents)[0]
'https://w3id.org/kgraph/document/clinic-ketamine-trd-new-hope'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .query import BATCH, bind, internal
from .store.oxigraph import OxigraphStore
from .vocab import DCTERMS, KGO, PROV, RDF, shorten

__all__ = ["select"]

_TYPE, _DERIVED = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(PROV.wasDerivedFrom))
_IDENTIFIER, _TITLE = ox.NamedNode(str(DCTERMS.identifier)), ox.NamedNode(str(DCTERMS.title))
#: The summary counts of a claim (CLAIM_FIELDS) and the predicates that hold them.
_CLAIM_COUNTS = {
    name: ox.NamedNode(str(KGO[local]))
    for name, local in (
        ("supporting", "supportingStatementCount"),
        ("denying", "denyingStatementCount"),
        ("supportingDocuments", "supportingDocumentCount"),
        ("denyingDocuments", "denyingDocumentCount"),
        ("firm", "firmStatementCount"),
        ("research", "researchStatementCount"),
    )
}
_CLAIM_VALUES = {
    "sourceTypes": ox.NamedNode(str(KGO.supportingSourceType)),
    "levels": ox.NamedNode(str(KGO.supportingEvidenceLevel)),
    "weight": ox.NamedNode(str(KGO.evidenceWeight)),  # one value: the stored evidence weight
}


def _value(term: object) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith("#integer"):
            return int(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value  # type: ignore[attr-defined]


def select(store, name: str, **params: Sequence[ox.NamedNode] | None) -> Iterator[dict]:
    """Rows of the internal query ``_NAME.rq`` over ``store`` (a kgraph store or a pyoxigraph
    ``Store``) as dicts of Python values; a long list of IRIs bound to one parameter is looked up
    :data:`kgraph.query.BATCH` at a time.

    >>> from kgraph import load
    >>> rows = list(select(load().store, "diff-claim-keys"))
    >>> sorted(rows[0])
    ['claim', 'object', 'predicate', 'subject']
    """
    sparql = internal(name)
    batched = [k for k, v in params.items() if v is not None and len(v) > BATCH]
    if len(batched) > 1:
        raise ValueError(f"only one parameter may be batched, not {batched}")
    if batched:
        key = batched[0]
        values = list(params[key] or ())
        for i in range(0, len(values), BATCH):
            yield from select(store, name, **{**params, key: values[i : i + BATCH]})
        return
    sparql = bind(sparql, {k: v for k, v in params.items() if v is not None})
    if isinstance(store, OxigraphStore):  # read the solutions as they stream (a whole store's)
        store = store._reader()
    if isinstance(store, ox.Store):
        result = store.query(sparql, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        for sol in result:
            yield {n: _value(sol[n]) for n in names}
        return
    result = store.query(sparql)
    for row in result.rows:
        yield {n: _value(t) for n, t in zip(result.variables, row, strict=True)}


def _nodes(iris: Iterable[str] | None) -> list[ox.NamedNode] | None:
    return None if iris is None else [ox.NamedNode(i) for i in sorted(iris)]


def _oxigraph(store) -> ox.Store | None:
    """The pyoxigraph ``Store`` under ``store`` (``None``: another backend, read by SPARQL)."""
    if isinstance(store, OxigraphStore):
        return store._reader()
    return store if isinstance(store, ox.Store) else None


def _pairs(
    store,
    predicate: ox.NamedNode,
    *,
    subjects: Iterable[str] | None = None,
    objects: Iterable[str] | None = None,
) -> Iterator[tuple[str, Any]]:
    """``(subject IRI, object value)`` of every triple of ``predicate`` in ``store`` (only those
    of ``subjects``, or only those with one of ``objects``): one scan of the predicate's index, or
    one look-up per IRI given, streamed — no join, no solution table.

    >>> from kgraph import load
    >>> sorted(_pairs(load().store, _TYPE, objects=[str(KGO.Document)]))[0][0]
    'https://w3id.org/kgraph/document/clinic-ketamine-trd-new-hope'
    """
    oxs = _oxigraph(store)
    if oxs is None:  # another backend: the same pairs through SPARQL
        rows = select(store, "diff-pairs", p=[predicate], s=_nodes(subjects), o=_nodes(objects))
        yield from ((r["s"], r["o"]) for r in rows)
        return
    if subjects is not None:
        for s in subjects:
            for q in oxs.quads_for_pattern(ox.NamedNode(s), predicate, None, None):
                yield s, _value(q.object)
    elif objects is not None:
        for o in objects:
            for q in oxs.quads_for_pattern(None, predicate, ox.NamedNode(o), None):
                yield q.subject.value, o
    else:
        for q in oxs.quads_for_pattern(None, predicate, None, None):
            yield q.subject.value, _value(q.object)


def _documents(store, only: Iterable[str]) -> dict[str, dict]:
    """``{document IRI: {"identifier", "title"}}`` of the documents ``only`` in ``store``; of two
    titles or identifiers (a document read from two sources), the first in code-point order."""
    docs = {s for s, o in _pairs(store, _TYPE, subjects=sorted(only)) if o == str(KGO.Document)}
    out: dict[str, dict] = {d: {"identifier": None, "title": None} for d in docs}
    for key, p in (("identifier", _IDENTIFIER), ("title", _TITLE)):
        for d, v in _pairs(store, p, subjects=sorted(docs)):
            r = out[d]
            if r[key] is None or v < r[key]:
                r[key] = v
    return out


def _statement_sums(store, only: Iterable[str]) -> dict[str, tuple[int, int]]:
    """``{document IRI: (how many statements, a digest of their IRIs)}`` of the documents ``only``
    in ``store``: the digest is the sum of the IRIs' hashes, so two documents with the same
    statements (IRIs are hashes of content) have the same digest in whatever order they come.
    Hashes are of this process: compare digests within one run only."""
    count: Counter = Counter()
    digest: Counter = Counter()
    for s, d in _pairs(store, _DERIVED, objects=sorted(only)):
        count[d] += 1
        digest[d] += hash(s)
    return {d: (n, digest[d]) for d, n in count.items()}


@dataclass
class _Digests:
    """A store's digests: per document (identifier and title; statements: count and digest) and
    per claim (its summary), as the ``_diff-*-digests`` queries compute them inside the store."""

    documents: dict[str, str]
    statements: dict[str, tuple[int, str]]
    claims: dict[str, str]


def _digests(store) -> _Digests:
    """The :class:`_Digests` of ``store``: three grouped queries, a row per document or claim."""
    return _Digests(
        {r["document"]: r["digest"] for r in select(store, "diff-documents")},
        {r["document"]: (r["count"], r["digest"]) for r in select(store, "diff-statement-digests")},
        {r["claim"]: r["digest"] for r in select(store, "diff-claim-digests")},
    )


def _statement_iris(store, documents: Iterable[str]) -> dict[str, str]:
    """``{statement IRI: document IRI}`` of the ``documents`` in ``store``."""
    return dict(_pairs(store, _DERIVED, objects=sorted(documents)))


def _statement_details(store, iris: Iterable[str]) -> dict[str, dict]:
    """What each statement of ``iris`` says (see ``_diff-statements.rq``); values as Python."""
    out: dict[str, dict] = {}
    for r in select(store, "diff-statements", statement=_nodes(iris)):
        r["kind"] = shorten(r["kind"])
        for k in ("certainty", "level", "comparison", "degree", "mediation"):
            if r[k] is not None:
                r[k] = r[k].rpartition("#")[2]
        r["start"] = None
        out[r.pop("statement")] = r
    for r in select(store, "diff-statement-starts", statement=_nodes(out)):
        out[r["statement"]]["start"] = r["start"]
    return out


def _claims(store, only: Iterable[str] | None = None) -> dict[str, dict]:
    """``{claim IRI: summary counts, source types, levels}`` of ``store`` (only the IRIs
    ``only``): one scan per summary predicate (or one look-up per claim), merged by claim IRI; a
    claim is one with every count."""
    subjects = None if only is None else sorted(only)
    out: dict[str, dict] = {}
    for name, p in _CLAIM_COUNTS.items():
        for c, v in _pairs(store, p, subjects=subjects):
            out.setdefault(c, {})[name] = v
    out = {c: r for c, r in out.items() if len(r) == len(_CLAIM_COUNTS)}
    for name, p in _CLAIM_VALUES.items():
        values: dict[str, list[str]] = {}
        for c, v in _pairs(store, p, subjects=subjects):
            if c in out:
                values.setdefault(c, []).append(v.rpartition("#")[2])
        for c, r in out.items():
            r[name] = " ".join(sorted(values.get(c, ())))
    return out


def _with_keys(store, claims: dict[str, dict]) -> dict[str, dict]:
    """``claims`` with the subject, predicate and object of each (for added and removed ones)."""
    for r in select(store, "diff-claim-keys", claim=_nodes(claims)):
        claims[r.pop("claim")].update(r)
    return claims
