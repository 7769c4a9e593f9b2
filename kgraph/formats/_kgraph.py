"""kgraph's own names inside other formats, so that what :mod:`kgraph.writers` writes reads back.

A BioC or PubAnnotation file written by ``kgraph export`` carries a relation's flags as
attributes / infons named as in brat (``Negated``, ``Certainty``, ``EvidenceLevel``), the document's
metadata under the manifest's keys, and (BioC) the unit of its offsets. The readers call these
helpers; a file from elsewhere that does not use the names is read as before.

>>> from kgraph.model import Relation
>>> r = lift(Relation("R1", "treats", "T1", "T2", attributes={"Negated": "true", "EvidenceLevel": "Review"}))
>>> r.negated, r.evidence_level, dict(r.attributes)
(True, 'Review', {})
>>> back = utf16_offsets("a\\U0001F600b")
>>> back[3], back.get(2)
(2, None)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from ..model import CERTAINTIES, Relation

__all__ = ["METADATA", "lift", "metadata", "utf16_offsets"]

#: Document metadata keys a kgraph export writes (the manifest's, plus ``pmid``).
METADATA = ("title", "publisher", "date", "source_type", "author", "url", "seed", "pmid")


def metadata(values: Mapping[str, object]) -> dict[str, str]:
    """The kgraph metadata among ``values`` (infons, a JSON object), as strings.

    >>> metadata({"title": "T", "pmid": 7, "other": 1})
    {'title': 'T', 'pmid': '7'}
    """
    return {k: str(values[k]) for k in METADATA if k in values and str(values[k]).strip()}


#: Attributes (infons) named as brat's, and the Relation field each sets.
_VALUED = {
    "Certainty": "certainty",
    "EvidenceLevel": "evidence_level",
    "Comparison": "comparison",
    "Degree": "degree",
    "Mediation": "mediation",
    "Confidence": "confidence",
    "comparator": "comparator",
    "mediator": "mediator",
    "note": "note",
}
_FLAGS = {"Negated": "negated", "ResearchQuestion": "question", "Proposed": "proposed"}
_TRUE = ("true", "yes", "1")


def lift(r: Relation) -> Relation:
    """``r`` with the attributes kgraph writes (``Negated``, ``Certainty``, ``EvidenceLevel``, the
    qualifiers, ``ResearchQuestion``, ``Proposed``, ``Confidence``, comparator, mediator, note) as
    fields; an attribute whose field the model lacks stays an attribute.

    >>> r = Relation(id="R1", type="treats", subject="T1", object="T2",
    ...              attributes={"Negated": "true", "Certainty": "Hedged"})
    >>> lifted = lift(r)
    >>> lifted.negated, lifted.certainty, dict(lifted.attributes)
    (True, 'Hedged', {})
    """
    a = dict(r.attributes)
    fields = Relation.__dataclass_fields__
    changes: dict[str, object] = {}
    for key, attr in _FLAGS.items():
        if key in a and attr in fields:
            changes[attr] = getattr(r, attr) or a.pop(key).lower() in _TRUE
    for key, attr in _VALUED.items():
        if key in a and attr in fields:
            if attr == "certainty" and a[key] not in CERTAINTIES:
                continue
            if attr == "note" and not isinstance(getattr(r, attr, None), str | None):
                continue
            changes[attr] = a.pop(key)
    if not changes:
        return r
    return replace(r, attributes=MappingProxyType(a), **changes)


def utf16_offsets(text: str) -> dict[int, int]:
    """UTF-16 offset → code point offset, for every offset that falls between characters.

    >>> utf16_offsets("a\U0001f600b")  # the emoji takes two UTF-16 units
    {0: 0, 1: 1, 3: 2, 4: 3}
    """
    out, n = {0: 0}, 0
    for i, c in enumerate(text, start=1):
        n += 2 if ord(c) > 0xFFFF else 1
        out[n] = i
    return out
