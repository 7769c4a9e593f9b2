"""The annotation model every reader produces: plain frozen dataclasses, no I/O, no RDF.

A :class:`Document` holds its text, its metadata, its :class:`Mention` objects and its
:class:`Relation` objects. Offsets are Python string (code point) offsets into ``Document.text``.

>>> doc = Document(
...     id="d1",
...     text="Ketamine blocks NMDA receptors.",
...     mentions=(
...         Mention("T1", "Compound", (Span(0, 8),), "Ketamine", ("kg:ketamine",)),
...         Mention("T2", "Receptor", (Span(16, 30),), "NMDA receptors", ("kg:nmda_receptor",)),
...     ),
...     relations=(Relation("R1", "antagonistOf", "T1", "T2"),),
... )
>>> doc.mention("T2").covered(doc.text)
'NMDA receptors'
>>> doc.sentence_span(doc.relations[0])
Span(start=0, end=31)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "CERTAINTIES",
    "COMPARISONS",
    "CONFIDENCES",
    "DEGREES",
    "MEDIATIONS",
    "QUALIFIERS",
    "Document",
    "Mention",
    "Relation",
    "Span",
]

#: The two certainty values a relation can carry.
CERTAINTIES = ("Asserted", "Hedged")
#: How the subject does what the statement says compared with its comparator.
COMPARISONS = ("Less", "More", "Similar")
#: How strongly the subject does what the statement says ("a weak antagonist").
DEGREES = ("Weak", "Moderate", "Strong")
#: Whether the effect is said to arise through, or independently of, the mediator.
MEDIATIONS = ("Through", "Independent")
#: How confident an automatic annotator is in a proposal.
CONFIDENCES = ("High", "Medium", "Low")
#: The qualifiers that make a statement a different claim from the bare one, in claim-key order.
QUALIFIERS = ("comparison", "comparator", "degree", "mediation", "mediator")


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range ``[start, end)``.

    >>> len(Span(3, 8)), Span(0, 1) < Span(0, 2)
    (5, True)
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}-{self.end}")

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed text span, normalised to zero or more concept identifiers (CURIEs).

    ``spans`` has several items for a discontinuous mention, in the order the source gives them.
    ``concepts`` has several items for a composite mention ("ocular and auditory toxicity").

    >>> m = Mention("T1", "Compound", (Span(9, 14), Span(0, 3)), "blocks NMDA")
    >>> (m.start, m.end), m.covered("NMDA may block", "+")
    ((0, 14), 'block+NMD')
    """

    id: str
    type: str
    spans: tuple[Span, ...]
    text: str
    concepts: tuple[str, ...] = ()
    line: int | None = None
    proposed: bool = False  # an automatic annotator's proposal, not yet reviewed
    confidence: str | None = None  # the proposer's confidence (one of CONFIDENCES)

    @property
    def start(self) -> int:
        spans = self.spans  # one span is the common case: no generator
        return spans[0].start if len(spans) == 1 else min(s.start for s in spans)

    @property
    def end(self) -> int:
        spans = self.spans
        return spans[0].end if len(spans) == 1 else max(s.end for s in spans)

    def covered(self, text: str, sep: str = " ") -> str:
        """The text the spans cover, fragments joined by ``sep`` in the order given."""
        return sep.join(text[s.start : s.end] for s in self.spans)


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed, directed relation between two mentions or, when ``by_concept``, two concepts.

    Mention-level relations (brat, PubAnnotation) name mention ids in ``subject``/``object`` and get
    span-level evidence; concept-level relations (PubTator, BioC document relations) name concept
    CURIEs and get document-level evidence.

    Qualifiers say what the source says more precisely than "S P O": ``comparison`` (one of
    :data:`COMPARISONS`) relative to ``comparator``; ``degree`` (one of :data:`DEGREES`);
    ``mediation`` (one of :data:`MEDIATIONS`) through or independently of ``mediator``.
    ``comparator`` and ``mediator`` are mention ids (or CURIEs when ``by_concept``). A ``question``
    is an open research question the source raises, never a claim; ``note`` is the annotator's
    note; ``proposed`` marks an automatic annotator's unreviewed proposal, with its ``confidence``.

    >>> r = Relation("R1", "hasAdverseEffect", "T1", "T2", comparison="Less", comparator="T3")
    >>> r.qualified, r.qualifiers()
    (True, ('Less', 'T3', None, None, None))
    """

    id: str
    type: str
    subject: str
    object: str
    by_concept: bool = False
    negated: bool = False
    certainty: str = "Asserted"
    evidence_level: str | None = None
    attributes: Mapping[str, str] = field(default_factory=_empty, compare=False)
    line: int | None = None
    comparison: str | None = None
    comparator: str | None = None
    degree: str | None = None
    mediation: str | None = None
    mediator: str | None = None
    question: bool = False
    note: str | None = None
    proposed: bool = False
    confidence: str | None = None

    def qualifiers(self) -> tuple[str | None, ...]:
        """The values of :data:`QUALIFIERS`, in that order."""
        return (self.comparison, self.comparator, self.degree, self.mediation, self.mediator)

    @property
    def qualified(self) -> bool:
        """Whether any qualifier is set (a different claim from the bare statement)."""
        return any(q is not None for q in self.qualifiers())


@dataclass(frozen=True, slots=True)
class Document:
    """One annotated text and where it came from.

    ``metadata`` keys used by the builder: ``title``, ``publisher``, ``date``, ``source_type``,
    ``author``, ``url``, ``pmid``, ``seed``, ``corpus``.

    >>> Document("d1", "Ketamine.", metadata={"title": "T"}).metadata["title"]
    'T'
    """

    id: str
    text: str
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=_empty, compare=False)
    source: str | None = None
    line: int | None = None
    _by_id: dict[str, Mention] | None = field(
        default=None, init=False, repr=False, compare=False, hash=False
    )

    def mention(self, mention_id: str) -> Mention:
        """The mention with this id (``KeyError`` if there is none); an index, built once."""
        index = self._by_id
        if index is None:
            index = {m.id: m for m in self.mentions}
            object.__setattr__(self, "_by_id", index)  # a cache: the document stays immutable
        return index[mention_id]

    def sentence_span(self, relation: Relation) -> Span | None:
        """The sentence (or line) that holds both ends of a mention-level relation.

        Sentences end at a newline or at ``.``, ``!``, ``?`` followed by white space. When the two
        ends lie in different sentences the span runs from the first one's start to the last one's end.
        """
        if relation.by_concept:
            return None
        ends = [self.mention(relation.subject), self.mention(relation.object)]
        lo = min(m.start for m in ends)
        hi = max(m.end for m in ends)
        return Span(_sentence_start(self.text, lo), _sentence_end(self.text, hi))


#: A sentence is looked for at most this many characters on each side of its mentions, so a text
#: without sentence ends (a hostile one-line file) cannot make every relation scan all of it.
_MAX_SENTENCE = 4096
_START = re.compile(r"\n|[.!?]\s")  # a sentence starts after either
_END = re.compile(r"\n|[.!?](?=\s|\Z)")  # and ends before a newline, or after the mark


def _sentence_start(text: str, pos: int) -> int:
    i = max(0, pos - _MAX_SENTENCE)
    for m in _START.finditer(text, i, pos):
        i = m.end()
    while i < pos and text[i].isspace():
        i += 1
    return i


def _sentence_end(text: str, pos: int) -> int:
    n = len(text)
    hi = min(n, pos + _MAX_SENTENCE)
    m = _END.search(text, pos, min(n, hi + 1))
    if m is None or m.start() >= hi:
        return hi
    return m.start() if text[m.start()] == "\n" else m.start() + 1
