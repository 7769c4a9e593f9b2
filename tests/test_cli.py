"""The command line, run in-process with click's runner, in a scratch working directory."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from kgraph.cli import main

ARKETAMINE_RECEPTORS = """
SELECT ?receptor ?relation ?negated ?document WHERE {
  ?a rdf:subject kg:arketamine ; rdf:predicate ?p ; rdf:object ?r ;
     kgo:negated ?negated ; prov:wasDerivedFrom ?d .
  ?r a/rdfs:subClassOf* kgo:Receptor ; rdfs:label ?receptor .
  ?p rdfs:label ?relation . ?d dcterms:title ?document }
ORDER BY ?receptor"""

ESKETAMINE_ONLY_PRECLINICAL = """
SELECT DISTINCT ?subject ?relation ?object ?comparator WHERE {
  ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kgo:evidenceLevel kgo:Preclinical .
  OPTIONAL { ?a kgo:comparator ?c }
  FILTER(?s = kg:esketamine || ?o = kg:esketamine || ?c = kg:esketamine)
  FILTER NOT EXISTS { ?b rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                      kgo:evidenceLevel ?l . FILTER(?l != kgo:Preclinical) }
  ?s rdfs:label ?subject . ?p rdfs:label ?relation . ?o rdfs:label ?object .
  OPTIONAL { ?c rdfs:label ?comparator } }"""


def run(workdir: Path, *args: str, ok: bool = True):
    """Run ``kgraph ARGS`` in ``workdir`` (in-process); check the exit status unless ``ok=False``."""
    old = os.getcwd()
    os.chdir(workdir)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A working directory with the bundled corpus built into the default store."""
    path = tmp_path_factory.mktemp("cli")
    run(path, "build", "--quiet")
    return path


def test_build_prints_a_summary(workdir: Path) -> None:
    result = run(workdir, "build", "--quiet")
    for word in ("documents", "entities", "relations", "triples", "warnings"):
        assert word in result.output
    assert (workdir / "build" / "store").is_symlink()


def test_query_which_receptors_arketamine_acts_on(workdir: Path) -> None:
    result = run(workdir, "query", ARKETAMINE_RECEPTORS, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows, "arketamine's receptors"
    assert {r["receptor"] for r in rows} >= {"NMDA receptor"}
    assert all(r["document"] for r in rows)


def test_query_claims_about_esketamine_that_are_only_preclinical(workdir: Path) -> None:
    result = run(workdir, "query", ESKETAMINE_ONLY_PRECLINICAL, "--format", "json")
    data = json.loads(result.output)
    assert data["head"]["vars"] == ["subject", "relation", "object", "comparator"]
    rows = data["results"]["bindings"]
    assert rows, "the corpus has preclinical-only claims about esketamine"
    ends = [(r["subject"]["value"], r["object"]["value"], r.get("comparator", {}).get("value"))
            for r in rows]  # fmt: skip
    assert all("esketamine" in e for e in ends)
    # arketamine's longer-lasting effect is compared with esketamine's (overview, animal data)
    assert ("arketamine", "sustained antidepressant effect", "esketamine") in ends


def test_query_table_and_file(workdir: Path, tmp_path: Path) -> None:
    q = tmp_path / "q.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Assertion }")
    result = run(workdir, "query", "-f", str(q))
    assert "n" in result.output
    tsv = run(workdir, "query", "-f", str(q), "--format", "tsv").output.splitlines()
    # pyoxigraph writes an xsd:integer in TSV in Turtle's short form (196), as SPARQL 1.1 allows
    assert tsv[0] == "?n" and int(tsv[1].split("^^")[0].strip('"')) >= 80


def test_query_syntax_error_exits_nonzero_with_position(workdir: Path) -> None:
    result = run(workdir, "query", "SELECT ?x WHERE { ?x ", ok=False)
    assert result.exit_code == 1
    assert "error:" in result.output and "1:" in result.output


def test_stats_json(workdir: Path) -> None:
    data = json.loads(run(workdir, "stats", "--format", "json").output)
    assert data["documents"] == 4
    assert data["assertions"] >= 80
    assert data["entities"] >= 60
    assert data["documents by source type"]["ClinicMarketingPage"] == 1


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [("ttl", "turtle"), ("nt", "nt"), ("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")],
)
def test_export_reimports(workdir: Path, tmp_path: Path, fmt: str, rdflib_format: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    run(workdir, "export", "--format", fmt, "-o", str(out))
    ds = rdflib.Dataset()
    ds.parse(out, format=rdflib_format)
    assert len(ds) + sum(len(g) for g in ds.graphs()) > 3000


def test_export_to_stdout(workdir: Path) -> None:
    result = run(workdir, "export", "--format", "nt")
    assert result.output.count("\n") > 3000


def test_view_writes_html(workdir: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.html"
    run(workdir, "view", "-o", str(out))
    html = out.read_text()
    assert "<html" in html.lower() and "ketamine" in html


def test_stores_live_side_by_side(workdir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    run(
        workdir,
        "build",
        "--quiet",
        "--store",
        str(other),
        str(Path(__file__).parent / "data" / "brat"),
        "--lenient",
    )
    data = json.loads(run(workdir, "stats", "--store", str(other), "--format", "json").output)
    assert data["documents"] == 2
    assert json.loads(run(workdir, "stats", "--format", "json").output)["documents"] == 4


def test_bad_input_exits_nonzero_and_keeps_the_store(workdir: Path, tmp_path: Path) -> None:
    before = run(workdir, "export", "--format", "nq").output
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.txt").write_text("Ketamine.\n")
    (bad / "x.ann").write_text("T1\tCompound 0 99\tKetamine\n")
    result = run(workdir, "build", "--quiet", str(bad), ok=False)
    assert result.exit_code == 1
    assert "x.ann:1" in result.output and "past the end" in result.output
    assert run(workdir, "export", "--format", "nq").output == before


def test_formats_lists_every_reader(workdir: Path) -> None:
    out = run(workdir, "formats").output
    for name in ("brat", "kgraph", "pubtator", "bioc-xml", "bioc-json", "pubannotation"):
        assert name in out
