"""What every writer writes the same way: a relation's flags and qualifiers as attributes (named
as brat's, which :mod:`kgraph.formats._kgraph` maps back to fields), its note, its comparator and
mediator, and which relations join mentions.

>>> from kgraph.model import Relation
>>> list(relation_attributes(Relation("R1", "treats", "T1", "T2", certainty="Hedged")))
[('Certainty', 'Hedged')]
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Document, Relation

__all__ = ["mention_relations", "qualifying", "relation_attributes", "relation_note"]


def mention_relations(doc: Document, report=None) -> Iterator[Relation]:
    """The relations of ``doc`` between mentions; one between concepts is counted in ``report``.

    >>> doc = Document("d", "x", relations=(Relation("R1", "CID", "MESH:D1", "MESH:D2", True),))
    >>> from kgraph.writers.report import ExportReport
    >>> report = ExportReport()
    >>> list(mention_relations(doc, report)), dict(report.skipped)
    ([], {'document-level relation': 1})
    """
    for r in doc.relations:
        if not r.by_concept:
            yield r
        elif report is not None:
            report.warn(
                "document-level relation", f"{doc.id}: {r.id} ({r.type}) holds between concepts"
            )


#: Relation fields written as attributes, by the name every kgraph reader takes (brat's).
VALUED = (
    ("Certainty", "certainty"),
    ("EvidenceLevel", "evidence_level"),
    ("Comparison", "comparison"),
    ("Degree", "degree"),
    ("Mediation", "mediation"),
    ("Confidence", "confidence"),
)
FLAGS = (("Negated", "negated"), ("ResearchQuestion", "question"), ("Proposed", "proposed"))


def relation_attributes(r: Relation) -> Iterator[tuple[str, str | None]]:
    """The attributes of a relation: (name, value), value ``None`` for a flag.

    >>> list(relation_attributes(Relation("R1", "treats", "T1", "T2", negated=True,
    ...     certainty="Hedged", evidence_level="Review")))
    [('Negated', None), ('Certainty', 'Hedged'), ('EvidenceLevel', 'Review')]
    """
    done = set()
    for name, attr in FLAGS:
        if getattr(r, attr, False):
            done.add(name)
            yield name, None
    for name, attr in VALUED:
        value = getattr(r, attr, None)
        if value and not (name == "Certainty" and value == "Asserted"):
            done.add(name)
            yield name, value
    for key, value in sorted(r.attributes.items()):
        if key in done or key in ("note", "comparator", "mediator"):
            continue
        if key.startswith(("role:", "__", "kgraph:")):  # the reader's or replay's, not the source's
            continue
        yield key, None if value == "true" else value


def relation_note(r: Relation) -> str | None:
    """The annotator's note of a relation (several notes are lines of one text).

    >>> relation_note(Relation("R1", "treats", "T1", "T2", note="rule=x"))
    'rule=x'
    """
    return getattr(r, "note", None) or r.attributes.get("note") or None


def qualifying(r: Relation) -> Iterator[tuple[str, str]]:
    """The comparator and mediator of a relation: (``comparator``|``mediator``, mention id).

    >>> list(qualifying(Relation("R1", "decreases", "T1", "T2", comparison="Less", comparator="T3")))
    [('comparator', 'T3')]
    """
    for kind in ("comparator", "mediator"):
        ref = getattr(r, kind, None)
        if ref:
            yield kind, ref
