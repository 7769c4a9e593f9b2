"""Unknown-entity candidates: names the lexicon lacks that look like a drug, receptor, condition,
outcome or dose, proposed at a low score by the ``[[candidate]]`` patterns of ``entities.toml``.

>>> from kgraph.annotate.matcher import Matcher
>>> [(h.text, h.type) for h in find_candidates(Matcher.from_lexicon(), "Zorbamine eased it.", [])]
[('Zorbamine', 'Compound')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..model import Span
from .abbreviations import Abbreviation
from .names import Hit
from .sentences import sentence_of

if TYPE_CHECKING:
    from .matcher import Matcher

__all__ = ["find_candidates"]


def find_candidates(
    matcher: Matcher,
    text: str,
    taken: Iterable[Hit] | Iterable[Span],
    sentences: tuple[Span, ...] = (),
    abbreviations: Iterable[Abbreviation] = (),
) -> list[Hit]:
    """What :meth:`Matcher.candidates` returns: candidates outside the ``taken`` spans, typed by
    their rule (or its ``alt`` class where the sentence says so), with the short forms they define.

    >>> from kgraph.annotate.abbreviations import find_abbreviations
    >>> from kgraph.annotate.matcher import Matcher
    >>> text = "1-(2-chloroethyl)-3-cyclohexyl-1-nitrosourea (CCNU) was given. CCNU caused seizures."
    >>> hits = find_candidates(Matcher.from_lexicon(), text, [], (), find_abbreviations(text))
    >>> [(h.text, h.type) for h in hits][1:]
    [('CCNU', 'Compound'), ('CCNU', 'Compound'), ('seizures', 'AdverseEffect')]
    """
    occupied = sorted((t.start, t.end) for t in taken)
    score = matcher.rules.matching.get("score_candidate", 0.3)
    out: list[Hit] = []
    for c in matcher.rules.candidates:
        for m in c.pattern.finditer(text):
            s, e = m.start(), m.end()
            if m.group().lower() in matcher.rules.stoplist or "\n" in m.group():
                continue
            if any(s < b and a < e for a, b in occupied):
                continue
            type_ = c.type
            if c.alt and c.alt_when is not None:
                sent = _sentence_around(text, sentences, s)
                if c.alt_when.search(text, sent.start, sent.end):
                    type_ = c.alt
            hit = Hit(s, e, m.group(), None, type_, score, c.id)
            if matcher.rules.exclusions and matcher._excluded(text, hit):
                continue
            out.append(hit)
            occupied.append((s, e))
    # a short form defined by a candidate's name ("… nitrosourea (CCNU)") is that candidate too
    for a in abbreviations:
        long_hit = next(
            (h for h in out if h.start <= a.long_span.start + 2 and h.end >= a.long_span.end - 2),
            None,
        )
        if long_hit is None or a.short.lower() in matcher.rules.stoplist:
            continue
        for m in re.finditer(rf"(?<!\w){re.escape(a.short)}(?!\w)", text):
            if not any(m.start() < b and a_ < m.end() for a_, b in occupied):
                out.append(
                    Hit(m.start(), m.end(), a.short, None, long_hit.type, score, long_hit.rule)
                )
                occupied.append((m.start(), m.end()))
    return sorted(out, key=lambda h: h.start)


def _sentence_around(text: str, sentences: tuple[Span, ...], pos: int) -> Span:
    if sentences:
        return sentences[sentence_of(sentences, pos)]
    start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos)) + 1
    ends = [i for i in (text.find(". ", pos), text.find("\n", pos)) if i >= 0]
    return Span(start, min(ends) if ends else len(text))
