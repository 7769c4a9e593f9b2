"""tests/data holds only text written for the tests (issue 18, item 6).

Every run of eight words of every file under tests/data is looked up in the shared corpora's texts;
a hit means a third-party sentence slipped back in (read it from ../shared/corpora instead, see
tests/formats/corpus_cuts.py). And every file is listed in tests/data/README.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from .corpus_cuts import require_corpora

DATA = Path(__file__).resolve().parents[1] / "data"
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
N = 8


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + N]) for i in range(len(words) - N + 1)}


def test_no_third_party_text_in_tests_data() -> None:
    corpora = require_corpora("bc5cdr", "biored", "pgxcorpus/brat")
    ours: dict[tuple[str, ...], Path] = {}
    for path in DATA.rglob("*"):
        if path.is_file() and path.name != "README.md":
            for s in _shingles(path.read_bytes().decode("utf-8", "replace")):
                ours.setdefault(s, path)
    assert len(ours) > 100  # the check has something to look at
    sources = [
        *corpora.glob("bc5cdr/*.PubTator.txt"),
        *corpora.glob("biored/*.PubTator.txt"),
        *corpora.glob("pgxcorpus/brat/*.txt"),
    ]
    assert len(sources) > 10
    for source in sources:
        hits = _shingles(source.read_text(encoding="utf-8", errors="replace")) & ours.keys()
        assert not hits, (
            f"{ours[next(iter(hits))].relative_to(DATA)} holds text from {source.name}: "
            f"{' '.join(next(iter(hits)))!r}"
        )


def test_every_file_is_listed_in_the_readme() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for path in DATA.rglob("*"):
        if not path.is_file() or path.name == "README.md":
            continue
        rel = path.relative_to(DATA).as_posix()
        folder, name = rel.rsplit("/", 1) if "/" in rel else ("", rel)
        stem = name.split(".", 1)[0]
        listed = (
            rel in readme
            or f"{folder}/{stem}." in readme  # `brat/handmade_note.{txt,ann}`
            or f"{folder}/*" in readme  # `pubtator/malformed/*.pubtator`
        )
        assert listed, f"tests/data/{rel} is not in tests/data/README.md"
