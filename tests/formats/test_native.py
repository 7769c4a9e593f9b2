"""The kgraph corpus format (manifest.toml + brat pairs): a catalogue of broken manifests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kgraph.errors import FormatError
from kgraph.formats import native
from kgraph.vocab import corpus_dir

GOOD = """[[document]]
id = "northwestern-ketamine-neurogenesis"
title = "How ketamine helps depression quickly and over time"
publisher = "Knowridge Science Report"
date = "2025"
source_type = "ScienceNews"
"""

# (name, manifest text, expected line or None, words the message must contain)
BAD = [
    ("invalid TOML", GOOD + 'title = "twice"\n', 7, "invalid TOML"),
    ("no documents", "# nothing here\n", None, "no [[document]]"),
    (
        "missing title",
        GOOD.replace('title = "How ketamine helps depression quickly and over time"\n', ""),
        1,
        "lacks title",
    ),
    (
        "missing source type",
        GOOD.replace('source_type = "ScienceNews"\n', ""),
        1,
        "lacks source_type",
    ),
    ("unknown field", GOOD + 'colour = "red"\n', 1, "unknown field"),
    ("duplicate id", GOOD + "\n" + GOOD, 8, "duplicate document id"),
    (
        "duplicate id after a title with a line separator",  # TOML lines end at \n only
        GOOD.replace("quickly", "quickly\u2028") + "\n" + GOOD,
        8,
        "duplicate document id",
    ),
    (
        "missing annotation file",
        GOOD.replace("northwestern-ketamine-neurogenesis", "nowhere"),
        1,
        "nowhere.ann is missing",
    ),
    (
        "id escaping the folder",
        GOOD.replace('"northwestern-ketamine-neurogenesis"', '"../outside"'),
        1,
        "id",
    ),
    ("document is not a table", "document = [1, 2]\n", None, "document"),
    ("not UTF-8", GOOD.replace("Knowridge", "Kn\udcffowridge"), None, "UTF-8"),
]


@pytest.mark.parametrize(("name", "manifest", "line", "words"), BAD, ids=[b[0] for b in BAD])
def test_broken_manifest_is_a_format_error(tmp_path, name, manifest, line, words) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for suffix in (".txt", ".ann"):
        src = corpus_dir() / f"northwestern-ketamine-neurogenesis{suffix}"
        shutil.copy(src, folder / src.name)
    path = folder / "manifest.toml"
    path.write_bytes(manifest.encode("utf-8", "surrogateescape"))
    with pytest.raises(FormatError) as info:
        list(native.read(folder))
    assert info.value.path == str(path)
    assert words in str(info.value)
    if line is not None:
        assert info.value.line == line


def test_good_manifest_reads_its_metadata(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for suffix in (".txt", ".ann"):
        shutil.copy(corpus_dir() / f"northwestern-ketamine-neurogenesis{suffix}", folder)
    (folder / "manifest.toml").write_text(GOOD)
    [doc] = native.read(folder)
    assert doc.metadata["publisher"] == "Knowridge Science Report"
    assert doc.metadata["format"] == "kgraph" and doc.relations
