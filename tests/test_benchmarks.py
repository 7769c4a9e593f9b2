"""The benchmark cannot rot: a smoke run over a few hundred synthetic abstracts, checked for shape.

Only the structure and the sanity of the figures are asserted (counts agree, times are positive,
ratios are consistent); timings themselves are never asserted: they belong to the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))
pytestmark = pytest.mark.corpus


def test_synthetic_corpus_replicates_with_fresh_ids(shared_corpora: Path, tmp_path: Path) -> None:
    from benchmarks import synthetic
    from kgraph import formats

    cycle = len(synthetic.templates(shared_corpora))
    assert cycle == 2100 + 945 + 4, "BC5CDR + BioRED abstracts, PGxCorpus sentences, the articles"
    n = cycle + 5
    sources = synthetic.write_corpus(tmp_path, n, per_file=1000, corpora=shared_corpora)
    assert [s.name for s in sources[-2:]] == ["pgx", "articles"]
    docs = {d.id: d for s in sources for d in formats.read(s)}
    assert len(docs) == n, "every document has a fresh id"
    ids = [str(synthetic.FIRST_PMID + i) for i in range(n)]
    assert sorted(docs) == ids
    kinds = {d.metadata.get("format") for d in docs.values()}
    assert {"pubtator", "brat", "kgraph"} <= kinds
    first = docs[ids[0]]
    assert first.metadata["format"] == "kgraph" and first.metadata["source_type"]

    def annotations(doc):
        mentions = [(m.type, m.spans, m.text, m.concepts) for m in doc.mentions]
        rels = [(r.type, r.subject, r.object, r.negated, r.certainty) for r in doc.relations]
        return mentions, rels

    # document ``cycle + i`` is template ``i`` again: the same text and annotations, a new id
    for i in range(5):
        again, once = docs[ids[cycle + i]], docs[ids[i]]
        assert again.text == once.text and annotations(again) == annotations(once)
    counted = synthetic.count(n, corpora=shared_corpora)
    assert counted["mentions"] == sum(len(d.mentions) for d in docs.values())
    # relation lines: the PubTator reader splits the few composite endpoints into more relations
    read = sum(len(d.relations) for d in docs.values())
    assert counted["relations"] <= read <= counted["relations"] * 1.001
    assert counted["kgraph_documents"] == 4 + 1


@pytest.fixture(scope="module")
def quick(tmp_path_factory, shared_corpora: Path) -> dict:
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--sizes", "200", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Goals (issue 7)" in proc.stdout
    return json.loads(out.read_text())


def test_quick_run_has_every_section(quick: dict) -> None:
    assert {"meta", "build", "queries", "baseline", "views", "goals", "synthetic"} <= set(quick)
    assert quick["meta"]["quick"] is True
    assert quick["meta"]["cpus"] >= 1


def test_build_figures_are_consistent(quick: dict) -> None:
    (row,) = quick["build"]
    assert row["corpus"] == "synthetic-200"
    assert row["documents"] == 200
    assert row["mentions"] > 1000 and row["assertions"] > 100
    assert row["triples"] > row["assertions"] * 10, "each assertion carries its evidence"
    assert row["build_s"] > 0 and row["floor_s"] > 0
    assert row["ratio"] == pytest.approx(row["build_s"] / row["floor_s"], rel=0.02)
    assert row["docs_per_s"] == pytest.approx(200 / row["build_s"], rel=0.02)
    assert 10 < row["build_peak_rss_mib"] < 4096
    assert 10 < row["floor_peak_rss_mib"] < 4096
    assert row["python_read_s"] > 0 and row["python_build_encode_s"] >= 0


def test_every_named_query_is_timed(quick: dict) -> None:
    from kgraph.queries import named_queries

    timed = quick["queries"]["synthetic-200"]
    assert [q["query"] for q in timed] == list(named_queries())
    for q in timed:
        assert q["status"] == "ok", q
        assert q["runs"] >= 1 and q["rows"] >= 0
        assert 0 < q["min_ms"] <= q["median_ms"] <= q["p95_ms"]
        assert set(q["params"]) == {
            p.name for p in named_queries()[q["query"]].params if p.required
        }


def test_rdflib_baseline_runs_the_same_queries(quick: dict) -> None:
    base = quick["baseline"]
    assert base["corpus"] == "synthetic-200"
    assert base["triples"] == quick["build"][0]["triples"]
    assert [q["query"] for q in base["per_query"]] == [
        q["query"] for q in quick["queries"]["synthetic-200"]
    ]
    finished = [q for q in base["per_query"] if q["rdflib_median_ms"] is not None]
    assert finished, "rdflib finishes some queries even with the quick time limit"
    for q in finished:
        assert q["rows_match"], f"{q['query']}: rdflib and kgraph disagree on the row count"
        assert q["speedup"] == pytest.approx(q["rdflib_median_ms"] / q["kgraph_median_ms"], rel=0.1)
    assert base["geomean_speedup"] > 0


def test_goals_are_reported(quick: dict) -> None:
    goals = quick["goals"]
    assert set(goals) == {
        "build_100k_under_3_min",
        "build_100k_peak_rss_under_4_gib",
        "build_at_most_2x_floor",
        "every_query_100k_median_under_200_ms",
        "rdflib_geomean_speedup_at_least_20x",
        "rdflib_no_query_slower",
        "add_100_under_5_s",
        "add_100_under_5_percent_of_rebuild",
        "diff_100k_under_30_s",
    }
    assert goals["build_100k_under_3_min"]["met"] is None, "no 100k build in a quick run"
    assert goals["build_at_most_2x_floor"]["value"] == quick["build"][0]["ratio"]


def test_update_figures_are_consistent(quick: dict) -> None:
    """Issue 19: 100 abstracts added, diffed and removed; the update's own diff is the diff of
    the two whole stores, and the size figures agree with the build's."""
    u = quick["update"]
    assert u["abstracts_added"] == u["abstracts_removed"] == 100
    assert u["diff_agrees"] is True
    assert u["add_diff"]["documents"] == {"added": 100, "removed": 0, "changed": 0}
    assert u["add_s"] > 0 and u["diff_s"] > 0 and u["remove_s"] > 0
    assert u["add_over_rebuild"] == pytest.approx(u["add_s"] / u["rebuild_s"], rel=0.01)
    (row,) = quick["build"]
    assert u["bytes_per_triple"] == pytest.approx(u["store_bytes"] / row["triples"], rel=0.01)
    assert set(quick["goals"]) >= {"add_100_under_5_s", "diff_100k_under_30_s"}
