"""Dictionaries learnt from annotated documents: gold mention strings and how often they are annotated.

A corpus with entity annotations (BC5CDR, BioRED, a curated kgraph corpus) gives a dictionary for the
matcher: every mention string with the identifier it is most often given. Some strings are names only
now and then ("depressed", "SD", "death"): :func:`annotation_ratios` counts, for every name the
matcher finds in the annotated documents, how often a gold mention stands exactly there, and
:func:`rarely_annotated` lists the names below a ratio, for ``Matcher(…, drop=…)``.
:func:`word_substitutions` learns which words the annotated names of one concept swap ("heart
failure" / "cardiac failure") and :func:`with_substitutions` gives every name those swaps.

>>> from kgraph.model import Document, Mention, Span
>>> from kgraph.annotate.rules import load_rules
>>> d = Document("1", "Aspirin eased fever. Aspirin-treated fever was studied.", (
...     Mention("T1", "Chemical", (Span(0, 7),), "Aspirin", ("MESH:D001241",)),
...     Mention("T2", "Disease", (Span(14, 19),), "fever", ("MESH:D005334",)),))
>>> entries = gold_entries([d])
>>> [(e.name, e.concept) for e in entries]
[('Aspirin', 'MESH:D001241'), ('fever', 'MESH:D005334')]
>>> m = Matcher(entries, load_rules())
>>> annotation_ratios(m, [d])
{'aspirin': (2, 1), 'fever': (2, 1)}
>>> sorted(rarely_annotated(annotation_ratios(m, [d]), 0.6))
['aspirin', 'fever']
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from ..model import Document
from .abbreviations import find_abbreviations
from .matcher import CAPITALS, UNDEFINED, Entry, Matcher
from .rules import load_rules

__all__ = [
    "annotation_ratios",
    "gold_entries",
    "rarely_annotated",
    "with_substitutions",
    "word_substitutions",
]

_NO_ID = ("-1", "-")


def _single_id(concepts: tuple[str, ...]) -> str | None:
    ids = [c for c in concepts if c not in _NO_ID and not c.endswith(":-1")]
    return ids[0] if len(ids) == 1 else None


def gold_entries(
    documents: Iterable[Document],
    types: Iterable[str] = ("Chemical", "Disease"),
    rule: str = "dict.gold",
    matcher: Matcher | None = None,
) -> list[Entry]:
    """One entry per mention string (folded as ``matcher`` folds names) of the given types: the
    identifier and type it is given most often, named by its most frequent spelling. Mentions with
    no identifier or several (composite mentions) give none.

    >>> from kgraph.model import Mention, Span
    >>> ms = [Mention(f"T{i}", "Disease", (Span(0, 6),), t, (c,)) for i, (t, c) in
    ...       enumerate([("Oedema", "D1"), ("edema", "D1"), ("oedema", "D2"), ("oedema", "D1")])]
    >>> [(e.name, e.concept) for e in gold_entries([Document("1", "Oedema", tuple(ms))])]
    [('oedema', 'D1')]
    """
    matcher = matcher or Matcher((), load_rules())
    wanted = frozenset(types)
    votes: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for d in documents:
        for m in d.mentions:
            concept = _single_id(m.concepts)
            if concept is None or m.type not in wanted or not m.text.strip():
                continue
            key = matcher.key(m.text.strip())
            votes[key][(concept, m.type)] += 1
            spellings[key][m.text.strip()] += 1
    out = []
    for key, c in votes.items():
        (concept, type_), _ = c.most_common(1)[0]
        out.append(Entry(spellings[key].most_common(1)[0][0], concept, type_, 1.0, rule))
    return out


def annotation_ratios(
    matcher: Matcher,
    documents: Iterable[Document],
    abbreviations: bool = True,
    per_document: bool = False,
) -> dict[str, tuple[int, int]]:
    """For every name (its :meth:`Matcher.key`) the matcher finds in ``documents``: how many times
    it was found and how many of those a gold mention spans exactly (``per_document``: in how many
    documents it was found, and in how many of those a gold mention spans one of its matches).
    Matches made through a document's abbreviations or a shared list head are not the name's own
    and are not counted. An all-capitals short form in a document that does not define it is
    counted under ``undefined:KEY`` (see :class:`Matcher`'s ``drop``).

    >>> from kgraph.model import Mention, Span
    >>> docs = [Document("1", "Sodium intake. Sodium levels.",
    ...                  (Mention("T1", "Chemical", (Span(0, 6),), "Sodium", ("D1",)),)),
    ...         Document("2", "A sodium channel opened.")]
    >>> m = Matcher(gold_entries(docs, ["Chemical"]), load_rules())
    >>> annotation_ratios(m, docs), annotation_ratios(m, docs, per_document=True)
    ({'sodium': (3, 1)}, {'sodium': (2, 1)})
    """
    seen: Counter[str] = Counter()
    annotated: Counter[str] = Counter()
    for d in documents:
        gold = {(m.start, m.end) for m in d.mentions}
        found = find_abbreviations(d.text)
        defined = {a.short for a in found}
        abbr = found if abbreviations else ()
        here: dict[str, bool] = {}
        for h in matcher.find(d.text, abbr):
            if h.rule in ("lex.abbreviation", "lex.composite"):
                continue
            key = matcher.key(h.text)
            if CAPITALS.match(h.text) and h.text not in defined:
                key = UNDEFINED + key
            ok = (h.start, h.end) in gold
            if per_document:
                here[key] = here.get(key, False) or ok
            else:
                seen[key] += 1
                annotated[key] += ok
        for key, ok in here.items():
            seen[key] += 1
            annotated[key] += ok
    return {k: (n, annotated[k]) for k, n in seen.items()}


def rarely_annotated(
    ratios: dict[str, tuple[int, int]], min_ratio: float, min_seen: int = 1
) -> set[str]:
    """Names found at least ``min_seen`` times and annotated in fewer than ``min_ratio`` of them.

    >>> sorted(rarely_annotated({"death": (9, 1), "sd": (1, 0), "aspirin": (5, 5)}, 0.3, 2))
    ['death']
    """
    return {k for k, (n, a) in ratios.items() if n >= min_seen and a / n < min_ratio}


def _words(matcher: Matcher, e: Entry) -> list[str] | None:
    words = matcher.key(e.name).split()
    return words if len(words) > 1 else None


def word_substitutions(
    entries: Iterable[Entry], matcher: Matcher | None = None, min_concepts: int = 2
) -> set[tuple[str, str]]:
    """Word pairs that names of one concept swap: two names of the same concept and type, as many
    words long, differing in one word ("cardiac failure" / "heart failure"), in at least
    ``min_concepts`` concepts (a swap seen for one concept only may be that concept's quirk).
    Both directions are given; names are compared folded (:meth:`Matcher.key`).

    >>> es = [Entry(n, c, "Disease", 1.0, "d") for n, c in [
    ...     ("heart failure", "D1"), ("cardiac failure", "D1"),
    ...     ("heart disease", "D2"), ("cardiac disease", "D2"), ("renal failure", "D3")]]
    >>> sorted(word_substitutions(es))
    [('cardiac', 'heart'), ('heart', 'cardiac')]
    >>> word_substitutions(es, min_concepts=3)
    set()
    """
    matcher = matcher or Matcher((), load_rules())
    names: dict[tuple[str, str], set[tuple[str, ...]]] = defaultdict(set)
    for e in entries:
        words = _words(matcher, e)
        if words:
            names[(e.concept, e.type)].add(tuple(words))
    support: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for concept, group in names.items():
        ordered = sorted(group)
        for i, x in enumerate(ordered):
            for y in ordered[i + 1 :]:
                if len(x) != len(y):
                    continue
                diff = [j for j in range(len(x)) if x[j] != y[j]]
                if len(diff) == 1:
                    a, b = x[diff[0]], y[diff[0]]
                    support[(a, b)].add(concept)
                    support[(b, a)].add(concept)
    return {pair for pair, concepts in support.items() if len(concepts) >= min_concepts}


def with_substitutions(
    entries: Iterable[Entry],
    pairs: Iterable[tuple[str, str]],
    matcher: Matcher | None = None,
    rule: str = "dict.substitute",
) -> list[Entry]:
    """``entries`` and, for every name of several words, each name one swap of ``pairs`` makes
    (one word at a time), with the name's concept, unless some entry already holds that name.

    >>> es = [Entry("cardiac failure", "D1", "Disease", 1.0, "d"),
    ...       Entry("heart disease", "D2", "Disease", 1.0, "d"),
    ...       Entry("cardiac disease", "D9", "Disease", 1.0, "d")]
    >>> [(e.name, e.concept) for e in with_substitutions(es, {("cardiac", "heart"),
    ...                                                      ("heart", "cardiac")})][3:]
    [('heart failure', 'D1')]
    """
    matcher = matcher or Matcher((), load_rules())
    entries = list(entries)
    swaps: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        swaps[a].add(b)
    have = {matcher.key(e.name) for e in entries}
    out = list(entries)
    for e in entries:
        words = _words(matcher, e)
        if not words:
            continue
        for j, w in enumerate(words):
            for b in sorted(swaps.get(w, ())):
                name = " ".join([*words[:j], b, *words[j + 1 :]])
                if name not in have:
                    have.add(name)
                    out.append(Entry(name, e.concept, e.type, e.score, rule))
    return out
