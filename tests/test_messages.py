"""Messages and counts a newcomer reads (issue 18, items 3 and 4): one triple count, unknown types
once with a count, SPARQL errors in one line, SHACL stated, did-you-mean, tables that fit."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from kgraph.build import build_store
from kgraph.counts import triple_counts
from kgraph.messages import sparql_error, validation_note
from kgraph.store import open_store
from kgraph.suggest import did_you_mean, suggest, unknown
from kgraph.tables import dropped_note, fit_table


def test_one_triple_count_everywhere(corpus_store) -> None:
    """The reproduction: build said 7,407 (lines written), the data graph held 7,371, stats and
    validate said 9,316 (data and ontology together)."""
    report = build_store(open_store("memory:"), [Path(__file__).parents[1] / "corpus"])
    counts = triple_counts(corpus_store)
    data = corpus_store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/kgraph/graph/data> { ?s ?p ?o } }"
    )
    assert report.triples == counts["triples"] == int(data.rows[0][0].value)
    everything = int(corpus_store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows[0][0].value)
    assert counts["triples"] + counts["ontology triples"] == everything


def test_unknown_types_are_reported_once_per_type_with_a_count(tmp_path: Path) -> None:
    path = tmp_path / "x.pubtator"
    lines = ["1|t|Foo and bar and baz.", "1|a|More foo."]
    lines += [
        "1\t0\t3\tFoo\tWidget\t-",
        "1\t8\t11\tbar\tWidget\t-",
        "1\t16\t19\tbaz\tGadget\t-",
        "1\t26\t29\tfoo\tWidget\t-",
    ]
    path.write_text("\n".join(lines) + "\n")
    report = build_store(open_store("memory:"), [path], lenient=True, validate=False)
    assert report.skipped["unknown entity type"] == 4
    assert len(report.warnings) == 2
    widget = next(w for w in report.warnings if "Widget" in w)
    assert "3 times in all" in widget and "x.pubtator:3" in widget


@pytest.mark.parametrize(
    ("query", "message", "expected"),
    [
        (
            "SELEC ?s WHERE { ?s ?p ?o }",
            "error at 1:1: expected CONSTRUCT",
            "did you mean 'SELECT'",
        ),
        (
            "SELECT * WHERE { ?s nope:p ?o }",
            "error at 1:21: expected one of [A-Z], [a-z], [\\u00C0-\\u00D6], [\\u00D8-\\u00F6]",
            "1:21 (line:column) near 'nope:p ?o }'",
        ),
    ],
)
def test_sparql_errors_in_one_readable_line(query, message, expected) -> None:
    text = sparql_error(query, message)
    assert expected in text and "\n" not in text and "\\u00" not in text


def test_validation_note_says_why_not_checked() -> None:
    assert "not installed" in validation_note(None, None, 50_000, False)
    assert "--no-validate" in validation_note(None, False, 50_000, True)
    assert "over 50,000 triples" in validation_note(None, None, 50_000, True)


def test_default_build_states_the_shacl_result() -> None:
    """pySHACL is a core dependency now: a default build of the corpus is checked."""
    report = build_store(
        open_store("memory:"), [Path(__file__).parents[1] / "corpus"], validate=None
    )
    assert report.validation is not None
    assert validation_note(report.validation, None, 50_000, True) == "0 (conforms)"


def test_did_you_mean() -> None:
    assert suggest("ketamin", ["lithium", "ketamine"])[0] == "ketamine"
    assert "contested-claims" in did_you_mean("contested-claim", ["contested-claims", "metabolism"])
    assert "ClinicMarketingPage" in unknown(
        "source type", "clinic", ["ClinicMarketingPage", "ScienceNews"]
    )
    assert did_you_mean("xyzzy", ["ketamine"]) == ""


def test_fifteen_columns_fit_80_columns_and_say_what_is_left_out() -> None:
    """The reproduction: rich shrank evidence-for-edge's 15 columns to 1-2 characters each."""
    columns = [f"column_{i}" for i in range(15)]
    rows = [[f"value {i} of a long cell with several words" for i in range(15)]] * 3
    table, dropped = fit_table(columns, rows, width=80)
    console = Console(width=80, record=True)
    console.print(table)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert dropped and "--format csv" in dropped_note(dropped)
    shown = [c for c in columns if c not in dropped]
    for name in shown:
        assert name.replace("_", " ").split()[0] in text  # headers readable, not 1-2 characters
    assert "value 0 of" in text.replace("\n", " ") or "value" in text


def test_names_you_must_type_are_never_cut() -> None:
    names = ["hedged-or-preclinical-only", "opinion-only-claims", "treatments-for-condition"]
    rows = [[n, "A long title that says what the query answers " * 2, "x (entity)"] for n in names]
    table, dropped = fit_table(["name", "title", "parameters"], rows, width=80, keep=["name"])
    console = Console(width=80, record=True)
    console.print(table)
    text = console.export_text()
    for n in names:
        assert n in text
    assert "name" not in dropped


def test_notebook_summary_names_the_store_without_a_doubled_colon(corpus_kg) -> None:
    """The reproduction: the summary read "kgraph memory::"."""
    html = corpus_kg.summary()._repr_html_()
    assert "::" not in html and "in-memory store" in html


def test_unknown_relation_types_are_reported_once_per_type(tmp_path: Path) -> None:
    path = tmp_path / "r.pubtator"
    lines = ["1|t|Aspirin and pain.", "1|a|Aspirin eases pain; ibuprofen too."]
    lines += [
        "1\t0\t7\tAspirin\tChemical\tD001241",
        "1\t12\t16\tpain\tDisease\tD010146",
        "1\t18\t25\tAspirin\tChemical\tD001241",
        "1\t38\t47\tibuprofen\tChemical\tD007052",
        "1\tprevent\tD001241\tD010146",
        "1\tprevent\tD007052\tD010146",
        "1\tFrobnicates\tD001241\tD007052",
    ]
    path.write_text("\n".join(lines) + "\n")
    report = build_store(open_store("memory:"), [path], lenient=True, validate=False)
    assert report.skipped["unknown relation type"] == 3
    assert len(report.warnings) == 2
    assert any("'prevent'" in w and "2 times in all" in w for w in report.warnings)
