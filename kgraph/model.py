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

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["CERTAINTIES", "Document", "Mention", "Relation", "Span"]

#: The two certainty values a relation can carry.
CERTAINTIES = ("Asserted", "Hedged")


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range ``[start, end)``."""

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
    """

    id: str
    type: str
    spans: tuple[Span, ...]
    text: str
    concepts: tuple[str, ...] = ()
    line: int | None = None

    @property
    def start(self) -> int:
        return min(s.start for s in self.spans)

    @property
    def end(self) -> int:
        return max(s.end for s in self.spans)

    def covered(self, text: str, sep: str = " ") -> str:
        """The text the spans cover, fragments joined by ``sep`` in the order given."""
        return sep.join(text[s.start : s.end] for s in self.spans)


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed, directed relation between two mentions or, when ``by_concept``, two concepts.

    Mention-level relations (brat, PubAnnotation) name mention ids in ``subject``/``object`` and get
    span-level evidence; concept-level relations (PubTator, BioC document relations) name concept
    CURIEs and get document-level evidence.
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


@dataclass(frozen=True, slots=True)
class Document:
    """One annotated text and where it came from.

    ``metadata`` keys used by the builder: ``title``, ``publisher``, ``date``, ``source_type``,
    ``author``, ``url``, ``pmid``, ``seed``, ``corpus``.
    """

    id: str
    text: str
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=_empty, compare=False)
    source: str | None = None
    line: int | None = None

    def mention(self, mention_id: str) -> Mention:
        """The mention with this id (``KeyError`` if there is none)."""
        for m in self.mentions:
            if m.id == mention_id:
                return m
        raise KeyError(mention_id)

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


def _sentence_start(text: str, pos: int) -> int:
    i = pos
    while i > 0:
        c = text[i - 1]
        if c == "\n":
            break
        if c.isspace() and i >= 2 and text[i - 2] in ".!?":
            break
        i -= 1
    while i < pos and text[i].isspace():
        i += 1
    return i


def _sentence_end(text: str, pos: int) -> int:
    n = len(text)
    i = pos
    while i < n:
        c = text[i]
        if c == "\n":
            break
        if c in ".!?" and (i + 1 == n or text[i + 1].isspace()):
            i += 1
            break
        i += 1
    return i
