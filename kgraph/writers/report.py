"""What an export wrote and what it could not, and a helper the rebuild shares.

>>> r = ExportReport()
>>> r.warn("statement not placed", "d1: …")
>>> dict(r.skipped), local("https://w3id.org/kgraph/ontology#Hedged")
({'statement not placed': 1}, 'Hedged')
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote

from ..vocab import KGO

__all__ = ["ExportReport", "local"]


@dataclass
class ExportReport:
    """What an export wrote and what it could not (``skipped`` counts by reason).

    >>> ExportReport().documents
    0
    """

    documents: int = 0
    mentions: int = 0
    relations: int = 0
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def warn(self, reason: str, message: str) -> None:
        self.skipped[reason] += 1
        if len(self.warnings) < 200:
            self.warnings.append(message)


def local(iri: str | None) -> str | None:
    """The local name of a ``kgo:`` IRI (else the part after ``#``), ``None`` for ``None``.

    >>> local(None), local("https://w3id.org/kgraph/ontology#EvidenceLevel")
    (None, 'EvidenceLevel')
    """
    if not iri:
        return None
    return unquote(iri[len(str(KGO)) :] if iri.startswith(str(KGO)) else iri.rsplit("#", 1)[-1])
