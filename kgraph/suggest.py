"""Did you mean …? Close matches of a mistyped name among the names kgraph knows.

One place for every "did you mean": entity names, named queries, parameter values, formats.
Matching is RapidFuzz's weighted ratio on case-folded text (a typo, a missing letter, a different
word order all score high); a candidate must reach ``cutoff`` (0–100).

>>> suggest("ketamin", ["ketamine", "esketamine", "arketamine", "lithium"])
['ketamine', 'arketamine', 'esketamine']
>>> did_you_mean("contested-claim", ["contested-claims", "claims-about"])
"did you mean 'contested-claims'?"
>>> did_you_mean("zzz", ["contested-claims"])
''
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from .errors import KGraphError
from .vocab import KGO, RDF, ontology_dir

__all__ = ["allowed_values", "check_values", "did_you_mean", "suggest", "unknown"]


def suggest(
    word: str, candidates: Iterable[str], *, limit: int = 3, cutoff: float = 75.0
) -> list[str]:
    """The candidates closest to ``word``, best first (at most ``limit``, each ≥ ``cutoff``).

    An exact match (ignoring case) comes first; names differing only in case count once; among
    equal scores the closer spelling wins.

    >>> suggest("SELEC", ["SELECT", "CONSTRUCT", "ASK", "DESCRIBE"], limit=1)
    ['SELECT']
    >>> suggest("clinic", ["PeerReviewedArticle", "ClinicMarketingPage", "ScienceNews"])
    ['ClinicMarketingPage']
    """
    from rapidfuzz import fuzz, process, utils

    names: dict[str, str] = {}  # case-folded → first spelling
    for c in candidates:
        if c:
            names.setdefault(c.casefold(), c)
    if not word or not names:
        return []
    folded = word.casefold()
    spellings = list(names.values())
    exact = [n for n in spellings if n.casefold() == folded]
    scored = process.extract(
        word,
        spellings,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=None,
        score_cutoff=cutoff,
    )

    def rank(hit: tuple) -> tuple:
        # best score first; among equals the closer spelling (edit ratio), then the shorter
        name = hit[0]
        return (-round(hit[1]), -fuzz.ratio(folded, name.casefold()), len(name), name)

    out = exact + [n for n, _, _ in sorted(scored, key=rank) if n not in exact]
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


@lru_cache(maxsize=1)
def _kgo_terms() -> dict[str, frozenset[str]]:
    """Every ``kgo:`` term of the ontology by local name, with the IRIs of its types."""
    import pyoxigraph as ox

    kgo, rdf_type = str(KGO), str(RDF.type)
    types: dict[str, set[str]] = {}
    path = ontology_dir() / "kgraph.ttl"
    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(kgo):
            slot = types.setdefault(t.subject.value[len(kgo) :], set())
            if t.predicate.value == rdf_type and isinstance(t.object, ox.NamedNode):
                slot.add(t.object.value)
    return {k: frozenset(v) for k, v in types.items() if k}


_EXAMPLE = re.compile(r"e\.g\.\s+([A-Za-z][A-Za-z0-9_]*)")
_QUOTED = re.compile(r'"([^"]+)"')
_OWL = "http://www.w3.org/2002/07/owl#"


def allowed_values(param) -> list[str] | None:
    """The values a named-query parameter takes, when its declaration tells them, else ``None``.

    A ``term`` parameter takes the ``kgo:`` terms of the same kind as its example (``e.g.
    ScienceNews`` → every source type; ``e.g. antagonistOf`` → every object property); a
    ``string`` parameter whose description quotes its choices takes those.

    >>> from kgraph.queries import named_queries
    >>> "ClinicMarketingPage" in allowed_values(named_queries()["opinion-only-claims"].param("source_type"))
    True
    >>> allowed_values(named_queries()["outcomes-by-compound"].param("kind"))
    ['therapeutic', 'adverse']
    """
    text = getattr(param, "description", "") or ""
    if param.type == "string":
        quoted = _QUOTED.findall(text)
        return quoted or None
    if param.type != "term":
        return None
    terms = _kgo_terms()
    m = _EXAMPLE.search(text)
    kinds = terms.get(m.group(1), frozenset()) if m else frozenset()
    kinds = kinds - {f"{_OWL}NamedIndividual", f"{_OWL}FunctionalProperty"}
    if not kinds:
        return sorted(terms)
    return sorted(name for name, types in terms.items() if types & kinds)


def check_values(query, values: Mapping[str, str]) -> None:
    """Raise :class:`~kgraph.errors.KGraphError` for a parameter or value ``query`` does not take,
    naming the close matches or the valid values (a wrong value used to give 0 rows silently).

    >>> from kgraph.queries import named_queries
    >>> check_values(named_queries()["opinion-only-claims"], {"source_type": "clinic"})
    Traceback (most recent call last):
    ...
    kgraph.errors.KGraphError: opinion-only-claims: no source_type 'clinic'; did you mean 'ClinicMarketingPage'?
    """
    names = [p.name for p in query.params]
    for key, value in values.items():
        if key not in names:
            raise KGraphError(f"{query.name}: " + unknown("parameter", key, names))
        allowed = allowed_values(query.param(key))
        if allowed is None or value == "" or ":" in value:
            continue  # a CURIE or IRI is checked when it is bound
        if value not in allowed:
            raise KGraphError(f"{query.name}: " + unknown(key, value, allowed))
