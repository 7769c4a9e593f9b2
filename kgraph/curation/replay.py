"""Replay of the curation acts over documents, and the build's view of it (:class:`Curation`).

>>> from kgraph.model import Document, Mention, Relation, Span
>>> doc = Document("d1", "Ketamine blocks NMDA receptors.",
...     (Mention("T1", "Compound", (Span(0, 8),), "Ketamine", ("kg:ketamine",)),
...      Mention("T2", "Receptor", (Span(16, 30),), "NMDA receptors", ("kg:nmda_receptor",))),
...     (Relation("R1", "antagonistOf", "T1", "T2"),))
>>> no = Act("reject", "d1", "kg:ketamine", "antagonistOf", "kg:nmda_receptor", curator="ann",
...          time="2026-01-01T00:00:00Z", reason="not said")
>>> report = Replay()
>>> [after] = replay([doc], [no], Lexicon.load(), report)
>>> status(after.relations[0]), excluded(after.relations[0]), report.orphans
('Rejected', True, [])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from ..errors import FormatError, GroundingError
from ..grounding import Lexicon, ground_mention, relation_property
from ..model import Document, Mention, Relation, Span
from ..vocab import GRAPH_DATA, KGA, compress
from .entities import MINTED, entries, grow, minted
from .log import LOG, SETTABLE, STATUS, STATUS_KEY, Act, read_log
from .rdf import act_lines, entity_lines

__all__ = ["Curation", "Replay", "excluded", "replay", "status"]

# -- replay -------------------------------------------------------------------------------------


@dataclass
class Replay:
    """What a replay did: acts applied per statement, contested statements, orphans.

    >>> Replay().orphan_errors()
    []
    """

    applied: int = 0
    contested: int = 0
    orphans: list[Act] = field(default_factory=list)
    #: (document id, relation id) → the acts about it, in log order.
    acts: dict[tuple[str, str], list[Act]] = field(default_factory=dict)

    def orphan_errors(self) -> list[FormatError]:
        """One error per orphan, naming the log's file and line."""
        return [
            FormatError(
                f"orphan: {a.act} of {a.subject} {a.predicate} {a.object}"
                + (f" in {a.quote[:60]!r}" if a.quote else "")
                + " matches no statement of the document",
                path=a.path,
                line=a.line,
                document=a.document,
            )
            for a in self.orphans
        ]


def _entity(lexicon: Lexicon, name: str) -> str | None:
    """The entity an act's end names: a lexicon entity, another registry's IRI, or an entity the
    text named (``kg:text/…``; a reviewed lexicon entry replaces it, see :func:`grow`)."""
    iri = name if "://" in name else lexicon.entity_for_curie(name)
    if iri is None and name.startswith("kg:text/"):
        iri = minted(name)
    if iri is not None and iri.startswith(MINTED):
        return lexicon.by_iri.get(iri, iri)
    return iri


def _property(lexicon: Lexicon, name: str) -> str | None:
    if "://" in name:
        return name
    local = name.split(":", 1)[1] if name.startswith("kgo:") else name
    return lexicon.properties.get(local) or lexicon.property_for_type(local)


class _Doc:
    """One document's relations with the entities, property and sentence each grounds to."""

    def __init__(self, doc: Document, lexicon: Lexicon) -> None:
        self.doc, self.lexicon = doc, lexicon
        self.ground: dict[str, tuple[str, ...]] = {}
        for m in doc.mentions:
            try:
                self.ground[m.id] = ground_mention(lexicon, doc, m).entities
            except GroundingError:
                continue

    def ends(self, r: Relation, which: str) -> tuple[str, ...]:
        ref = getattr(r, which)
        if r.by_concept:
            e = self.lexicon.entity_for_curie(ref)
            return (e,) if e else ()
        return self.ground.get(ref, ())

    def matches(self, act: Act) -> list[Relation]:
        lex, doc = self.lexicon, self.doc
        s, o, p = _entity(lex, act.subject), _entity(lex, act.object), _property(lex, act.predicate)
        if s is None or o is None or p is None:
            return []
        symmetric = p in lex.symmetric
        found = []
        for r in doc.relations:
            try:
                if relation_property(lex, doc, r) != p:
                    continue
            except GroundingError:
                continue
            subj, obj = self.ends(r, "subject"), self.ends(r, "object")
            if not ((s in subj and o in obj) or (symmetric and o in subj and s in obj)):
                continue
            found.append(r)
        if act.quote is None and act.sentence is None:
            return found
        by_quote = [r for r in found if self.quote(r) == act.quote] if act.quote else found
        if act.sentence is not None and len(by_quote) > 1:
            exact = [r for r in by_quote if self.doc.sentence_span(r) == act.sentence]
            by_quote = exact or by_quote
        return by_quote

    def quote(self, r: Relation) -> str | None:
        span = self.doc.sentence_span(r)
        return None if span is None else self.doc.text[span.start : span.end]


def _decide(acts: list[Act]) -> tuple[str, Act | None]:
    """The status of a statement from the acts about it, and the act that decides it."""
    latest: dict[str, Act] = {}
    for a in acts:  # log order: a curator's later act supersedes their earlier one
        latest[a.curator] = a
    verdicts = {a.verdict() for a in latest.values()}
    if len(verdicts) > 1:
        return "Contested", None
    decisive = list(latest.values())[-1]
    return STATUS[decisive.act], decisive


def _apply(r: Relation, status: str, act: Act | None) -> Relation:
    attrs = dict(r.attributes)
    attrs[STATUS_KEY] = status
    attrs.pop("Proposed", None)
    changes: dict[str, object] = {"attributes": MappingProxyType(attrs)}
    if status != "Contested" and hasattr(r, "proposed"):
        changes["proposed"] = False
    if status == "Corrected" and act is not None:
        for k, v in act.set.items():
            if k == "predicate":
                changes["type"] = str(v).removeprefix("kgo:")
            elif hasattr(r, k):
                changes[k] = v
    return replace(r, **changes)


def _added(doc: Document, acts: list[Act], lexicon: Lexicon, report: Replay) -> Document:
    """``doc`` with the statements that ``add`` acts give it."""
    mentions, relations = list(doc.mentions), list(doc.relations)
    used = {m.id for m in mentions} | {r.id for r in relations}

    def new_id(prefix: str) -> str:
        n = 1
        while f"{prefix}{n}" in used:
            n += 1
        used.add(f"{prefix}{n}")
        return f"{prefix}{n}"

    for act in acts:
        at = doc.text.find(act.quote or "\x00")
        if (
            act.sentence is not None
            and doc.text[act.sentence.start : act.sentence.end] == act.quote
        ):
            at = act.sentence.start
        ends = []
        for which in ("subject", "object"):
            text = str(act.set.get(f"{which}_text") or "")
            entity = _entity(lexicon, getattr(act, which))
            cls = act.set.get(f"{which}_type") or (
                lexicon.entity_class.get(entity or "", "").rsplit("#", 1)[-1] or None
            )
            i = doc.text.find(text, at, at + len(act.quote or "")) if text and at >= 0 else -1
            if i < 0 or entity is None or cls is None:
                ends = []
                break
            curie = getattr(act, which) if "://" not in getattr(act, which) else compress(entity)
            m = Mention(new_id("T"), str(cls), (Span(i, i + len(text)),), text, (curie,))
            mentions.append(m)
            ends.append(m.id)
        if len(ends) != 2:
            report.orphans.append(act)
            continue
        flags = {k: v for k, v in act.set.items() if k in SETTABLE and k != "predicate"}
        r = Relation(
            new_id("R"),
            str(act.predicate).removeprefix("kgo:"),
            ends[0],
            ends[1],
            attributes=MappingProxyType({STATUS_KEY: "Added"}),
            **flags,  # type: ignore[arg-type]
        )
        relations.append(r)
        report.acts[(doc.id, r.id)] = [act]
        report.applied += 1
    return replace(doc, mentions=tuple(mentions), relations=tuple(relations))


def replay(
    documents: Iterable[Document], acts: Iterable[Act], lexicon: Lexicon, report: Replay
) -> Iterator[Document]:
    """``documents`` with ``acts`` applied (see the module text); ``report`` is filled as it goes.

    Orphans are known only when every document has been seen: read ``report.orphans`` after
    the iteration ends.

    >>> a = Act("accept", "gone", "kg:a", "treats", "kg:b", curator="c", time="2026-01-01T00:00:00Z")
    >>> report = Replay()
    >>> list(replay([], [a], Lexicon.load(), report)), len(report.orphans)
    ([], 1)
    """
    by_doc: dict[str, list[Act]] = {}
    for a in acts:
        if a.act != "add-entity":  # lexicon entries: Curation.lexicon, not a document's
            by_doc.setdefault(a.document, []).append(a)
    seen: set[str] = set()
    for doc in documents:
        mine = [*by_doc.get(doc.id, ()), *by_doc.get(doc.metadata.get("pmid") or "\x00", ())]
        if not mine:
            yield doc
            continue
        seen.add(doc.id)
        seen.add(doc.metadata.get("pmid") or doc.id)
        index = _Doc(doc, lexicon)
        about: dict[str, list[Act]] = {}
        adds = []
        for a in mine:
            if a.act == "add":
                adds.append(a)
                continue
            found = index.matches(a)
            if not found:
                report.orphans.append(a)
            for r in found:
                about.setdefault(r.id, []).append(a)
        relations = []
        for r in doc.relations:
            if r.id in about:
                status, act = _decide(about[r.id])
                report.contested += status == "Contested"
                report.applied += len(about[r.id])
                report.acts[(doc.id, r.id)] = about[r.id]
                r = _apply(r, status, act)
            relations.append(r)
        doc = replace(doc, relations=tuple(relations))
        if adds:
            doc = _added(doc, adds, lexicon, report)
        yield doc
    report.orphans += [a for d, acts_ in by_doc.items() if d not in seen for a in acts_]


def status(r: Relation) -> str | None:
    """The review status replay gave ``r`` (``None``: never reviewed).

    >>> status(Relation("R1", "treats", "T1", "T2", attributes={STATUS_KEY: "Rejected"}))
    'Rejected'
    """
    return r.attributes.get(STATUS_KEY)


def excluded(r: Relation) -> bool:
    """Whether a reviewed statement stays out of the direct triples and the claim summary.

    >>> excluded(Relation("R1", "treats", "T1", "T2", attributes={STATUS_KEY: "Contested"}))
    False
    """
    return status(r) == "Rejected"


# -- the build's view ---------------------------------------------------------------------------


class Curation:
    """The curation logs of a build's sources, read before anything is written.

    ``for_sources`` reads ``curation.jsonl`` beside every source folder (a malformed line stops
    the build before the store is touched); :meth:`documents` replays a source's log over its
    documents; :meth:`lines` gives the RDF of a reviewed statement; :attr:`report` collects
    orphans and contested statements.

    >>> from kgraph.vocab import corpus_dir
    >>> Curation.for_sources([corpus_dir()], Lexicon.load()).logs  # no log in the bundled corpus
    {}
    """

    def __init__(self, logs: Mapping[str, list[Act]], lexicon: Lexicon) -> None:
        self.logs = dict(logs)
        self.report = Replay()
        #: the reviewed lexicon entries of every log (``add-entity``), and the lexicon they grow:
        #: the build grounds with it (kgraph.build, kgraph.incremental)
        self.entries = entries([a for acts in self.logs.values() for a in acts], self.report)
        self.lexicon = grow(lexicon, self.entries)

    @classmethod
    def for_sources(cls, sources: Iterable[str | Path], lexicon: Lexicon) -> Curation:
        logs = {}
        for source in sources:
            log = Path(source) / LOG
            if Path(source).is_dir() and log.exists():
                logs[str(source)] = read_log(log)
        return cls(logs, lexicon)

    def documents(self, source: str | Path, docs: Iterable[Document]) -> Iterator[Document]:
        acts = self.logs.get(str(source))
        if not acts:
            return iter(docs)
        return replay(docs, acts, self.lexicon, self.report)

    def entity_lines(self) -> list[str]:
        """The N-Quads of the reviewed lexicon entries (:func:`kgraph.curation.rdf.entity_lines`)."""
        return [x for a in self.entries for x in entity_lines(a)]

    def lines(self, doc: Document, r: Relation, digest: str) -> list[str]:
        """The review RDF of the assertion ``kga:DIGEST`` that relation ``r`` of ``doc`` made."""
        st = status(r)
        if st is None:
            return []
        acts = self.report.acts.get((doc.id, r.id), ())
        return act_lines(f"{KGA}{digest}", st, acts, GRAPH_DATA)
