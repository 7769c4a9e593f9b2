"""Concept priors of the document-level adverse model (:mod:`kgraph.annotate.document`): how often
training abstracts put a compound, or a condition, in an adverse (chemical-induced disease) pair,
counted per MeSH id into ``adverse-priors.tsv`` and read as smoothed log-odds features.

>>> table = prior_counts([([("c1", "d1")], [("c1", "d1")]), ([("c1", "d2")], [])])
>>> table["condition"]
{'d1': (1, 1), 'd2': (1, 0)}
>>> concept_prior(table["condition"], "d1") > 0 > concept_prior(table["condition"], "d2")
True
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

__all__ = ["add_priors", "concept_prior", "prior_counts"]


def concept_prior(
    counts: dict[str, tuple[int, int]], concept: str, smoothing: float = 4.0
) -> float:
    """How much more often than the average concept of its kind ``concept`` was in an adverse pair
    of the training documents that held it: the log-odds of its rate (``counts[concept]`` =
    documents, adverse documents), smoothed toward the kind's base rate by ``smoothing`` pseudo-
    documents, minus the base log-odds. 0 for a concept never seen (or an empty table).

    >>> t = {"D1": (10, 9), "D2": (30, 1)}  # base rate 10/40
    >>> concept_prior(t, "D1") > 0 > concept_prior(t, "D2"), concept_prior(t, "D3")
    (True, 0.0)
    """
    seen = counts.get(concept)
    if seen is None:
        return 0.0
    base = _base_rate(counts)
    if not 0.0 < base < 1.0:
        return 0.0
    n, k = seen
    odds = (k + smoothing * base) / (n - k + smoothing * (1 - base))
    return math.log(odds) - math.log(base / (1 - base))


_BASES: dict[int, tuple[dict, float]] = {}


def _base_rate(counts: dict[str, tuple[int, int]]) -> float:
    """Adverse documents over documents, summed over the table (worked out once per table)."""
    got = _BASES.get(id(counts))
    if got is None or got[0] is not counts:
        n = sum(v[0] for v in counts.values())
        got = _BASES[id(counts)] = (counts, sum(v[1] for v in counts.values()) / n if n else 0.0)
    return got[1]


def prior_counts(
    documents: Iterable[tuple[Iterable[tuple[str, str]], Iterable[tuple[str, str]]]],
) -> dict[str, dict[str, tuple[int, int]]]:
    """The table :func:`concept_prior` reads, counted from training documents, each given as (its
    candidate (compound, condition) pairs, its gold adverse pairs): per kind, per concept, the
    documents holding it in a candidate pair and those where it is in a gold pair.

    >>> prior_counts([([("c1", "d1"), ("c1", "d2")], [("c1", "d1")]), ([("c1", "d2")], [])])
    {'compound': {'c1': (2, 1)}, 'condition': {'d1': (1, 1), 'd2': (2, 0)}}
    """
    counts: dict[str, Counter[str]] = {"compound": Counter(), "condition": Counter()}
    hits: dict[str, Counter[str]] = {"compound": Counter(), "condition": Counter()}
    for pairs, gold in documents:
        pairs, gold = list(pairs), list(gold)
        for i, kind in enumerate(("compound", "condition")):
            true = {p[i] for p in gold}
            for c in {p[i] for p in pairs}:
                counts[kind][c] += 1
                hits[kind][c] += c in true
    return {
        kind: {c: (n, hits[kind][c]) for c, n in sorted(counts[kind].items())} for kind in counts
    }


def add_priors(
    features: dict[tuple[str, str], dict[str, float]],
    priors: dict[str, dict[str, tuple[int, int]]],
    smoothing: float = 4.0,
) -> dict[tuple[str, str], dict[str, float]]:
    """``features`` with each pair's ``prior: compound`` and ``prior: condition``
    (:func:`concept_prior` of the pair's compound and condition in ``priors``), in place.

    >>> f = add_priors({("c1", "d1"): {}}, {"compound": {"c1": (4, 4), "c2": (4, 0)}})
    >>> round(f[("c1", "d1")]["prior: compound"], 2), f[("c1", "d1")]["prior: condition"]
    (1.1, 0.0)
    """
    chem, dis = priors.get("compound", {}), priors.get("condition", {})
    for (a, b), f in features.items():
        f["prior: compound"] = concept_prior(chem, a, smoothing)
        f["prior: condition"] = concept_prior(dis, b, smoothing)
    return features
