"""The statements behind claims, read from a store, and the claim summary recounted from them.

:mod:`kgraph.delta` recounts what an update touched with the build's own
:class:`~kgraph.summary.Summary`: :func:`_records` reads every statement of some claims (index
look-ups: the statements about each claim, then each statement's triples in one prefix scan),
:func:`_seed` starts a claim from its stored summary (a claim many documents make, which an
update only adds to), :func:`_claims_of` finds every qualified variant of some triples.

>>> from kgraph import load
>>> records = _records(load().store._reader(), [])
>>> records
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .claims import WeightBasis, _strength
from .errors import StoreError
from .summary import ClaimKey, Summary
from .vocab import GRAPH_DATA, KGO, PROV, RDF

G = ox.NamedNode(GRAPH_DATA)
_DERIVED, _CLAIM = ox.NamedNode(str(PROV.wasDerivedFrom)), ox.NamedNode(str(KGO.aboutClaim))
_SOURCE_TYPE = ox.NamedNode(str(KGO.sourceType))
_SPO = tuple(ox.NamedNode(str(t)) for t in (RDF.subject, RDF.predicate, RDF.object))
_C_SUBJECT, _C_PREDICATE, _C_OBJECT = (
    ox.NamedNode(str(t)) for t in (KGO.claimSubject, KGO.claimPredicate, KGO.claimObject)
)
_NEGATED, _CERTAINTY, _LEVEL, _PROPOSED = (
    ox.NamedNode(str(t)) for t in (KGO.negated, KGO.certainty, KGO.evidenceLevel, KGO.proposed)
)
_QUALIFIERS = tuple(
    ox.NamedNode(str(KGO[k]))
    for k in ("comparison", "comparator", "degree", "mediation", "mediator")
)
_REQUIRED = (*_SPO, _NEGATED, _CERTAINTY)
_SUP_DOCS, _DEN_DOCS = (
    ox.NamedNode(str(t)) for t in (KGO.supportingDocumentCount, KGO.denyingDocumentCount)
)
#: A claim's stored summary, as the fields of its tally (kgraph.summary): counts, documents, sets.
_SEED_COUNTS = {
    ox.NamedNode(str(KGO[k])): f
    for k, f in (
        ("supportingStatementCount", "supporting"),
        ("denyingStatementCount", "denying"),
        ("firmStatementCount", "firm"),
        ("researchStatementCount", "research"),
        ("hedgedSupportingStatementCount", "hedged"),
    )
}
_SEED_DOCS = {_SUP_DOCS: "supporting_docs", _DEN_DOCS: "denying_docs"}
_BASIS = ox.NamedNode(str(KGO.weightBasis))
#: A claim's stored examples, as the fields of its tally, with the count that says one is due.
_SEED_EXAMPLES = {
    ox.NamedNode(str(KGO.exampleStatement)): ("example", "supporting"),
    ox.NamedNode(str(KGO.exampleDenyingStatement)): ("example_denying", "denying"),
}
_SEED_SETS = {
    ox.NamedNode(str(KGO.supportingSourceType)): "source_types",
    ox.NamedNode(str(KGO.supportingEvidenceLevel)): "levels",
}


def _local(term: str | None) -> str | None:
    return None if term is None else term.rpartition("#")[2]


@dataclass(frozen=True, slots=True)
class _Record:
    """One statement counted in a claim, as the store holds it: what Summary.tally needs."""

    statement: str  # its IRI term
    doc: str
    source_type: str
    key: ClaimKey
    negated: bool
    certainty: str
    level: str | None
    proposed: bool


def _records(store: ox.Store, claims: Iterable[str]) -> list[_Record]:
    """Every statement counted in the ``claims`` of ``store`` (see :func:`_records_of`)."""
    return _records_of(
        store,
        (
            q.subject
            for c in claims
            for q in store.quads_for_pattern(None, _CLAIM, ox.NamedNode(c), G)
        ),
    )


def _records_of(store: ox.Store, statements: Iterable[ox.NamedNode]) -> list[_Record]:
    """The ``statements`` of ``store`` counted in a claim, with what :meth:`Summary.tally` needs:
    index look-ups only (each statement's own triples in one prefix scan, its document's source
    type), so the work is proportional to those statements."""
    out = []
    source_types: dict[ox.NamedNode, str | None] = {}
    for node in statements:
        props = {q.predicate: q.object for q in store.quads_for_pattern(node, None, None, G)}
        doc, claim = props.get(_DERIVED), props.get(_CLAIM)
        if doc is None or claim is None or any(props.get(k) is None for k in _REQUIRED):
            continue
        if doc not in source_types:
            st = next(store.quads_for_pattern(doc, _SOURCE_TYPE, None, G), None)
            source_types[doc] = None if st is None else st.object.value
        source_type = source_types[doc]
        if source_type is None:
            continue
        q = [props.get(k) for k in _QUALIFIERS]
        key = ClaimKey(
            *(props[k].value for k in _SPO),
            _local(q[0] and q[0].value),
            q[1] and q[1].value,
            _local(q[2] and q[2].value),
            _local(q[3] and q[3].value),
            q[4] and q[4].value,
        )
        if key.iri() != f"<{claim.value}>":  # the store and the summary must agree on identity
            raise StoreError(f"claim {claim.value} does not match its statement {node.value}")
        level, proposed = props.get(_LEVEL), props.get(_PROPOSED)
        out.append(
            _Record(
                f"<{node.value}>",
                f"<{doc.value}>",
                _local(source_type) or "AnnotatedCorpus",
                key,
                props[_NEGATED].value == "true",
                _local(props[_CERTAINTY].value) or "Asserted",
                _local(level and level.value),
                proposed is not None and proposed.value == "true",
            )
        )
    return out


def _by_claim(records: Iterable[_Record]) -> dict[str, list[_Record]]:
    out: dict[str, list[_Record]] = {}
    for r in records:
        out.setdefault(r.key.iri()[1:-1], []).append(r)
    return out


def _maybe_owned(store: ox.Store, claims: Iterable[str]) -> set[str]:
    """The ``claims`` that one document may own in ``store`` (at most one supporting and one
    denying document by its summary; or no summary): only their documents are read."""
    out = set()
    for c in claims:
        node = ox.NamedNode(c)
        counts = [
            next(store.quads_for_pattern(node, p, None, G), None) for p in (_SUP_DOCS, _DEN_DOCS)
        ]
        if all(q is None or int(q.object.value) <= 1 for q in counts):
            out.add(c)
    return out


def _seed(summary: Summary, store: ox.Store, claim: str, key: ClaimKey) -> bool:
    """Start ``summary``'s tally of ``claim`` from its summary in ``store`` (a claim no document
    owns, with more documents than the update adds to it): the counts as stored, the documents
    as placeholders (only how many matters), the source types and levels and the weight's basis
    as stored, the examples with the rank their statements have (:func:`_records_of`), so the
    statements added after compete with them as in a build. ``False`` (and nothing counted)
    when the stored summary lacks some of it (a store built by an older kgraph): read the
    claim's statements instead.

    >>> from kgraph import load
    >>> store = load().store._reader()
    >>> claim = next(store.quads_for_pattern(None, _C_SUBJECT, None, G)).subject.value
    >>> s = Summary()
    >>> seeded = _seed(s, store, claim, _records(store, [claim])[0].key)
    >>> t = next(iter(s.claims.values()))
    >>> seeded, t.example is not None or t.supporting == 0
    (True, True)
    """
    quads = list(store.quads_for_pattern(ox.NamedNode(claim), None, None, G))
    stored = {q.predicate: q.object.value for q in quads}
    counts = {_SEED_COUNTS[p]: int(v) for p, v in stored.items() if p in _SEED_COUNTS}
    examples: dict[str, _Record] = {}
    for p, (name, count) in _SEED_EXAMPLES.items():
        if counts.get(count):
            found = _records_of(store, [ox.NamedNode(stored[p])]) if p in stored else []
            if not found:
                return False
            examples[name] = found[0]
    if len(counts) < len(_SEED_COUNTS) or _BASIS not in stored:
        return False
    summary.claim_iri(key)
    t = summary.claims[key]
    for name, r in examples.items():
        rank = _strength(r.source_type, r.level, r.certainty)[0]
        setattr(t, name, (rank, r.statement))
    for q in quads:
        p, v = q.predicate, q.object.value
        if p in _SEED_COUNTS:
            setattr(t, _SEED_COUNTS[p], int(v))
        elif p in _SEED_DOCS:
            getattr(t, _SEED_DOCS[p]).update(
                f"<urn:kgraph:stored:{p.value}:{i}>" for i in range(int(v))
            )
        elif p in _SEED_SETS:
            getattr(t, _SEED_SETS[p]).add(_local(v))
        elif p == _BASIS:
            t.weight.seed(WeightBasis.parse(v))
    return True


def _summary(records: Iterable[_Record], s: Summary | None = None) -> Summary:
    """The build's summary of ``records`` (the same calls :class:`kgraph.build.Builder` makes),
    counted into ``s`` when given."""
    s = Summary() if s is None else s
    for r in records:
        s.tally(r.doc, r.source_type, r.key, negated=r.negated, certainty=r.certainty,
                level=r.level, statement=r.statement)  # fmt: skip
    return s


def _claims_of(store: ox.Store, triples: set[tuple[str, str, str]]) -> set[str]:
    """Every claim (any qualified variant) of the ``triples`` in ``store``: the claims of each
    subject and of each object (one index look-up per entity), intersected, then the predicate."""
    by: dict[tuple[ox.NamedNode, str], set[ox.NamedNode]] = {}

    def claims(link: ox.NamedNode, entity: str) -> set[ox.NamedNode]:
        found = by.get((link, entity))
        if found is None:
            node = ox.NamedNode(entity)
            found = by[link, entity] = {
                q.subject for q in store.quads_for_pattern(None, link, node, G)
            }
        return found

    out: set[str] = set()
    for s, p, o in sorted(triples):
        predicate = ox.NamedNode(p)
        for c in claims(_C_SUBJECT, s) & claims(_C_OBJECT, o):
            if next(store.quads_for_pattern(c, _C_PREDICATE, predicate, G), None) is not None:
                out.add(c.value)
    return out
