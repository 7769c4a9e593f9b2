"""A build that reads its sources in a second process (``read_ahead``) builds the same graph, reports
the same warnings, fails the same way and leaves no process behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks import synthetic
from kgraph.build import READ_AHEAD_BYTES, _sources_bytes, build_store, documents_ahead
from kgraph.errors import FormatError
from kgraph.store import open_store
from kgraph.vocab import GRAPH_DATA, corpus_dir

DATA = Path(__file__).parent / "data"


def _build(sources: list[Path], ahead: bool, lenient: bool = True):
    store = open_store("memory:")
    report = build_store(store, sources, lenient=lenient, read_ahead=ahead)
    lines = store.dump("nq").decode().splitlines()  # the ontology's blank nodes differ per load
    return sorted(x for x in lines if x.endswith(f"<{GRAPH_DATA}> .")), report


def _children() -> set[int]:
    """The processes this one started that are still there."""
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid() and fields[0] != "Z":
                out.add(int(d.name))
    return out


def test_the_same_graph_and_report_with_a_reading_process(tmp_path: Path):
    """Imported corpora (levels and hedging added in the reading process), the bundled corpus, a
    brat folder, files with recoverable problems: the same N-Quads, counts and warnings, in order."""
    sources = synthetic.write_corpus(tmp_path / "syn", 120, per_file=50)
    malformed = DATA / "pubtator" / "malformed"
    sources = [
        *sources,
        malformed / "text_mismatch.pubtator",
        DATA / "pubtator" / "handmade.PubTator.txt",
        DATA / "brat",
        malformed / "unknown_endpoint.pubtator",
        corpus_dir(),
    ]
    before = _children()
    plain, plain_report = _build(sources, ahead=False)
    ahead, ahead_report = _build(sources, ahead=True)
    assert ahead == plain
    assert ahead_report.summary() == plain_report.summary()
    assert ahead_report.warnings == plain_report.warnings
    assert plain_report.skipped  # the broken file was reported, by both
    assert _children() <= before


def test_an_error_stops_the_build_as_without_it(tmp_path: Path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.txt").write_text("Ketamine.\n")
    (bad / "a.ann").write_text("T1\tCompound 0 8\tKetamine\nT2\tnot a line\n")
    before = _children()
    with pytest.raises(FormatError) as plain:
        _build([corpus_dir(), bad], ahead=False, lenient=False)
    with pytest.raises(FormatError) as ahead:
        _build([corpus_dir(), bad], ahead=True, lenient=False)
    assert str(ahead.value) == str(plain.value)
    assert "a.ann" in str(ahead.value)
    assert _children() <= before


def test_stopping_early_stops_the_reading_process(tmp_path: Path):
    sources = synthetic.write_corpus(tmp_path / "syn", 400, per_file=100)
    before = _children()
    per_source = documents_ahead(sources)
    first = next(iter(next(per_source)))
    assert first.id
    assert _children() - before  # it is reading
    per_source.close()
    assert _children() <= before


def test_big_sources_are_read_ahead(tmp_path: Path):
    big = tmp_path / "big.PubTator.txt"
    big.write_bytes(b"x" * READ_AHEAD_BYTES)
    assert _sources_bytes([tmp_path], READ_AHEAD_BYTES) >= READ_AHEAD_BYTES
    assert _sources_bytes([corpus_dir()], READ_AHEAD_BYTES) < READ_AHEAD_BYTES
