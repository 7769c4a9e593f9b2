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
    """The kgraph metadata among ``values`` (infons, a JSON object), as strings."""
    return {k: str(values[k]) for k in METADATA if k in values and str(values[k]).strip()}


def lift(r: Relation) -> Relation:
    """``r`` with its ``Negated`` / ``Certainty`` / ``EvidenceLevel`` attributes as fields."""
    a = dict(r.attributes)
    if not {"Negated", "Certainty", "EvidenceLevel"} & a.keys():
        return r
    negated = r.negated or a.pop("Negated", "false").lower() in ("true", "yes", "1")
    certainty = a.pop("Certainty", r.certainty)
    if certainty not in CERTAINTIES:
        a["Certainty"] = certainty
        certainty = r.certainty
    level = a.pop("EvidenceLevel", None) or r.evidence_level
    return replace(
        r,
        negated=negated,
        certainty=certainty,
        evidence_level=level,
        attributes=MappingProxyType(a),
    )


def utf16_offsets(text: str) -> dict[int, int]:
    """UTF-16 offset → code point offset, for every offset that falls between characters."""
    out, n = {0: 0}, 0
    for i, c in enumerate(text, start=1):
        n += 2 if ord(c) > 0xFFFF else 1
        out[n] = i
    return out
