"""The change an update makes to a copy of the store, recomputed with the build's own code.

:func:`apply` is step 1–4 of :mod:`kgraph.incremental`: it removes what removed documents own,
inserts the :class:`~kgraph.build.Builder`'s lines for added ones, recounts every claim of the
subject–predicate–object triples touched with :class:`~kgraph.summary.Summary`, keeps a direct
triple when :func:`kgraph.claims.direct_triple` says a statement left gives it, moves other
documents' unique-claim counts by what the recounted claims give them before and after, and the
statement-count bins by the documents removed and added.

>>> UpdateReport().inserted
0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from .build import Builder, BuildReport
from .claims import direct_triple
from .diff import Diff, diff
from .emission import document_iri
from .errors import StoreError
from .model import Document
from .recount import (
    _CLAIM,
    _DERIVED,
    _SOURCE_TYPE,
    _SPO,
    G,
    _by_claim,
    _claims_of,
    _maybe_owned,
    _records,
    _records_of,
    _seed,
    _summary,
)
from .summary import all_bin_lines
from .vocab import DCTERMS, KGO, OA, PROV, RDF, RDFS

__all__ = ["G", "UpdateReport", "apply"]

_TYPE, _LABEL, _ID = (ox.NamedNode(str(t)) for t in (RDF.type, RDFS.label, DCTERMS.identifier))
#: Links from a statement to the nodes it owns: evidence, its target, the target's selectors.
_OWNED = tuple(
    ox.NamedNode(str(t)) for t in (KGO.evidence, OA.hasTarget, OA.hasSelector, OA.hasBody)
)
_DECLARATION = (_TYPE, _LABEL, _ID)
_MENTIONED, _QUESTION = ox.NamedNode(str(KGO.mentionedIn)), ox.NamedNode(str(KGO.ResearchQuestion))
_UNIQUE = ox.NamedNode(str(KGO.uniqueClaimCount))
_TARGET = ox.NamedNode(str(OA.hasTarget))  # what kgraph.emission.entity_lines writes
#: Links to nodes statements share (a proposal's software agent and rules, a review's curator).
_SHARED = tuple(ox.NamedNode(str(t)) for t in (PROV.wasAttributedTo, PROV.wasInfluencedBy))
_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_STATEMENTS = ox.NamedNode(str(KGO.statementCount))
_BIN_STATEMENTS, _BIN_DOCUMENTS = (
    ox.NamedNode(str(t)) for t in (KGO.binStatementCount, KGO.documentCount)
)


@dataclass
class UpdateReport:
    """What an update did: document IRIs added and removed, the builder's report for the added
    documents, the :class:`~kgraph.diff.Diff` of the change, and quads written and deleted.

    >>> UpdateReport().diff.empty
    True
    """

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    build: BuildReport = field(default_factory=BuildReport)
    diff: Diff = field(default_factory=Diff)
    inserted: int = 0
    deleted: int = 0


def _owned_quads(store: ox.Store, doc: ox.NamedNode) -> list[ox.Quad]:
    """Every quad document ``doc`` alone owns (see the module docstring, step 1)."""
    out = list(store.quads_for_pattern(doc, None, None, G))
    for link in store.quads_for_pattern(None, _DERIVED, doc, G):
        nodes = [link.subject]
        # a curator's review acts target the assertion (kgraph.curation.rdf.act_lines)
        nodes += [q.subject for q in store.quads_for_pattern(None, _TARGET, link.subject, G)]
        seen: set[ox.NamedNode] = set()
        while nodes:
            node = nodes.pop()
            if node in seen:  # an evidence node's body is its assertion again
                continue
            seen.add(node)
            for q in store.quads_for_pattern(node, None, None, G):
                out.append(q)
                if q.predicate in _OWNED and isinstance(q.object, ox.NamedNode):
                    nodes.append(q.object)
    out += store.quads_for_pattern(None, _MENTIONED, doc, G)
    return out


def _statements(quads: Iterable[ox.Quad]) -> tuple[set[tuple[str, str, str]], set[str]]:
    """The subject–predicate–object triples of the statements among ``quads``, and their claims."""
    parts: dict[ox.NamedNode, dict] = {}
    claims = set()
    for q in quads:
        if q.predicate in _SPO:
            parts.setdefault(q.subject, {})[q.predicate] = q.object.value
        elif q.predicate == _CLAIM:
            claims.add(q.object.value)
    triples = {tuple(p[k] for k in _SPO) for p in parts.values() if len(p) == 3}
    return triples, claims  # type: ignore[return-value]


def _by_subject(lines: Iterable[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in lines:
        out.setdefault(line.split(" ", 1)[0][1:-1], []).append(line)
    return out


def _parse(lines: Sequence[str]) -> list[ox.Quad]:
    if not lines:
        return []
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def _unique(store: ox.Store, doc: str) -> int:
    for q in store.quads_for_pattern(ox.NamedNode(doc), _UNIQUE, None, G):
        return int(q.object.value)
    return 0


def apply(
    old: ox.Store,
    new: ox.Store,
    remove: set[str],
    documents: Iterable[Document],
    builder: Builder,
) -> UpdateReport:
    """Change ``new`` (a copy of ``old``): remove the documents ``remove``, add ``documents``.

    >>> from kgraph import load
    >>> old = load().store._reader()
    >>> new = ox.Store()
    >>> new.bulk_extend(old.quads_for_pattern(None, None, None, None))
    >>> gone = {"https://w3id.org/kgraph/document/northwestern-ketamine-neurogenesis"}
    >>> report = apply(old, new, gone, [], Builder())
    >>> report.removed == sorted(gone), len(new) < len(old)
    (True, True)
    """
    report = UpdateReport(build=builder.report)
    # 2a. the added documents' lines (read first: a bad file changes nothing)
    lines: list[str] = []
    added: list[str] = []
    for doc in documents:
        added.append(document_iri(doc))
        lines += builder.document_lines(doc)
    replaced = {
        d for d in added if next(old.quads_for_pattern(ox.NamedNode(d), _TYPE, None, G), None)
    }
    remove = remove | replaced
    # 1. what removed documents own
    gone: list[ox.Quad] = []
    for d in sorted(remove):
        gone += _owned_quads(old, ox.NamedNode(d))
    triples, claims = _statements(gone)
    entities = {q.subject for q in gone if q.predicate == _MENTIONED}
    for q in gone:
        new.remove(q)
    deleted = len(gone)
    for e in sorted(entities, key=str):
        if next(new.quads_for_pattern(e, _MENTIONED, None, G), None) is None:
            for p in _DECLARATION:
                for q in list(new.quads_for_pattern(e, p, None, G)):
                    new.remove(q)
                    deleted += 1
    # shared nodes nothing points to any more go, as a build would not write them (a rule of
    # proposals that a review accepted, a curator whose acts went with their document)
    shared = {
        q.object for q in gone if q.predicate in _SHARED and isinstance(q.object, ox.NamedNode)
    }
    for node in sorted(shared, key=str):
        if next(new.quads_for_pattern(None, None, node, G), None) is None:
            for q in list(new.quads_for_pattern(node, None, None, G)):
                new.remove(q)
                deleted += 1
    # 2b. insert the added documents' lines, without re-declaring entities the store declares
    quads = _parse(lines)
    declared = {
        q.subject
        for q in quads
        if q.predicate == _TYPE
        and next(new.quads_for_pattern(q.subject, _TYPE, None, G), None) is not None
        and next(new.quads_for_pattern(q.subject, _MENTIONED, None, G), None) is not None
    }
    quads = [q for q in quads if not (q.subject in declared and q.predicate in _DECLARATION)]
    new.extend(quads)
    inserted = len(set(quads))
    # 3. the claims the update touched: recounted from every statement left where a removal
    #    touched them; else the stored summary plus the added statements (no hub claim re-read)
    recount = sorted(claims)
    fresh = _records_of(new, {q.subject for q in quads if q.predicate == _CLAIM})
    grown = sorted({r.key.iri()[1:-1] for r in fresh} - claims)
    records = _by_claim(_records(new, recount))
    owned_before = _maybe_owned(old, recount + grown)
    s_old = _summary(r for c in owned_before for r in _records(old, [c]))
    s_new = _summary(r for c in recount for r in records.get(c, ()))
    grown_set = set(grown)
    for c in grown:
        # few documents: their statements, so the owners come out right (and so for a claim
        # whose stored summary an older kgraph wrote without what a seed needs)
        key = next(r.key for r in fresh if r.key.iri()[1:-1] == c)
        if c in owned_before or not _seed(s_new, old, c, key):
            _summary(_records(old, [c]), s_new)
    _summary((r for r in fresh if r.key.iri()[1:-1] in grown_set), s_new)
    added_docs = {f"<{d}>" for d in added}
    for d in sorted(added_docs):  # an added document's own counts, as the builder tallies them
        node = ox.NamedNode(d[1:-1])
        st = next(new.quads_for_pattern(node, _SOURCE_TYPE, None, G)).object.value
        tally = s_new.document(d, st.rpartition("#")[2])
        for q in new.quads_for_pattern(None, _DERIVED, node, G):
            if next(new.quads_for_pattern(q.subject, _TYPE, _QUESTION, G), None) is not None:
                s_new.question(d, tally.source_type)
        tally.add_entities(
            q.subject.value for q in new.quads_for_pattern(None, _MENTIONED, node, G)
        )
    new_lines = _by_subject(s_new.lines())
    old_lines = _by_subject(s_old.lines())
    out: list[str] = []
    touched = sorted(claims | grown_set)
    for c in touched:
        for q in list(new.quads_for_pattern(ox.NamedNode(c), None, None, G)):
            new.remove(q)
            deleted += 1
        out += new_lines.get(c, [])
    for d in sorted(added_docs):
        out += new_lines[d[1:-1]]
    # 4. other documents' unique-claim counts move by what the recounted claims give them
    for d in sorted(
        (s_old.docs.keys() | s_new.docs.keys()) - added_docs - {f"<{x}>" for x in remove}
    ):
        doc = d[1:-1]
        was = _count(old_lines.get(doc, ()), _UNIQUE)
        now = _count(new_lines.get(doc, ()), _UNIQUE)
        if was != now:
            node, value = ox.NamedNode(doc), _unique(new, doc)
            new.remove(ox.Quad(node, _UNIQUE, ox.Literal(str(value), datatype=_INT), G))
            fresh_count = ox.Literal(str(value - was + now), datatype=_INT)
            new.add(ox.Quad(node, _UNIQUE, fresh_count, G))
    # direct triples: the added statements wrote theirs; one a removed statement gave is kept
    # when a statement left (of any qualified variant) gives it
    variants = _claims_of(old, triples)
    variants |= {r.key.iri()[1:-1] for r in fresh if r.key[:3] in triples}
    records.update(_by_claim(_records(new, sorted(variants - records.keys()))))
    direct = {
        (r.key.subject, r.key.predicate, r.key.object)
        for c in variants
        for r in records.get(c, ())
        if (r.key.subject, r.key.predicate, r.key.object) in triples
        and direct_triple(
            negated=r.negated,
            proposed=r.proposed,
            comparison=r.key.comparison,
            include_proposed=True,
        )
    }
    for s, p, o in sorted(triples):
        q = ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), G)
        if (s, p, o) in direct:
            new.add(q)
        else:
            new.remove(q)
    # 5. how many documents make N statements: the bins of the counts removed and added move
    moved: dict[int, int] = {}
    for q in gone:
        if q.predicate == _STATEMENTS:
            moved[int(q.object.value)] = moved.get(int(q.object.value), 0) - 1
    for d in added_docs:
        n = s_new.docs[d].statements
        moved[n] = moved.get(n, 0) + 1
    if any(moved.values()):
        bins = _bins(old)
        for n, change in moved.items():
            bins[n] = bins.get(n, 0) + change
            if bins[n] < 0:
                raise StoreError(
                    f"the bin of documents with {n} statements would count {bins[n]} of them"
                )
        fresh = _by_subject(all_bin_lines(bins))
        stored = {q.subject for q in old.quads_for_pattern(None, _BIN_STATEMENTS, None, G)}
        for node in sorted(stored | {ox.NamedNode(b) for b in fresh}, key=str):
            held = list(new.quads_for_pattern(node, None, None, G))
            lines = fresh.get(node.value, [])
            if set(held) == set(_parse(lines)):
                continue
            for q in held:
                new.remove(q)
                deleted += 1
            out += lines
    summary_quads = _parse(out)
    new.extend(summary_quads)
    report.added, report.removed = added, sorted(remove - replaced)
    report.inserted, report.deleted = inserted + len(summary_quads), deleted
    report.diff = diff(old, new, documents_only=remove | set(added), claims_only=touched)
    return report


def _bins(store: ox.Store) -> dict[int, int]:
    """How many documents of ``store`` make N statements, for every N: its stored bins, or for a
    store an older kgraph built (no bin), its documents' counts, read once.

    >>> from kgraph import load
    >>> held = _bins(load().store._reader())
    >>> sum(held.values())
    4
    """
    stored = list(store.quads_for_pattern(None, _BIN_STATEMENTS, None, G))
    counts: dict[int, int] = {}
    if not stored:
        for q in store.quads_for_pattern(None, _STATEMENTS, None, G):
            counts[int(q.object.value)] = counts.get(int(q.object.value), 0) + 1
        return counts
    for q in stored:
        m = next(store.quads_for_pattern(q.subject, _BIN_DOCUMENTS, None, G), None)
        counts[int(q.object.value)] = 0 if m is None else int(m.object.value)
    return counts


def _count(lines: Iterable[str], predicate: ox.NamedNode) -> int:
    for line in lines:
        _s, p, o = line.split(" ", 2)
        if p == str(predicate):
            return int(o.split('"')[1])
    return 0
