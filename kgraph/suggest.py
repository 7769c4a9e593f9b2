"""Did you mean …? Close matches of a mistyped name among the names kgraph knows.

One place for every "did you mean": entity names, named queries, parameter values, formats.
Matching is RapidFuzz's weighted ratio on case-folded text (a typo, a missing letter, a different
word order all score high); a candidate must reach ``cutoff`` (0–100).

>>> suggest("ketamin", ["ketamine", "esketamine", "arketamine", "lithium"])
['ketamine', 'esketamine', 'arketamine']
>>> did_you_mean("contested-claim", ["contested-claims", "claims-about"])
"did you mean 'contested-claims'?"
>>> did_you_mean("zzz", ["contested-claims"])
''
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["did_you_mean", "suggest", "unknown"]


def suggest(
    word: str, candidates: Iterable[str], *, limit: int = 3, cutoff: float = 75.0
) -> list[str]:
    """The candidates closest to ``word``, best first (at most ``limit``, each ≥ ``cutoff``).

    An exact match (ignoring case) comes first; ties keep the candidates' order.

    >>> suggest("SELEC", ["SELECT", "CONSTRUCT", "ASK", "DESCRIBE"], limit=1)
    ['SELECT']
    >>> suggest("clinic", ["PeerReviewedArticle", "ClinicMarketingPage", "ScienceNews"])
    ['ClinicMarketingPage']
    """
    from rapidfuzz import fuzz, process, utils

    names = list(dict.fromkeys(c for c in candidates if c))
    if not word or not names:
        return []
    folded = word.casefold()
    exact = [n for n in names if n.casefold() == folded]
    scored = process.extract(
        word,
        names,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=None,
        score_cutoff=cutoff,
    )
    order = {n: i for i, n in enumerate(names)}
    ranked = sorted(scored, key=lambda hit: (-hit[1], order[hit[0]]))
    out = exact + [n for n, _, _ in ranked if n not in exact]
    return out[:limit]


def did_you_mean(word: str, candidates: Iterable[str], **options) -> str:
    """``"did you mean 'x'?"`` (or ``'x' or 'y'``) for the best matches, or ``""`` when none is close.

    >>> did_you_mean("ketamin", ["ketamine", "esketamine", "lithium"], limit=2)
    "did you mean 'ketamine' or 'esketamine'?"
    """
    found = suggest(word, candidates, **options)
    if not found:
        return ""
    quoted = [repr(x) for x in found]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"did you mean {listed}?"


def unknown(what: str, word: str, candidates: Iterable[str], *, show: int = 12) -> str:
    """One line for an unknown name: the closest matches, else the valid names (at most ``show``).

    >>> unknown("source type", "clinic", ["ClinicMarketingPage", "ScienceNews"])
    "no source type 'clinic'; did you mean 'ClinicMarketingPage'?"
    >>> unknown("named query", "x", ["a", "b"])
    "no named query 'x' (valid: a, b)"
    """
    names = sorted(dict.fromkeys(candidates))
    hint = did_you_mean(word, names)
    if hint:
        return f"no {what} {word!r}; {hint}"
    if not names:
        return f"no {what} {word!r}"
    listed = ", ".join(names[:show]) + (f", … ({len(names)} in all)" if len(names) > show else "")
    return f"no {what} {word!r} (valid: {listed})"
