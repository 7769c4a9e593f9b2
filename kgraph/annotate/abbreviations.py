"""In-document abbreviation definitions, after Schwartz & Hearst (2003): "long form (SF)".

A short form in brackets is defined by the words before it when each of its characters can be
found, right to left, in those words, its first character starting a word.

>>> text = "Treatment-resistant depression (TRD) responds to ketamine. TRD is common."
>>> [(a.short, a.long) for a in find_abbreviations(text)]
[('TRD', 'Treatment-resistant depression')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Span

__all__ = ["Abbreviation", "find_abbreviations"]

_PAREN = re.compile(r"\(([^()\n]{1,12})\)")


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """A short form, its long form and where each stands.

    >>> a = find_abbreviations("major depression (MD)")[0]
    >>> a.long, a.long_span, a.short_span
    ('major depression', Span(start=0, end=16), Span(start=18, end=20))
    """

    short: str
    long: str
    long_span: Span
    short_span: Span


def _best_long(short: str, words_text: str) -> int | None:
    """Schwartz–Hearst: the start index in ``words_text`` of the shortest long form of ``short``."""
    s = short.lower()
    t = words_text.lower()
    si, li = len(s) - 1, len(t) - 1
    while si >= 0:
        c = s[si]
        if not c.isalnum():
            si -= 1
            continue
        while li >= 0 and (t[li] != c or (si == 0 and li > 0 and t[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        si -= 1
        li -= 1
    return li + 1


def find_abbreviations(text: str) -> tuple[Abbreviation, ...]:
    """Every "long form (SF)" definition of ``text``, first definition of each short form kept.

    >>> [a.short for a in find_abbreviations("brain-derived neurotrophic factor (BDNF) and (x1)")]
    ['BDNF']
    """
    out: dict[str, Abbreviation] = {}
    for m in _PAREN.finditer(text):
        short = m.group(1).strip()
        if not (2 <= len(short) <= 10) or not short[0].isalnum() or " " in short.strip():
            continue
        if not any(c.isalpha() for c in short) or short in out:
            continue
        before = text[max(0, m.start() - 120) : m.start()].rstrip()
        words = re.findall(r"\S+", before)
        n = min(len(words), len(short) + 5, 2 * len(short))
        if n == 0:
            continue
        window = " ".join(words[-n:])
        start = _best_long(short, window)
        if start is None:
            continue
        long = window[start:].strip(" ,;:")
        if len(long) <= len(short) or long.lower() == short.lower():
            continue
        lstart = before.rfind(long)  # the words were re-joined by single spaces
        if lstart < 0:
            continue
        offset = max(0, m.start() - 120) + lstart
        sstart = m.start(1) + m.group(1).find(short)
        out[short] = Abbreviation(
            short, long, Span(offset, offset + len(long)), Span(sstart, sstart + len(short))
        )
    return tuple(out.values())
