"""What the command line says in a newcomer's first hour (issue 18, items 3-5), in 80 columns.

Each test reproduces a reported failure: tables squeezed to 1-2 characters per column, `query
--list` cutting names, no "did you mean", a wrong parameter value giving 0 rows silently, Unicode
class dumps and "expected CONSTRUCT" for SPARQL typos, a mistyped named query reported as a
syntax error, three triple counts, "not checked" without a reason, brackets eaten by rich markup.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import main


def run(workdir: Path, *args: str, ok: bool = True):
    old = os.getcwd()
    os.chdir(workdir)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    if ok:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0, result.output
    return result


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli-messages")
    run(path, "build", "--quiet")
    return path


def _width(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def test_wide_result_fits_80_columns_and_names_what_it_leaves_out(workdir: Path) -> None:
    result = run(
        workdir,
        "query",
        "evidence-for-edge",
        "-p",
        "subject=ketamine",
        "-p",
        "object=NMDA receptor",
    )
    assert _width(result.stdout) <= 80
    assert "--format csv" in result.stderr and "not shown" in result.stderr
    assert "blocks" in result.stdout  # the quote is readable, not cut to a character or two


def test_query_list_never_cuts_the_names(workdir: Path) -> None:
    from kgraph.queries import named_queries

    result = run(workdir, "query", "--list")
    assert _width(result.stdout) <= 80
    for name in named_queries():
        assert name in result.stdout, name


def test_mistyped_named_query_says_did_you_mean(workdir: Path) -> None:
    result = run(workdir, "query", "contested-claim", ok=False)
    assert "no named query 'contested-claim'; did you mean 'contested-claims'?" in result.output
    assert "syntax" not in result.output


def test_entity_typo_says_did_you_mean(workdir: Path) -> None:
    result = run(workdir, "query", "claims-about", "-p", "entity=ketamin", ok=False)
    assert "no entity is called 'ketamin'" in result.output
    assert "did you mean" in result.output and "ketamine" in result.output


def test_parameter_value_outside_its_set_is_refused_with_the_valid_ones(workdir: Path) -> None:
    result = run(workdir, "query", "opinion-only-claims", "-p", "source_type=clinic", ok=False)
    assert "did you mean 'ClinicMarketingPage'" in result.output
    result = run(workdir, "query", "outcomes-by-compound", "-p", "kind=bad", ok=False)
    assert "valid: adverse, therapeutic" in result.output


def test_empty_result_says_why(workdir: Path) -> None:
    result = run(workdir, "query", "SELECT ?s WHERE { ?s a kgo:NoSuchClass }")
    assert "no rows" in result.stderr
    empty = run(workdir, "query", "--store", "memory:", "SELECT ?s WHERE { ?s ?p ?o }")
    assert "the store is empty" in empty.stderr


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELEC ?s WHERE { ?s ?p ?o }", "did you mean 'SELECT'?"),
        ("SELECT * WHERE { ?s foo:bar ?o }", "unknown prefix 'foo:'"),
    ],
)
def test_sparql_errors_are_one_readable_line(workdir: Path, query: str, expected: str) -> None:
    result = run(workdir, "query", query, ok=False)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and expected in lines[0], result.output
    assert "\\u{" not in result.output and "expected CONSTRUCT" not in result.output


def test_one_triple_count_in_build_stats_and_validate(workdir: Path) -> None:
    build = run(workdir, "build", "--quiet").stdout
    built = next(line for line in build.splitlines() if "triples" in line)
    n = "".join(c for c in built if c.isdigit())
    stats = json.loads(run(workdir, "stats", "--format", "json").stdout)
    assert int(n) == stats["triples"]
    assert f"{stats['triples']:,} triples" in run(workdir, "validate").stdout


def test_build_summary_states_the_shacl_result(workdir: Path) -> None:
    build = run(workdir, "build", "--quiet").stdout
    assert "0 (conforms)" in build
    skipped = run(workdir, "build", "--quiet", "--no-validate").stdout
    assert "not checked (--no-validate)" in skipped


def test_error_messages_keep_their_brackets(workdir: Path, monkeypatch) -> None:
    """The install hint read `pip install 'kgraph'`: rich markup ate `[server]`."""
    from kgraph import query
    from kgraph.errors import KGraphError

    def fail(*args, **kwargs):
        raise KGraphError("needs pip install 'kgraph[test]'")

    monkeypatch.setattr(query, "stats", fail)
    result = run(workdir, "stats", ok=False)
    assert "kgraph[test]" in result.output


def test_entities_command(workdir: Path) -> None:
    result = run(workdir, "entities", "BDNF")
    first = result.stdout.splitlines()[0]
    assert first.startswith("kg:bdnf") and "GeneOrProtein" in first
    assert "HGNC:1033" in result.stdout and "definition:" in result.stdout
    assert _width(result.stdout) <= 80
    found = json.loads(run(workdir, "entities", "NCBIGene:4915", "--format", "json").stdout)
    assert found[0]["curie"] == "kg:trkb" and found[0]["match"] == "identifier"
    assert "anything like" in run(workdir, "entities", "qqqqzzzz", ok=False).output
