"""Dictionaries learnt from annotated documents: gold mention strings and how often they are annotated.

A corpus with entity annotations (BC5CDR, BioRED, a curated kgraph corpus) gives a dictionary for the
matcher: every mention string with the identifier it is most often given. Some strings are names only
now and then ("depressed", "SD", "death"): :func:`annotation_ratios` counts, for every name the
matcher finds in the annotated documents, how often a gold mention stands exactly there, and
:func:`rarely_annotated` lists the names below a ratio, for ``Matcher(…, drop=…)``.

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

__all__ = ["annotation_ratios", "gold_entries", "rarely_annotated"]

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
