"""``kgraph curate diff``: the acts a review in brat or INCEpTION amounts to.

``PROPOSED`` is a folder as ``kgraph annotate`` (or ``kgraph export``) wrote it; ``REVIEWED`` is the
same folder after a person worked through it. Relations are matched by their two mentions' spans
(annotation ids may be renumbered by the tool), then:

- a relation the reviewer deleted → ``reject``;
- a relation whose ``Proposed`` mark the reviewer removed, otherwise unchanged → ``accept``;
- a relation whose type, negation, certainty, evidence level or qualifier changed → ``correct``
  (keyed by what it was, ``set`` to what it is);
- a relation whose end now grounds to another entity → ``reject`` (``wrong_grounding``) and ``add``;
- a new relation → ``add``;
- a relation still marked ``Proposed`` → nothing (not reviewed yet).

>>> is_proposed(Relation("R1", "treats", "T1", "T2"))  # a relation nobody marked Proposed
False
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from .. import formats
from ..errors import FormatError, GroundingError
from ..grounding import Lexicon, ground_mention
from ..model import Document, Relation
from ..vocab import compress
from .log import Act, now

__all__ = ["diff_documents", "diff_folders", "is_proposed"]

_FLAGS = ("negated", "certainty", "evidence_level", "comparison", "degree", "mediation")


def is_proposed(r: Relation) -> bool:
    """Whether ``r`` is an annotator's unreviewed proposal.

    >>> is_proposed(Relation("R1", "treats", "T1", "T2", proposed=True))
    True
    """
    return bool(getattr(r, "proposed", False)) or r.attributes.get("Proposed") == "true"


def _curie(lexicon: Lexicon, doc: Document, mention_id: str) -> str | None:
    try:
        entities = ground_mention(lexicon, doc, doc.mention(mention_id)).entities
    except (GroundingError, KeyError):
        return None
    return (compress(entities[0]) or entities[0]) if entities else None


def _key(doc: Document, r: Relation) -> tuple:
    if r.by_concept:
        return ("concept", r.subject, r.object)
    return (doc.mention(r.subject).spans, doc.mention(r.object).spans)


def _flags(r: Relation) -> dict[str, object]:
    return {k: getattr(r, k, None) for k in _FLAGS}


def diff_documents(
    before: Document,
    after: Document,
    *,
    curator: str,
    reason: str,
    time: str,
    lexicon: Lexicon,
) -> list[Act]:
    """The acts that turn ``before`` into ``after`` (see the module text).

    >>> from kgraph.model import Mention, Span
    >>> before = Document("d1", "Ketamine blocks NMDA receptors.",
    ...     (Mention("T1", "Compound", (Span(0, 8),), "Ketamine", ("kg:ketamine",)),
    ...      Mention("T2", "Receptor", (Span(16, 30),), "NMDA receptors", ("kg:nmda_receptor",))),
    ...     (Relation("R1", "antagonistOf", "T1", "T2", proposed=True),))
    >>> after = Document("d1", before.text, before.mentions, ())  # the reviewer deleted R1
    >>> [(a.act, a.quote) for a in diff_documents(before, after, curator="ann", reason="",
    ...     time="2026-01-01T00:00:00Z", lexicon=Lexicon.load())]
    [('reject', 'Ketamine blocks NMDA receptors.')]
    """
    acts: list[Act] = []

    def act(kind: str, doc: Document, r: Relation, **extra) -> None:
        s, o = _curie(lexicon, doc, r.subject), _curie(lexicon, doc, r.object)
        if s is None or o is None:
            raise FormatError(
                f"relation {r.id} ({r.type}): an end grounds to no entity",
                path=doc.source,
                line=r.line,
            )
        span = doc.sentence_span(r)
        quote = doc.text[span.start : span.end] if span else None
        acts.append(
            Act(
                kind,
                before.id,
                s,
                r.type,
                o,
                span,
                quote,
                MappingProxyType(extra.pop("changes", {})),
                curator,
                time,
                reason,
                tuple(extra.pop("tags", ())),
            )
        )

    later: dict[tuple, list[Relation]] = {}
    for r in after.relations:
        later.setdefault(_key(after, r), []).append(r)
    matched: set[str] = set()
    for r in before.relations:
        candidates = [x for x in later.get(_key(before, r), []) if x.id not in matched]
        if not candidates:
            act("reject", before, r, tags=["not_in_text"] if is_proposed(r) else [])
            continue
        same_type = [x for x in candidates if x.type == r.type]
        x = (same_type or candidates)[0]
        matched.add(x.id)
        if is_proposed(x):
            continue
        ends_before = (_curie(lexicon, before, r.subject), _curie(lexicon, before, r.object))
        ends_after = (_curie(lexicon, after, x.subject), _curie(lexicon, after, x.object))
        if ends_before != ends_after:
            act("reject", before, r, tags=["wrong_grounding"])
            matched.discard(x.id)  # added below, with its new ends
            continue
        before_flags, after_flags = _flags(r), _flags(x)
        changes = {k: v for k, v in after_flags.items() if v != before_flags[k] and v is not None}
        if x.type != r.type:
            changes["predicate"] = x.type
        if changes:
            tags = ["wrong_polarity"] if "negated" in changes else []
            tags += ["wrong_relation"] if "predicate" in changes else []
            act("correct", before, r, changes=changes, tags=tags)
        elif is_proposed(r):
            act("accept", before, r)
    for x in after.relations:
        if x.id in matched or is_proposed(x):
            continue
        flags = {k: v for k, v in _flags(x).items() if v not in (None, False, "Asserted")}
        changes = {
            "subject_text": after.mention(x.subject).covered(after.text),
            "object_text": after.mention(x.object).covered(after.text),
            **flags,
        }
        act("add", after, x, changes=changes, tags=["missed"])
    return acts


def diff_folders(
    proposed: str | Path,
    reviewed: str | Path,
    *,
    curator: str,
    reason: str = "reviewed in brat",
    time: str | None = None,
    lexicon: Lexicon | None = None,
) -> list[Act]:
    """The acts of every document of ``reviewed`` against the same document in ``proposed``.

    >>> from kgraph.vocab import corpus_dir
    >>> diff_folders(corpus_dir(), corpus_dir(), curator="ann")  # nothing changed, nothing to say
    []
    """
    lexicon = lexicon or Lexicon.load()
    time = time or now()
    before = {d.id: d for d in formats.read(proposed)}
    acts: list[Act] = []
    for doc in formats.read(reviewed):
        old = before.get(doc.id)
        if old is None:
            raise FormatError(f"document {doc.id} is not in {proposed}", path=doc.source)
        if old.text != doc.text:
            raise FormatError(
                f"the text of {doc.id} changed in review; review annotations, not text",
                path=doc.source,
            )
        acts += diff_documents(old, doc, curator=curator, reason=reason, time=time, lexicon=lexicon)
    return acts
