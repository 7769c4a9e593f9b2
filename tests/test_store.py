"""Stores: atomic replacement on disk, generations, read-only readers, memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph import StoreError, open_store
from kgraph.errors import QueryError
from kgraph.vocab import GRAPH_DATA

G = f"<{GRAPH_DATA}>"


def lines(n: int, value: str = "x") -> list[str]:
    return [f'<http://e/s{i}> <http://e/p> "{value}" {G} .' for i in range(n)]


def count(store) -> int:
    return int(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value)


def test_memory_store_replaces_its_graph() -> None:
    store = open_store("memory:")
    store.replace(lines(3))
    store.replace(lines(2))
    assert count(store) == 2


def test_disk_store_is_a_link_to_the_current_generation(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = open_store(path)
    store.replace(lines(3))
    assert path.is_symlink()
    first = path.resolve()
    store.replace(lines(5))
    second = path.resolve()
    assert first != second and count(open_store(path)) == 5
    store.replace(lines(1))
    gens = sorted(p.name for p in tmp_path.glob("store.gen-*"))
    assert len(gens) == 2, "the current and the previous generation are kept, no more"
    assert not first.exists()


def test_failed_replace_leaves_the_last_good_graph(tmp_path: Path) -> None:
    path = tmp_path / "store"
    open_store(path).replace(lines(4, "good"))

    def broken():
        yield from lines(10, "bad")
        raise ValueError("reader failed halfway")

    with pytest.raises(ValueError, match="halfway"):
        open_store(path).replace(broken())
    store = open_store(path, read_only=True)
    assert count(store) == 4
    assert store.query('ASK { ?s ?p "bad" }').boolean is False
    assert len(list(tmp_path.glob("store.gen-*"))) == 1, "the half-built generation is removed"


def test_reader_keeps_its_answers_until_it_reopens(tmp_path: Path) -> None:
    path = tmp_path / "store"
    open_store(path).replace(lines(2))
    reader = open_store(path, read_only=True)
    assert count(reader) == 2
    open_store(path).replace(lines(7))
    assert count(reader) == 7, "a reader follows the link to the new generation"


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    with pytest.raises(StoreError, match="did not create"):
        open_store(tmp_path / "mine").replace(lines(1))


def test_query_before_any_build_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="kgraph build"):
        open_store(tmp_path / "nothing").query("ASK {}")


def test_syntax_error_gives_line_and_column() -> None:
    store = open_store("memory:")
    with pytest.raises(QueryError, match=r"2:\d+"):
        store.query("SELECT ?s\nWHERE { ?s ?p }")


def test_read_only_store_cannot_be_replaced(tmp_path: Path) -> None:
    open_store(tmp_path / "s").replace(lines(1))
    with pytest.raises(StoreError, match="read-only"):
        open_store(tmp_path / "s", read_only=True).replace(lines(1))


def test_unknown_url_scheme() -> None:
    with pytest.raises(StoreError, match="unknown store URL"):
        open_store("ftp://example/x")


def test_relative_store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    open_store("build/store").replace(lines(3))
    open_store("build/store").replace(lines(2))
    assert count(open_store("build/store", read_only=True)) == 2
