"""Offsets and recoverable problems, shared by the PubTator, BioC and PubAnnotation readers.

* :func:`check_span` validates a mention's offsets against the document text (and moves a mention
  whose text lies a few characters away onto it).
* :func:`report` sends a recoverable problem to the caller's ``on_issue`` callback, or raises it.

>>> from kgraph.model import Span
>>> check_span("Aspirin helps.", (Span(0, 7),), "Aspirin", what="M1", on_issue=None,
...            path="x", line=1, document="d")
(Span(start=0, end=7),)
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations, islice

from ..errors import FormatError
from ..model import Span

__all__ = ["check_span", "report"]


def check_span(
    text: str,
    spans: tuple[Span, ...],
    quoted: str | None,
    *,
    what: str,
    on_issue: Callable[[FormatError], None] | None,
    path: str,
    line: int | None,
    document: str,
) -> tuple[Span, ...]:
    """Check ``spans`` against ``text`` and the source's own ``quoted`` text; return the spans to keep.

    Offsets past the end of the text are unrecoverable (:class:`FormatError`). A quoted text that
    differs from the text the spans cover is a recoverable problem: it goes to ``on_issue`` (or is
    raised when there is no callback). When the quoted text (for a discontinuous mention: its
    pieces, cut at spaces) occurs within a few characters of the given spans, the spans are moved
    onto it (the nearest occurrence) and the message says so; otherwise they are kept as given.
    The mention keeps the source's quoted text either way. The four such errors in BC5CDR's BioC
    files are all one or two characters off and are all moved right.

    >>> from kgraph.model import Span
    >>> issues = []
    >>> check_span("a salt b", (Span(1, 5),), "salt", what="T1", on_issue=issues.append,
    ...            path="x.ann", line=1, document="d")
    (Span(start=2, end=6),)
    >>> print(issues[0])
    x.ann:1: document d: T1: text 'salt' is not at 1-5 (that reads ' sal'); moved to 2-6
    """
    n = len(text)
    for s in spans:
        if s.end > n:
            raise FormatError(
                f"{what}: offsets {s.start}-{s.end} run past the end of the text ({n} characters)",
                path=path,
                line=line,
                document=document,
            )
    if quoted is None:
        return spans
    if len(spans) == 1:
        s = spans[0]
        if text[s.start : s.end] == quoted:
            return spans
    elif " ".join(text[s.start : s.end] for s in spans) == quoted:
        return spans
    covered = " ".join(text[s.start : s.end] for s in spans)
    fixed = _nearby(text, spans, quoted)
    where = ", ".join(f"{s.start}-{s.end}" for s in spans)
    if fixed is not None:
        to = ", ".join(f"{s.start}-{s.end}" for s in fixed)
        msg = f"{what}: text {quoted!r} is not at {where} (that reads {covered!r}); moved to {to}"
        result = fixed
    else:
        msg = f"{what}: text {quoted!r} does not match the text at {where} ({covered!r}); kept as given"
        result = spans
    report(on_issue, FormatError(msg, path=path, line=line, document=document))
    return result


#: How far from the given offset :func:`check_span` looks for a misplaced mention text.
_WINDOW = 16
#: At most this many ways of cutting a discontinuous mention's text are tried.
_MAX_CUTS = 256


def _nearby(text: str, spans: tuple[Span, ...], quoted: str) -> tuple[Span, ...] | None:
    """Spans, each within :data:`_WINDOW` characters of the given one, that cover ``quoted``.

    For a discontinuous mention the quoted text is cut at spaces into one piece per span (BioC
    joins fragments with a space); the cut whose pieces all lie nearest their spans wins.
    """
    if not quoted:
        return None
    k = len(spans)
    blanks = [i for i, c in enumerate(quoted) if c == " "]
    best: tuple[int, tuple[Span, ...]] | None = None
    for cut in islice(combinations(blanks, k - 1), _MAX_CUTS):
        bounds = [0, *cut, len(quoted)]
        found = []
        cost = 0
        for j, s in enumerate(spans):
            piece = quoted[bounds[j] + (1 if j else 0) : bounds[j + 1]]
            at = _nearest(text, s, piece)
            if at is None:
                break
            found.append(Span(at, at + len(piece)))
            cost += abs(at - s.start)
        else:
            if best is None or cost < best[0]:
                best = (cost, tuple(found))
    return None if best is None else best[1]


def _nearest(text: str, s: Span, piece: str) -> int | None:
    if not piece:
        return None
    lo = max(0, s.start - _WINDOW)
    hi = min(len(text), s.end + _WINDOW)
    best: int | None = None
    i = text.find(piece, lo, hi)
    while i != -1:
        if best is None or abs(i - s.start) < abs(best - s.start):
            best = i
        i = text.find(piece, i + 1, hi)
    return best


def report(on_issue: Callable[[FormatError], None] | None, error: FormatError) -> None:
    """Hand a recoverable ``error`` to ``on_issue``, or raise it when there is no callback.

    >>> seen = []
    >>> report(seen.append, FormatError("odd", path="x.ann"))
    >>> seen
    [FormatError('x.ann: odd')]
    >>> report(None, FormatError("odd", path="x.ann"))
    Traceback (most recent call last):
    ...
    kgraph.errors.FormatError: x.ann: odd
    """
    if on_issue is None:
        raise error
    on_issue(error)
