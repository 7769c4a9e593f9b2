"""Fuzzing the kgraph corpus format (``manifest.toml`` + brat pairs) and building what it reads.

(a) arbitrary bytes as the manifest, and generated manifests whose fields (ids included) are
    hostile; (b) the bundled corpus with its manifest, one ``.ann`` or one ``.txt`` mutated;
(c) whatever is read builds leniently into a memory store. A document id can never name a file
outside the corpus folder. See ``conftest.py`` for the profiles and the hard timeout.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgraph.errors import FormatError

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
#: The smallest bundled document, and a manifest naming only it (fast to read and build).
SMALL = "northwestern-ketamine-neurogenesis"
SECRET = "this text lives outside the corpus folder"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled corpus, plus a pair *outside* it that no id may reach."""
    root = tmp_path_factory.mktemp("corpus-fuzz")
    shutil.copytree(CORPUS, root / "corpus")
    (root / "outside.txt").write_text(SECRET + "\n")
    (root / "outside.ann").write_text("T1\tCompound 0 4\tthis\n")
    return root / "corpus"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-document corpus whose files the tests overwrite."""
    folder = tmp_path_factory.mktemp("small") / "corpus"
    folder.mkdir()
    for suffix in (".txt", ".ann"):
        shutil.copy(CORPUS / f"{SMALL}{suffix}", folder / f"{SMALL}{suffix}")
    return folder


def small_manifest(**fields: str) -> str:
    entry = {
        "id": SMALL,
        "title": "How ketamine helps depression quickly and over time",
        "publisher": "Knowridge Science Report",
        "date": "2025",
        "source_type": "ScienceNews",
        **fields,
    }
    body = "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in entry.items())
    return "[[document]]\n" + body


def read_corpus(fuzz, folder: Path, *, build: bool = True) -> list | FormatError:
    result = fuzz.read("kgraph", folder)
    lenient = fuzz.read("kgraph", folder, lenient=True)
    for docs in (result, lenient):
        if isinstance(docs, list):
            for doc in docs:  # nothing read from outside the folder
                assert SECRET not in doc.text
    if build and isinstance(lenient, list):
        fuzz.build(lenient)
    return result


def test_the_small_corpus_reads_and_builds(fuzz, small: Path) -> None:
    (small / "manifest.toml").write_text(small_manifest())
    docs = read_corpus(fuzz, small, build=False)
    assert isinstance(docs, list) and [d.id for d in docs] == [SMALL]
    assert fuzz.build(docs) > 100


# (a) arbitrary and generated manifests


@given(data=st.binary(max_size=4096))
def test_arbitrary_manifest_bytes(fuzz, small: Path, data: bytes) -> None:
    (small / "manifest.toml").write_bytes(data)
    read_corpus(fuzz, small)


IDS = [
    SMALL,
    "../outside",
    "../corpus/" + SMALL,
    "/etc/passwd",
    "..",
    ".",
    "",
    " ",
    SMALL + "\x00",
    SMALL + "/",
    "C:\\x",
    "nosuch",
    "~",
]
KEYS = ["id", "title", "publisher", "date", "source_type", "author", "url", "seed", "language"]
toml_value = (
    st.sampled_from(IDS)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "ScienceNews",
            "https://example.org/a b",
            "javascript:alert(1)",
            "<img src=x onerror=alert(1)>",
            "%zz",
        ]
    )
)


class Raw(str):
    """A TOML value written as it is (an array, an inline table, a date, a number)."""


def toml_entry(fields: dict[str, str]) -> str:
    lines = ["[[document]]"]
    for key, value in fields.items():
        shown = value if isinstance(value, Raw) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{json.dumps(key, ensure_ascii=False)} = {shown}")
    return "\n".join(lines) + "\n"


raw_values = st.sampled_from(["[1, 2]", "{a = 1}", "1979-05-27T07:32:00Z", "true", "-0"])
entry = st.dictionaries(
    st.sampled_from(KEYS) | st.text(max_size=6),
    toml_value | st.integers().map(str).map(Raw) | raw_values.map(Raw),
    max_size=9,
)


@given(entries=st.lists(entry, max_size=4), fixed=st.booleans())
def test_generated_manifests(fuzz, small: Path, entries: list[dict], fixed: bool) -> None:
    text = (small_manifest() if fixed else "") + "\n".join(toml_entry(e) for e in entries)
    (small / "manifest.toml").write_text(text, encoding="utf-8")
    read_corpus(fuzz, small)


# (b) the bundled corpus, mutated


@given(data=st.data())
def test_mutated_corpus(fuzz, corpus: Path, data: st.DataObject) -> None:
    files = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".toml", ".ann", ".txt"))
    name = data.draw(st.sampled_from(files), label="file")
    original = (CORPUS / name).read_bytes()
    (corpus / name).write_bytes(data.draw(fuzz.mutated(original), label="mutated"))
    try:
        read_corpus(fuzz, corpus)
    finally:
        (corpus / name).write_bytes(original)


# regressions and bounds


@pytest.mark.parametrize(
    ("manifest", "words"),
    [
        (b'[[document]]\nid = "x"\ntitle = "caf\xe9"\n', "UTF-8"),  # was UnicodeDecodeError
        (b"document = [1, 2]\n", "array of tables"),  # was AttributeError
        (b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested"),  # was RecursionError
    ],
    ids=["latin1", "not-tables", "deep"],
)
def test_manifest_regressions(fuzz, small: Path, manifest: bytes, words: str) -> None:
    (small / "manifest.toml").write_bytes(manifest)
    result = fuzz.read("kgraph", small)
    assert isinstance(result, FormatError) and words in result.message, result


@pytest.mark.parametrize("doc_id", ["../outside", "../corpus/" + SMALL, "/etc/passwd", ".."])
def test_an_id_cannot_reach_outside_the_corpus(fuzz, corpus: Path, doc_id: str) -> None:
    """An id was joined to the folder as it was: ``../outside`` read a pair beside the corpus."""
    manifest = corpus / "manifest.toml"
    original = manifest.read_bytes()
    try:
        manifest.write_text(small_manifest(id=doc_id))
        result = fuzz.read("kgraph", corpus)
        assert isinstance(result, FormatError) and "file name" in result.message, result
        assert result.line == 1 and result.document == doc_id
    finally:
        manifest.write_bytes(original)


def test_a_url_that_is_no_link_builds_with_a_warning(fuzz, small: Path) -> None:
    (small / "manifest.toml").write_text(small_manifest(url="not a url %zz"))
    docs = fuzz.read("kgraph", small)
    assert isinstance(docs, list)
    from kgraph.build import Builder
    from kgraph.store import open_store

    builder = Builder()
    open_store("memory:").replace(builder.lines(docs))
    assert builder.report.skipped == {"url is not an http(s) URL": 1}


def test_50_mb_manifest_line_in_bounded_memory(small: Path) -> None:
    """A 50 MB title is refused (a field is at most ``MAX_FIELD`` characters) with an error naming
    the manifest's line, and reading it stays in bounded memory. tomllib is pure Python and slow
    under tracemalloc, so this one measures the peak resident size of a child process
    (``ru_maxrss``) before and after the read."""
    from kgraph.formats.native import MAX_FIELD

    size = 50 * 2**20
    (small / "manifest.toml").write_text(small_manifest(title="a" * size))
    script = (
        "import json, resource, sys\n"
        "from kgraph.errors import FormatError\n"
        "from kgraph.formats import formats\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        "    error = len(list(formats()['kgraph'].read(sys.argv[1]))[0].metadata['title'])\n"
        "except FormatError as e:\n"
        "    error = str(e)\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps([error, (after - before) * 1024]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(small)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    error, grew = json.loads(out.stdout)
    assert error == (
        f"{small / 'manifest.toml'}:3: document {SMALL}: title is {size:,} characters long "
        f"(the limit is {MAX_FIELD:,})"
    )
    assert grew < 8 * size, f"the read grew the process by {grew / 2**20:.0f} MiB"
