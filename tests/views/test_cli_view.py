"""``kgraph view``: whole graph, --focus/--depth, --path, --query, --open, and clear errors."""

from __future__ import annotations

import html

import pytest
from click.testing import CliRunner

from kgraph.cli import main


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("store") / "store"
    result = CliRunner().invoke(main, ["build", "--store", str(path), "-q"])
    assert result.exit_code == 0, result.output
    return str(path)


def _view(store: str, *args: str):
    return CliRunner().invoke(main, ["view", "--store", store, *args])


def test_whole_graph(store, tmp_path) -> None:
    out = tmp_path / "whole.html"
    result = _view(store, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "nodes" in result.output and out.read_text().startswith("<!doctype html>")


def test_focus_and_depth(store, tmp_path) -> None:
    one, two = tmp_path / "1.html", tmp_path / "2.html"
    assert _view(store, "-o", str(one), "--focus", "Spravato").exit_code == 0
    assert _view(store, "-o", str(two), "--focus", "Spravato", "--depth", "2").exit_code == 0
    assert one.stat().st_size < two.stat().st_size


def test_path(store, tmp_path) -> None:
    out = tmp_path / "path.html"
    result = _view(store, "-o", str(out), "--path", "ketamine", "antidepressant effect")
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert page.isascii()  # non-ASCII text travels as character references and \u escapes
    assert "chains" in result.output and "ketamine → antidepressant effect" in html.unescape(page)


def test_query(store, tmp_path) -> None:
    q = tmp_path / "q.rq"
    q.write_text("CONSTRUCT { ?s kgo:antagonistOf ?o } WHERE { ?s kgo:antagonistOf ?o }")
    result = _view(store, "-o", str(tmp_path / "q.html"), "--query", str(q))
    assert result.exit_code == 0, result.output


def test_open_calls_the_browser(store, tmp_path, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    out = tmp_path / "o.html"
    assert _view(store, "-o", str(out), "--open").exit_code == 0
    assert opened == [out.resolve().as_uri()]


def test_errors(store, tmp_path) -> None:
    out = str(tmp_path / "x.html")
    unknown = _view(store, "-o", out, "--focus", "no such entity")
    assert unknown.exit_code == 1 and "no entity" in unknown.output
    both = _view(store, "-o", out, "--focus", "ketamine", "--path", "a", "b")
    assert both.exit_code == 2 and "only one" in both.output
