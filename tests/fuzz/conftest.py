"""Hypothesis profiles and shared helpers of the fuzz suite.

Profiles (``HYPOTHESIS_PROFILE`` names one; otherwise ``ci`` when ``CI`` is set, else ``dev``):

* ``ci`` — a bounded number of examples per test, derandomised so that a CI run is reproducible
  and the whole suite stays well under 90 s;
* ``dev`` — the default on a workstation: random, a few more examples;
* ``long`` — the long run of ``docs/reliability.md``: ``HYPOTHESIS_PROFILE=long pytest tests/fuzz``.

The helpers are fixtures (so both test modules share them under any pytest import mode):
``fuzz`` bundles the mutation strategy, the property check of a read, the build check and a hard
per-example timeout. Hypothesis' ``deadline`` only judges an example once it has finished, so each
read also runs under a ``SIGALRM`` timer that interrupts a read that loops.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from kgraph.build import Builder
from kgraph.errors import FormatError, GroundingError
from kgraph.formats import formats
from kgraph.model import Document
from kgraph.store import open_store

_COMMON = {
    # reading a small file and building it takes milliseconds; seconds means a bug
    "deadline": timedelta(seconds=5),
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("ci", max_examples=60, derandomize=True, **_COMMON)
settings.register_profile("dev", max_examples=150, **_COMMON)
settings.register_profile("long", max_examples=5000, **_COMMON)


def profile_name() -> str:
    """The profile of this run: ``$HYPOTHESIS_PROFILE``, else ``ci`` under CI, else ``dev``."""
    explicit = os.environ.get("HYPOTHESIS_PROFILE")
    if explicit:
        return explicit
    return "ci" if os.environ.get("CI") else "dev"


settings.load_profile(profile_name())

#: Seconds one read (or one build) may take before the example counts as a hang.
HARD_TIMEOUT = float(os.environ.get("KGRAPH_FUZZ_TIMEOUT", "20"))

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "corpus"

# ---------------------------------------------------------------------------------------------
# Mutations of valid files

#: Byte strings that readers treat specially or that break text: structure, line ends,
#: NUL, invalid or surprising UTF-8 (lone continuation byte, truncated sequence, an encoded
#: surrogate, BOM, RTL override, astral emoji), JSON/XML/TOML syntax and escapes.
SPECIAL = (
    b"\t",
    b"\r",
    b"\r\n",
    b"\n",
    b"\n\n",
    b"\x00",
    b"\x0b",
    b"\x1c",
    b"\x80",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    "\u202e".encode(),
    "\u2028".encode(),
    "\U0001f600".encode(),
    "\u0663".encode(),  # ARABIC-INDIC DIGIT THREE: str.isdigit() and \d say yes
    "\u00b2".encode(),  # SUPERSCRIPT TWO: str.isdigit() says yes, int() says no
    b"|",
    b";",
    b":",
    b" ",
    b'"',
    b"\\",
    b"\\u",
    b"\\ud800",
    b"\\udc00",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"<",
    b">",
    b"&",
    b"&#0;",
    b"&#xD800;",
    b"]]>",
    b"<!ENTITY x 'y'>",
    b"-",
    b"--",
    b"0",
    b"-1",
    b"1e999",
    b"NaN",
    b"null",
    b"true",
    b"9" * 40,
    b"1" * 5000,
)

#: What a run of digits (an offset, a length, an id) may become.
NUMBERS = (
    b"",
    b"0",
    b"-1",
    b"-0",
    b"1",
    b"2147483648",
    b"18446744073709551616",
    b"9" * 40,
    b"1" * 5000,
    b"1.5",
    b"1e3",
    b"0x10",
    "\u0663".encode(),
    "\u00b2".encode(),
    b"--5",
)

_DIGITS = re.compile(rb"\d+")
#: The kinds of mutation, numbers and special strings weighted up: they find the most bugs.
KINDS = (
    "delete-line",
    "duplicate-line",
    "swap-lines",
    "truncate-line",
    "flip",
    "insert",
    "delete",
    "truncate",
    *("number",) * 4,
    *("special",) * 3,
    *("special-at-line-end",) * 2,
)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


@st.composite
def _mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """One mutation of ``data``: line-level, byte-level, a number, or a special string."""
    kind = draw(st.sampled_from(KINDS))
    n = len(data)
    if kind in ("delete-line", "duplicate-line", "swap-lines", "truncate-line"):
        lines = _lines(data)
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete-line":
            del lines[i]
        elif kind == "duplicate-line":
            lines.insert(i, lines[i])
        elif kind == "swap-lines":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines = lines[:i]
        return b"".join(lines)
    if kind == "special-at-line-end":
        lines = _lines(data)
        i = draw(st.integers(0, len(lines) - 1))
        body = lines[i].rstrip(b"\r\n")
        lines[i] = body + draw(st.sampled_from(SPECIAL)) + lines[i][len(body) :]
        return b"".join(lines)
    if kind == "number":
        runs = list(_DIGITS.finditer(data))
        if runs:
            m = draw(st.sampled_from(runs))
            value = draw(st.sampled_from(NUMBERS) | st.integers(-5, 100_000).map(_ascii))
            return data[: m.start()] + value + data[m.end() :]
        kind = "special"
    pos = draw(st.integers(0, n))
    if kind == "flip" and n:
        pos = min(pos, n - 1)
        bit = 1 << draw(st.integers(0, 7))
        return data[:pos] + bytes([data[pos] ^ bit]) + data[pos + 1 :]
    if kind == "insert":
        return data[:pos] + draw(st.binary(min_size=1, max_size=8)) + data[pos:]
    if kind == "delete":
        end = min(n, pos + draw(st.integers(1, 64)))
        return data[:pos] + data[end:]
    if kind == "truncate":
        return data[:pos]
    return data[:pos] + draw(st.sampled_from(SPECIAL)) + data[pos:]


def _ascii(n: int) -> bytes:
    return str(n).encode()


@st.composite
def mutated(draw: st.DrawFn, data: bytes, max_mutations: int = 4) -> bytes:
    """``data`` after one to ``max_mutations`` random mutations."""
    for _ in range(draw(st.integers(1, max_mutations))):
        data = draw(_mutation(data))
    return data


# ---------------------------------------------------------------------------------------------
# The properties


class Hang(Exception):
    """A read or build ran past :data:`HARD_TIMEOUT` (raised from a SIGALRM handler)."""


@contextmanager
def hard_timeout(seconds: float = HARD_TIMEOUT) -> Iterator[None]:
    """Raise :class:`Hang` inside the block once ``seconds`` have passed (main thread only)."""

    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"no answer after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_format_error(error: FormatError) -> None:
    """A FormatError must say where (the file) and what."""
    assert error.path, f"FormatError without a path: {error!r}"
    assert error.message.strip(), f"FormatError without a message: {error!r}"
    assert str(error).startswith(error.path)


def read_checked(fmt: str, path: Path, *, lenient: bool = False) -> list[Document] | FormatError:
    """Read ``path`` with reader ``fmt``: the documents, or the FormatError it raised.

    Any other exception (or a hang) propagates and fails the test. With ``lenient``, the
    recoverable problems go to an ``on_issue`` callback, which must only receive FormatErrors.
    """
    reader = formats()[fmt]
    issues: list[FormatError] = []
    options = {"on_issue": issues.append} if lenient else {}
    try:
        with hard_timeout():
            docs = list(reader.read(path, **options))
    except FormatError as e:
        check_format_error(e)
        return e
    for issue in issues:
        assert isinstance(issue, FormatError)
        check_format_error(issue)
    for doc in docs:
        assert isinstance(doc, Document)
        _check_document(doc)
    return docs


def _check_document(doc: Document) -> None:
    """What every document a reader yields must satisfy, whatever its input was."""
    assert isinstance(doc.id, str) and doc.id
    assert isinstance(doc.text, str)
    doc.text.encode("utf-8")  # no lone surrogates: the text must be writable as UTF-8
    for m in doc.mentions:
        for s in m.spans:
            assert 0 <= s.start <= s.end <= len(doc.text), (doc.id, m)


def build_checked(docs: list[Document]) -> int:
    """Build ``docs`` leniently into a memory store; only Format/GroundingError may escape.

    Returns how many triples the store holds (0 when the build raised a FormatError).
    """
    builder = Builder(lenient=True)
    store = open_store("memory:")
    try:
        with hard_timeout():
            store.replace(builder.lines(docs))
    except (FormatError, GroundingError) as e:  # the only errors a lenient build may raise
        assert e.message.strip(), repr(e)
        return 0
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
    return int(rows[0][0].value)


@dataclass(frozen=True)
class Fuzz:
    """The helpers, as one fixture: ``fuzz.mutated(data)``, ``fuzz.read(fmt, path)``, …"""

    mutated: Callable[..., st.SearchStrategy[bytes]]
    read: Callable[..., list[Document] | FormatError]
    build: Callable[[list[Document]], int]
    timeout: Callable[..., object]


@pytest.fixture(scope="session")
def fuzz() -> Fuzz:
    return Fuzz(mutated=mutated, read=read_checked, build=build_checked, timeout=hard_timeout)
