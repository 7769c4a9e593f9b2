"""``kgraph query`` with named queries (``--list``, ``NAME --param k=v``) and its errors, through
click's test runner on a store built from the bundled corpus."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.queries import named_queries


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("cli-queries") / "store"
    result = CliRunner().invoke(main, ["build", "-q", "--store", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


def run(*args: str):
    return CliRunner().invoke(main, ["query", *args], catch_exceptions=False)


def test_list(store, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    result = run("--list")
    assert result.exit_code == 0
    for name in named_queries():
        assert name in result.output
    assert "compound (entity)" in result.output
    assert "min_documents" in result.output


def test_named_query_with_param(store):
    result = run("mechanism-chains", "--param", "compound=arketamine", "--store", store,
                 "--format", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert "arketamine —involved in→ BDNF–TrkB signaling" in {r["chain"] for r in rows}


def test_named_query_table_and_json(store, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    result = run("document-contributions", "--store", store)
    assert result.exit_code == 0
    assert "ClinicMarketingPage" in result.stdout
    result = run("compounds-by-target", "-p", "target=NMDA receptor", "--store", store,
                 "--format", "json")  # fmt: skip
    data = json.loads(result.stdout)
    compounds = {b["compound_label"]["value"] for b in data["results"]["bindings"]}
    # the audited corpus (issue 13): hydroxynorketamine makes no claim about blocking the receptor
    assert compounds == {"ketamine", "arketamine", "NMDA receptor modulator"}


def test_named_query_errors(store):
    result = CliRunner().invoke(main, ["query", "mechanism-chains", "--store", store])
    assert result.exit_code == 1 and "needs --param compound" in result.output
    result = CliRunner().invoke(
        main, ["query", "mechanism-chains", "-p", "colour=red", "--store", store]
    )
    assert result.exit_code == 1 and "no parameter 'colour'" in result.output
    result = CliRunner().invoke(
        main, ["query", "mechanism-chains", "-p", "compound=unobtainium", "--store", store]
    )
    assert result.exit_code == 1 and "no entity is called 'unobtainium'" in result.output
    result = CliRunner().invoke(
        main, ["query", "mechanism-chains", "-p", "compound", "--store", store]
    )
    assert result.exit_code == 2 and "NAME=VALUE" in result.output
    result = CliRunner().invoke(
        main, ["query", "SELECT * WHERE { ?s ?p ?o }", "-p", "x=1", "--store", store]
    )
    assert result.exit_code == 2 and "named queries" in result.output


def test_sparql_still_works(store, tmp_path: Path):
    result = run("SELECT (COUNT(*) AS ?n) WHERE { ?d a kgo:Document }", "--store", store,
                 "--format", "csv")  # fmt: skip
    assert result.stdout.splitlines() == ["n", "4"]
    query = tmp_path / "q.rq"
    query.write_text("ASK { kg:ketamine kgo:antagonistOf kg:nmda_receptor }")
    result = run("-f", str(query), "--store", store)
    assert result.exit_code == 0 and result.stdout.strip() == "true"
    # a file named like a named query is still read as SPARQL
    (tmp_path / "claims-about").write_text("ASK { ?s ?p ?o }")
    result = run("-f", str(tmp_path / "claims-about"), "--store", store)
    assert result.stdout.strip() == "true"


def test_syntax_error_shows_line_and_column(store):
    result = CliRunner().invoke(main, ["query", "SELECT *\nWHERE { ?s ?p }", "--store", store])
    assert result.exit_code == 1
    assert "syntax error" in result.output and "2:" in result.output
