"""The claim rules, in one place: what is asserted, denied, contested, firm, research.

A *statement* is one assertion node (a source says S P O, maybe negated, hedged, at a level of
evidence); a *claim* is every statement of one subject, predicate and object. The build's claim
summary, the named queries, the explorer's marks, the notebook and the exports all ask this module,
so they cannot disagree:

- a statement gives a **direct triple** (``S P O`` in the data graph) when it is asserted: not
  negated, not a research question, not an unreviewed proposal, not rejected, and not a "less
  than" comparison (:func:`gives_direct_triple`);
- a statement is **firm** when it is asserted without hedging, not negated, at a level other than
  preclinical (:func:`is_firm`); it is **research** when its source is not an opinion article or a
  clinic's marketing page and its level is not opinion (:func:`is_research`);
- a claim is **denied** when every statement of it is negated, **hedged** when every one is hedged,
  **preclinical only** when its only level of evidence is preclinical;
- a claim is **contested** when it is one side of a contest found by the ``contested-claims`` named
  query (:func:`contests`): the same predicate and object, asserted for one subject and negated for
  the same subject, one of its enantiomers or one of its metabolites, by statements from more than
  one document. The explorer, :meth:`KnowledgeGraph.claims` and the query read that one rule.

>>> is_firm("Asserted", "ClinicalPhase3", negated=False), is_firm("Hedged", "ClinicalPhase3")
(True, False)
>>> is_research("ClinicMarketingPage", "ClinicalPractice"), is_research("ScienceNews", "Review")
(False, True)
>>> int(claim_flags(2, 2, 0, False, False)) == NEGATED
True
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .queries import run_named
from .store import Store

__all__ = [
    "CONTESTED",
    "DASHED",
    "HEDGED",
    "NEGATED",
    "PRECLINICAL_ONLY",
    "WEAK_SOURCE_TYPES",
    "claim_flags",
    "contested_claims",
    "contests",
    "gives_direct_triple",
    "is_denied",
    "is_firm",
    "is_preclinical_only",
    "is_research",
]

#: Source types whose statements are opinion or promotion, not research.
WEAK_SOURCE_TYPES = frozenset({"OpinionArticle", "ClinicMarketingPage"})

# Bit flags of a claim, as the explorer draws them.
DASHED = 1  #: drawn dashed: every statement hedged, or only preclinical evidence
NEGATED = 2  #: every statement denies it
CONTESTED = 4  #: one side of a contest (see :func:`contests`)
HEDGED = 8  #: every statement is hedged ("may", "suggests")
PRECLINICAL_ONLY = 16  #: the only evidence level is Preclinical


def gives_direct_triple(
    *,
    negated: bool,
    question: bool = False,
    proposed: bool = False,
    rejected: bool = False,
    comparison: str | None = None,
) -> bool:
    """Whether a statement puts its direct triple ``S P O`` into the data graph.

    >>> gives_direct_triple(negated=False), gives_direct_triple(negated=False, comparison="Less")
    (True, False)
    >>> gives_direct_triple(negated=False, question=True)
    False
    """
    return not (negated or question or proposed or rejected or comparison == "Less")


def is_firm(certainty: str | None, level: str | None, negated: bool = False) -> bool:
    """Asserted without hedging, not negated, at a level of evidence other than preclinical.

    >>> is_firm("Asserted", "Preclinical"), is_firm("Asserted", None), is_firm("Asserted", "Review", True)
    (False, True, False)
    """
    return not negated and certainty == "Asserted" and level != "Preclinical"


def is_research(source_type: str | None, level: str | None) -> bool:
    """From a source that is not opinion or marketing, at a level other than opinion.

    >>> is_research("OpinionArticle", "Review"), is_research("ResearchOverview", "Opinion")
    (False, False)
    """
    return source_type not in WEAK_SOURCE_TYPES and level != "Opinion"


def is_denied(statements: int, negated: int) -> bool:
    """Every statement of the claim denies it.

    >>> is_denied(2, 2), is_denied(2, 1), is_denied(0, 0)
    (True, False, False)
    """
    return statements > 0 and negated >= statements


def is_preclinical_only(levels: Iterable[str]) -> bool:
    """The claim's only level of evidence is preclinical.

    >>> is_preclinical_only(["Preclinical"]), is_preclinical_only(["Preclinical", "Review"])
    (True, False)
    """
    return sorted(set(levels)) == ["Preclinical"]


def claim_flags(statements, negated, hedged, preclinical_only, contested) -> np.ndarray:
    """The flags (:data:`NEGATED`, :data:`CONTESTED`, :data:`HEDGED`, :data:`PRECLINICAL_ONLY`,
    :data:`DASHED`) of claims, given as numbers or as arrays (one entry per claim).

    A claim every statement denies is ``NEGATED``; else one side of a contest is ``CONTESTED``.

    >>> claim_flags([1, 2, 2], [1, 0, 0], [0, 0, 2], [False, False, True], [False, True, False]).tolist()
    [2, 4, 25]
    """
    statements, negated, hedged = (
        np.asarray(x, dtype=np.int64) for x in (statements, negated, hedged)
    )
    preclinical_only = np.asarray(preclinical_only, dtype=bool)
    contested = np.asarray(contested, dtype=bool)
    flags = np.zeros(statements.shape, dtype=np.int64)
    has = statements > 0
    denied = has & (negated >= statements)
    flags[denied] |= NEGATED
    flags[~denied & contested] |= CONTESTED
    flags[has & (hedged >= statements)] |= HEDGED | DASHED
    flags[preclinical_only] |= PRECLINICAL_ONLY | DASHED
    return flags


def contests(store: Store, entity: str | None = None) -> list[dict[str, object]]:
    """The contests of the graph (rows of the ``contested-claims`` named query), optionally only
    those in which ``entity`` (a name, CURIE or IRI) is a subject or the object.

    >>> from kgraph import load
    >>> rows = contests(load().store)
    >>> all(r["supporting"] > 0 and r["denying"] > 0 for r in rows)
    True
    """
    return run_named(store, "contested-claims", entity=entity).dicts()


def contested_claims(store: Store) -> set[tuple[str, str, str]]:
    """The claims ``(subject, predicate, object)`` on either side of a contest.

    >>> from kgraph import load
    >>> all(len(c) == 3 for c in contested_claims(load().store))
    True
    """
    found: set[tuple[str, str, str]] = set()
    for row in contests(store):
        p, o = str(row["p"]), str(row["o"])
        found.add((str(row["s1"]), p, o))
        found.add((str(row["s2"]), p, o))
    return found
