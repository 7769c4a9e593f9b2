"""Sentence splitting for research text: abbreviations, decimals, initials and lists do not end one.

>>> text = "Ketamine (approx. 0.5 mg/kg) was given. Dr. Smith et al. saw e.g. less pain! Next line\\nNew one."
>>> [text[s.start:s.end] for s in split_sentences(text)]
['Ketamine (approx. 0.5 mg/kg) was given.', 'Dr. Smith et al. saw e.g. less pain!', 'Next line', 'New one.']
"""

from __future__ import annotations

import re

from ..model import Span

__all__ = ["clause_of", "sentence_of", "split_sentences"]

# A candidate end: . ! ? (with closing quotes/brackets), then white space, then a likely sentence start.
_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n")
_NO_END = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|etc|vs|cf|approx|ca|fig|figs|no|nos|dr|mr|mrs|ms|prof|st|jr|sr|inc|ltd|"
    r"co|resp|ref|refs|eq|vol|pp|sp|spp|var|dept|univ|mg|ml|min|max|h|hr|hrs|wk|wks|yr|yrs|mo|mos)"
    r"|\b[A-Z])\.$",
    re.IGNORECASE,
)


def split_sentences(text: str) -> tuple[Span, ...]:
    """The sentences of ``text`` as spans, leading and trailing white space trimmed, blank ones dropped.

    >>> split_sentences("  One (e.g. this). Two.\\n\\n")
    (Span(start=2, end=18), Span(start=19, end=23))
    """
    spans: list[Span] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if m.group() != "\n":
            head = text[max(start, m.start() - 12) : m.start() + 1]
            if _NO_END.search(head):
                continue
        _add(text, start, end, spans)
        start = end
    _add(text, start, len(text), spans)
    return tuple(spans)


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))


def sentence_of(sentences: tuple[Span, ...], pos: int) -> int:
    """The index of the sentence holding character ``pos`` (the nearest one before it, else 0).

    >>> sentence_of((Span(0, 5), Span(7, 12)), 8)
    1
    """
    lo, hi = 0, len(sentences) - 1
    best = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if sentences[mid].start <= pos:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best


def clause_of(
    text: str,
    terminators: re.Pattern[str],
    start: int,
    end: int,
    lo: int = 0,
    hi: int | None = None,
) -> tuple[int, int]:
    """The clause of ``text[lo:hi]`` (between terminators such as "but" or ";") that holds
    ``start:end``.

    >>> clause_of("A helps, but B hurts.", re.compile(r"\\bbut\\b"), 13, 14)
    (12, 21)
    """
    hi = len(text) if hi is None else hi
    c0, c1 = lo, hi
    for m in terminators.finditer(text, lo, hi):
        if m.end() <= start:
            c0 = m.end()
        elif m.start() >= end:
            c1 = m.start()
            break
    return c0, c1
