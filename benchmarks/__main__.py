"""``python -m benchmarks``: kgraph's performance, measured in one run, as a table and as JSON.

    python -m benchmarks                 # real corpora + 10,000 and 100,000 synthetic abstracts
    python -m benchmarks --quick         # a smoke run: 300 synthetic abstracts, few repetitions
    python -m benchmarks --sizes 10000   # the real corpora and these synthetic sizes only

In one run: the build of each corpus with its bulk-load floor (:mod:`benchmarks.build`), every
named query on the real corpora and on the largest synthetic corpus, the same queries on a plain
rdflib pipeline over the real corpora (:mod:`benchmarks.queries`), and the HTML views
(:mod:`benchmarks.views`, when present). Ratios are taken within the run, so a busy machine slows
both sides of each. The JSON goes to ``benchmarks/results/latest.json`` unless ``--json`` says
otherwise; stores and N-Quads files live in a temporary folder removed at the end (``--keep``
keeps it).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import ChildFailed, in_child, load_average, synthetic
from . import build as build_bench
from . import queries as query_bench
from . import update as update_bench

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SIZES = (10_000, 100_000)
#: From this many abstracts a corpus is measured on a tight disk (see benchmarks.build.measure).
LARGE = 500_000
QUICK_SIZES = (300,)

#: The goals of issue 7, checked against each run.
GOALS = {
    "build_100k_s": 180.0,
    "build_100k_peak_rss_mib": 4096.0,
    "build_over_floor": 2.0,
    "query_100k_median_ms": 200.0,
    "rdflib_geomean_speedup": 20.0,
    "rdflib_min_speedup": 1.0,
    # issue 19: incremental updates and diff
    "add_100_s": 5.0,
    "add_over_rebuild": 0.05,
    "diff_100k_s": 30.0,
    "build_1m_s": 1200.0,
    "build_1m_over_floor": 1.5,
    "build_1m_peak_rss_mib": 4096.0,
    "query_1m_median_ms": 200.0,
}


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="smoke run: 300 abstracts, 3 runs each")
    p.add_argument("--sizes", type=int, nargs="+", help="synthetic corpus sizes (abstracts)")
    p.add_argument("--json", type=Path, default=RESULTS / "latest.json", help="JSON output path")
    p.add_argument("--markdown", type=Path, help="also write the tables as Markdown here")
    p.add_argument("--workdir", type=Path, help="where stores and files go (default: a temp dir)")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    p.add_argument("--no-real", action="store_true", help="skip the real corpora")
    p.add_argument("--no-rdflib", action="store_true", help="skip the rdflib baseline")
    p.add_argument("--no-views", action="store_true", help="skip the view benchmarks")
    p.add_argument("--no-update", action="store_true", help="skip add / remove / diff")
    p.add_argument(
        "--update-only",
        action="store_true",
        help="only build the largest synthetic store (no floor, no queries) and time add / diff / "
        "remove on it (issue 19; for a busy machine or a million abstracts)",
    )
    p.add_argument("--runs", type=int, help="timed runs per query (default 20; quick: 3)")
    p.add_argument("--warmup", type=int, help="untimed runs first (default 2; quick: 1)")
    return p.parse_args(argv)


def _meta(args: argparse.Namespace) -> dict[str, Any]:
    import pyoxigraph
    import rdflib

    commit = None
    head = Path(__file__).resolve().parent.parent / ".git" / "HEAD"
    try:
        ref = head.read_text().strip()
        if ref.startswith("ref: "):
            commit = (head.parent / ref[5:]).read_text().strip()
        else:
            commit = ref
    except OSError:
        pass
    return {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "commit": commit,
        "load_average_start": load_average(),
    }


def views_child(sizes: list[int], browser: bool) -> dict[str, Any]:
    """Child: :func:`benchmarks.views.run` (written with the explorer), as ``{"rows": [...]}``."""
    from . import views

    return {"rows": views.run(sizes=tuple(sizes), browser=browser)}


def _say(console, text: str) -> None:
    console.print(f"[dim]{time.strftime('%H:%M:%S')}[/] {text}", highlight=False)


def run(argv: list[str] | None = None) -> dict[str, Any]:
    from rich.console import Console

    args = _args(argv)
    console = Console(stderr=True)
    quick = args.quick
    sizes = tuple(args.sizes or (QUICK_SIZES if quick else DEFAULT_SIZES))
    runs = args.runs or (3 if quick else 20)
    warmup = args.warmup if args.warmup is not None else (1 if quick else 2)
    query_budget = 2.0 if quick else 30.0
    query_timeout = 120.0 if quick else 900.0
    rdflib_timeout = 5.0 if quick else 60.0
    real = not (quick or args.no_real) and synthetic.CORPORA.is_dir()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="kgraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"meta": _meta(args), "build": [], "queries": {}, "synthetic": []}
    started = time.perf_counter()
    try:
        # -- build, floor and Python-side breakdown ------------------------------------------
        corpora: list[tuple[str, list[Path]]] = []
        if real:
            corpora.append(("real", synthetic.real_sources()))
        for n in sizes:
            t = time.perf_counter()
            files = synthetic.write_corpus(work / f"synthetic-{n}-files", n)
            results["synthetic"].append(
                {"abstracts": n, "files": len(files), "write_s": round(time.perf_counter() - t, 2)}
            )
            corpora.append((f"synthetic-{n}", files))
        if args.update_only:
            results["update"] = _update_only(console, corpora[-1], max(sizes), work)
            corpora = []
        for name, sources in corpora:
            _say(console, f"build {name}: kgraph build, N-Quads export, bulk-load floor")
            large = name.startswith("synthetic-") and int(name.split("-")[1]) >= LARGE
            row = build_bench.measure(
                name, sources, work, large=large, timeout=4 * 3600 if large else 3600
            )
            results["build"].append(row)
            _say(
                console,
                f"  {row['documents']:,} documents, {row['triples']:,} triples: build "
                f"{row['build_s']:.1f} s, floor {row['floor_s']:.1f} s, ratio {row['ratio']:.2f}",
            )

        # -- named queries: the real corpora (or the quick corpus) and the largest size --------
        rows_by_name = {r["corpus"]: r for r in results["build"]}
        query_corpora = [results["build"][0]["corpus"]] if results["build"] else []
        largest = f"synthetic-{max(sizes)}"
        if largest not in query_corpora and largest in rows_by_name:
            query_corpora.append(largest)
        for name in query_corpora:
            results["queries"][name] = _time_queries(
                console, rows_by_name[name]["store"], warmup, runs, query_budget, query_timeout
            )

        # -- add / diff / remove 100 abstracts on the largest synthetic store (issue 19) ---------
        if largest in rows_by_name and not args.no_update:
            results["update"] = _update(console, rows_by_name[largest], max(sizes), work)

        # -- the rdflib baseline on the first corpus ---------------------------------------------
        base = query_corpora[0] if query_corpora else None
        if not args.no_rdflib and base is not None:
            results["baseline"] = _baseline(
                console,
                base,
                rows_by_name[base],
                results["queries"][base],
                warmup,
                runs,
                60.0 if not quick else 5.0,
                rdflib_timeout,
            )
        else:
            results["baseline"] = {"skipped": "--no-rdflib or --update-only"}

        # -- views -------------------------------------------------------------------------
        results["views"] = _views(console, args.no_views, quick)
    finally:
        results["meta"]["load_average_end"] = load_average()
        results["meta"]["total_s"] = round(time.perf_counter() - started, 1)
        results["meta"]["workdir"] = str(work) if args.keep else None
        for row in results["build"]:
            if not args.keep:
                row.pop("store", None)
                row.pop("nquads", None)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    results["goals"] = goals(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print_tables(results)
    _say(console, f"JSON written to {args.json}")
    if args.markdown:
        args.markdown.write_text(markdown(results))
        _say(console, f"Markdown written to {args.markdown}")
    return results


def _update_only(console, corpus, size: int, work: Path) -> dict[str, Any]:
    """The store of ``corpus`` built once (timed: the full rebuild an update is compared with),
    then :func:`_update` on it."""
    name, sources = corpus
    _say(console, f"build {name} (the full rebuild an update is compared with)")
    store = work / name / "kg" / "store"
    b = in_child(
        "benchmarks.build:build",
        timeout=6 * 3600,
        sources=[str(s) for s in sources],
        store=str(store),
    )
    _say(console, f"  {b['documents']:,} documents in {b['wall_s']:.1f} s ({b['cpu_s']:.1f} s CPU)")
    row = {
        "corpus": name,
        "store": str(store),
        "build_s": b["wall_s"],
        "build_cpu_s": b["cpu_s"],
        "documents": b["documents"],
        "triples": None,
    }
    u = _update(console, row, size, work)
    u["rebuild_cpu_s"] = b["cpu_s"]
    u["build_peak_rss_mib"] = round(b["peak_rss_mib"] + b.get("reader_peak_rss_mib", 0), 1)
    return u


def _update(console, row: dict[str, Any], size: int, work: Path) -> dict[str, Any]:
    """``kgraph add`` of 100 abstracts to the largest store, the diff, the remove; ratios to the
    full build of that store measured in this run."""
    _say(console, f"update {row['corpus']}: add {update_bench.BATCH} abstracts, diff, remove")
    first = synthetic.FIRST_PMID + size + 1_000_000  # fresh ids, in no corpus of the run
    try:
        u = in_child(
            "benchmarks.update:update",
            timeout=3600,
            store=row["store"],
            first_id=first,
            workdir=str(work),
        )
    except ChildFailed as e:
        return {"corpus": row["corpus"], "status": str(e)}
    u["corpus"] = row["corpus"]
    u["documents"] = row["documents"]
    u["rebuild_s"] = row["build_s"]
    u["add_over_rebuild"] = round(u["add_s"] / row["build_s"], 4)
    u["triples"] = row["triples"] or u["triples"]
    u["bytes_per_triple"] = round(u["store_bytes"] / u["triples"], 1)
    if "add_cpu_s" in u and row.get("build_cpu_s"):
        u["add_cpu_over_rebuild_cpu"] = round(u["add_cpu_s"] / row["build_cpu_s"], 4)
    u["bytes_per_document"] = round(u["store_bytes"] / row["documents"])
    _say(
        console,
        f"  add {u['add_s']:.2f} s ({100 * u['add_over_rebuild']:.2f}% of the build), diff "
        f"{u['diff_s']:.1f} s, remove {u['remove_s']:.2f} s; store {u['store_bytes'] / 2**30:.2f} "
        f"GiB, {u['bytes_per_triple']} bytes per triple",
    )
    return u


def _time_queries(console, store: str, warmup, runs, budget, timeout) -> list[dict[str, Any]]:
    out = []
    corpus = Path(store).parent.parent.name
    for name in query_bench.query_names():
        _say(console, f"query {name} on {corpus}")
        try:
            r = in_child(
                "benchmarks.queries:kgraph_queries",
                timeout=timeout,
                store=store,
                names=[name],
                warmup=warmup,
                runs=runs,
                budget_s=budget,
            )
            out.extend(r["queries"])
        except ChildFailed as e:
            out.append(
                {
                    "query": name,
                    "status": f"failed: {e}",
                    "rows": None,
                    "runs": 0,
                    "median_ms": None,
                    "p95_ms": None,
                    "min_ms": None,
                }
            )
    for q in out:
        q.setdefault("status", "ok")
    return out


def _baseline(console, corpus, row, kg_queries, warmup, runs, budget, timeout) -> dict[str, Any]:
    _say(console, f"rdflib baseline on {corpus}: parse the N-Quads, run the same queries")
    todo = [{"query": q["query"], "sparql": q["sparql"]} for q in kg_queries if q.get("sparql")]
    limit = timeout * (len(todo) + 2) + 600
    try:
        r = in_child(
            "benchmarks.queries:rdflib_queries",
            timeout=limit,
            nquads=row["nquads"],
            queries=todo,
            warmup=warmup,
            runs=runs,
            budget_s=budget,
            timeout_s=timeout,
        )
    except ChildFailed as e:
        return {"corpus": corpus, "skipped": str(e)}
    ok_kg = [q for q in kg_queries if q.get("median_ms") is not None]
    summary = query_bench.summarise(ok_kg, r)
    return {
        "corpus": corpus,
        "triples": r["triples"],
        "parse_s": r["parse_s"],
        "parse_cpu_s": r["parse_cpu_s"],
        "parse_triples_per_s": round(r["triples"] / r["parse_s"]) if r["parse_s"] else None,
        "peak_rss_mib": r["child_peak_rss_mib"],
        "parse_peak_rss_mib": r["parse_peak_rss_mib"],
        "timeout_s": r["timeout_s"],
        "queries": r["queries"],
        **summary,
    }


def _views(console, skip: bool, quick: bool) -> dict[str, Any]:
    if skip:
        return {"skipped": "--no-views"}
    if importlib.util.find_spec("benchmarks.views") is None:
        return {"skipped": "benchmarks/views.py is not there"}
    sizes = [200] if quick else [2000, 20000]
    _say(console, f"views at {', '.join(map(str, sizes))} nodes")
    try:
        r = in_child(
            "benchmarks.__main__:views_child", timeout=1800, sizes=sizes, browser=not quick
        )
    except (ChildFailed, AttributeError) as e:
        return {"skipped": f"failed: {e}"}
    return {"sizes": sizes, "browser": not quick, "rows": r["rows"]}


def goals(results: dict[str, Any]) -> dict[str, Any]:
    """Each goal of issue 7 with the measured value and whether it is met (``None``: not run)."""

    def goal(value, target, ok) -> dict[str, Any]:
        return {"value": value, "target": target, "met": None if value is None else ok}

    out: dict[str, Any] = {}
    builds = {r["corpus"]: r for r in results["build"]}
    big = builds.get("synthetic-100000")
    out["build_100k_under_3_min"] = goal(
        big and big["build_s"],
        GOALS["build_100k_s"],
        big and big["build_s"] < GOALS["build_100k_s"],
    )
    out["build_100k_peak_rss_under_4_gib"] = goal(
        big and big["build_peak_rss_mib"],
        GOALS["build_100k_peak_rss_mib"],
        big and big["build_peak_rss_mib"] < GOALS["build_100k_peak_rss_mib"],
    )
    worst = max((r["ratio"] for r in results["build"]), default=None)
    out["build_at_most_2x_floor"] = goal(
        worst, GOALS["build_over_floor"], worst is not None and worst <= GOALS["build_over_floor"]
    )
    q100 = results["queries"].get("synthetic-100000")
    if q100:
        medians = [q["median_ms"] for q in q100]
        slowest = None if None in medians else max(medians)
        out["every_query_100k_median_under_200_ms"] = goal(
            slowest if slowest is not None else float("inf"),
            GOALS["query_100k_median_ms"],
            slowest is not None and slowest < GOALS["query_100k_median_ms"],
        )
    else:
        out["every_query_100k_median_under_200_ms"] = goal(
            None, GOALS["query_100k_median_ms"], None
        )
    base = results.get("baseline", {})
    gm, low = base.get("geomean_speedup"), base.get("min_speedup")
    out["rdflib_geomean_speedup_at_least_20x"] = goal(
        gm,
        GOALS["rdflib_geomean_speedup"],
        gm is not None and gm >= GOALS["rdflib_geomean_speedup"],
    )
    out["rdflib_no_query_slower"] = goal(
        low, GOALS["rdflib_min_speedup"], low is not None and low >= GOALS["rdflib_min_speedup"]
    )
    up = results.get("update") or {}
    ok = "add_s" in up
    out["add_100_under_5_s"] = goal(
        up.get("add_s"), GOALS["add_100_s"], ok and up["add_s"] < GOALS["add_100_s"]
    )
    out["add_100_under_5_percent_of_rebuild"] = goal(
        up.get("add_over_rebuild"),
        GOALS["add_over_rebuild"],
        ok and up["add_over_rebuild"] < GOALS["add_over_rebuild"],
    )
    big_diff = ok and up["documents"] == 100_000
    out["diff_100k_under_30_s"] = goal(
        up.get("diff_s") if big_diff else None,
        GOALS["diff_100k_s"],
        big_diff and up["diff_s"] < GOALS["diff_100k_s"],
    )
    million = builds.get("synthetic-1000000")
    if million:  # issue 19: a million abstracts
        out["build_1m_under_20_min"] = goal(
            million["build_s"], GOALS["build_1m_s"], million["build_s"] < GOALS["build_1m_s"]
        )
        out["build_1m_at_most_1_5x_floor"] = goal(
            million["ratio"],
            GOALS["build_1m_over_floor"],
            million["ratio"] <= GOALS["build_1m_over_floor"],
        )
        out["build_1m_peak_rss_under_4_gib"] = goal(
            million["build_peak_rss_mib"],
            GOALS["build_1m_peak_rss_mib"],
            million["build_peak_rss_mib"] < GOALS["build_1m_peak_rss_mib"],
        )
        medians = [q["median_ms"] for q in results["queries"].get("synthetic-1000000", [])]
        slowest = None if not medians or None in medians else max(medians)
        out["every_query_1m_median_under_200_ms"] = goal(
            slowest,
            GOALS["query_1m_median_ms"],
            slowest is not None and slowest < GOALS["query_1m_median_ms"],
        )
    return out


def update_rows(results: dict[str, Any]) -> list[list[str]]:
    """The update figures as table rows (what, measured, per what).

    >>> update_rows({"update": {"corpus": "c", "documents": 10, "abstracts_added": 2, "add_s": 0.5,
    ...     "add_over_rebuild": 0.01, "diff_s": 1.0, "remove_s": 0.4, "store_bytes": 2**20,
    ...     "bytes_per_triple": 20.0, "bytes_per_document": 1000}})[0]
    ['kgraph add (2 abstracts to c)', '0.50 s', '1.00% of a full build']
    """
    u = results.get("update") or {}
    if "add_s" not in u:
        return [["kgraph add / diff / remove", u.get("status", "not run"), ""]]

    def took(op: str) -> str:
        cpu = u.get(f"{op}_cpu_s")
        return f"{u[op + '_s']:.2f} s" + ("" if cpu is None else f" ({cpu:.2f} s CPU)")

    cpu_ratio = u.get("add_cpu_over_rebuild_cpu")
    return [
        [
            f"kgraph add ({u['abstracts_added']} abstracts to {u['corpus']})",
            took("add"),
            f"{100 * u['add_over_rebuild']:.2f}% of a full build"
            + ("" if cpu_ratio is None else f" ({100 * cpu_ratio:.2f}% of its CPU time)"),
        ],
        [f"kgraph diff (two stores of {u['documents']:,} documents)", took("diff"), ""],
        [f"kgraph remove ({u['abstracts_added']} abstracts)", took("remove"), ""],
        [
            "store size on disk",
            f"{u['store_bytes'] / 2**20:,.0f} MiB",
            f"{u['bytes_per_triple']} bytes per triple, {u['bytes_per_document']:,} per document",
        ],
    ]


def _ms(v) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


def print_tables(results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console() if sys.stdout.isatty() else Console(width=200)
    t = Table(title="Build: kgraph build_store vs. bulk-loading the same N-Quads (floor)")
    for col in (
        "corpus",
        "docs",
        "mentions",
        "triples",
        "build s",
        "docs/s",
        "triples/s",
        "peak RSS MiB",
        "floor s",
        "floor triples/s",
        "build/floor",
        "store GiB (bytes/triple)",
        "Python side s (read + build)",
    ):
        t.add_column(col, justify="left" if col == "corpus" else "right")
    for r in results["build"]:
        py = (
            f"{r['python_read_s']:.1f} + {r['python_build_encode_s']:.1f}"
            if "python_read_s" in r
            else "—"
        )
        t.add_row(
            r["corpus"],
            f"{r['documents']:,}",
            f"{r['mentions']:,}",
            f"{r['triples']:,}",
            f"{r['build_s']:.1f}",
            f"{r['docs_per_s']:,.0f}",
            f"{r['triples_per_s']:,}",
            f"{r['build_peak_rss_mib']:,.0f}",
            f"{r['floor_s']:.1f}",
            f"{r['floor_triples_per_s']:,}",
            f"{r['ratio']:.2f}×",
            _store_size(r),
            py,
        )
    console.print(t)

    base = results.get("baseline", {})
    speed = {q["query"]: q for q in base.get("per_query", [])}
    names = list(dict.fromkeys(q["query"] for qs in results["queries"].values() for q in qs))
    t = Table(title="Named queries: median / p95 ms (rows)")
    t.add_column("query")
    t.add_column("params")
    corpora = list(results["queries"])
    for c in corpora:
        t.add_column(c, justify="right")
    if speed:
        t.add_column(f"rdflib {base['corpus']}", justify="right")
        t.add_column("speed-up", justify="right")
    by = {c: {q["query"]: q for q in results["queries"][c]} for c in corpora}
    for n in names:
        first = by[corpora[0]].get(n, {})
        params = ", ".join(f"{k}={v}" for k, v in (first.get("params") or {}).items())
        cells = []
        for c in corpora:
            q = by[c].get(n)
            if q is None or q.get("median_ms") is None:
                cells.append(q.get("status", "—") if q else "—")
            else:
                cells.append(f"{_ms(q['median_ms'])} / {_ms(q['p95_ms'])} ({q['rows']:,})")
        if speed:
            s = speed.get(n, {})
            rq = next((q for q in base.get("queries", []) if q["query"] == n), {})
            if rq.get("median_ms") is not None:
                cells.append(f"{_ms(rq['median_ms'])} ({rq.get('rows') or 0:,})")
            else:
                cells.append(rq.get("status", "—")[:30])
            sp = s.get("speedup")
            mark = "≥" if s.get("speedup_is_lower_bound") else ""
            cells.append("—" if sp is None else f"{mark}{sp:,.1f}×")
        t.add_row(n, params, *cells)
    console.print(t)
    if base.get("geomean_speedup") is not None or base.get("triples"):
        console.print(
            f"rdflib baseline on {base['corpus']}: parsed {base['triples']:,} triples in "
            f"{base['parse_s']:.1f} s (peak RSS {base['peak_rss_mib']:,.0f} MiB); "
            f"speed-up geometric mean {base.get('geomean_speedup')}×, lowest {base.get('min_speedup')}×"
            f"{'' if base.get('all_rows_match') else ' (row counts differ somewhere: see JSON)'}"
        )
    elif base.get("skipped"):
        console.print(f"rdflib baseline skipped: {base['skipped']}")

    views = results.get("views", {})
    if views.get("rows"):
        keys = list(dict.fromkeys(k for r in views["rows"] for k in r))
        t = Table(title="Views")
        for k in keys:
            t.add_column(k, justify="right")
        for r in views["rows"]:
            t.add_row(*(_fmt(r.get(k)) for k in keys))
        console.print(t)
    elif views.get("skipped"):
        console.print(f"views skipped: {views['skipped']}")

    t = Table(title="Incremental updates (issue 19)")
    for col in ("operation", "time / size", "relative"):
        t.add_column(col)
    for r in update_rows(results):
        t.add_row(*r)
    console.print(t)

    t = Table(title="Goals (issue 7)")
    for col in ("goal", "measured", "target", "met"):
        t.add_column(col)
    for name, g in results.get("goals", {}).items():
        met = {True: "[green]yes[/]", False: "[red]no[/]", None: "not run"}[g["met"]]
        t.add_row(name, _fmt(g["value"]), _fmt(g["target"]), met)
    console.print(t)
    m = results["meta"]
    console.print(
        f"{m['cpus']} CPUs, {m['memory_gib']} GiB; load average {m['load_average_start']} → "
        f"{m['load_average_end']}; total {m['total_s']} s"
    )


def _md_table(header: list[str], rows: list[list[str]], left: int = 1) -> str:
    right = ["---" if i < left else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(right) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def markdown(results: dict[str, Any]) -> str:
    """The run's tables as Markdown (``--markdown``; RESULTS.md and the README embed them)."""
    out = []
    rows = []
    for r in results["build"]:
        rows.append(
            [
                r["corpus"],
                f"{r['documents']:,}",
                f"{r['mentions']:,}",
                f"{r['triples']:,}",
                f"{r['build_s']:.1f}",
                f"{r['docs_per_s']:,.0f}",
                f"{r['triples_per_s']:,}",
                f"{r['build_peak_rss_mib']:,.0f}",
                f"{r['floor_s']:.1f}",
                f"{r['floor_triples_per_s']:,}",
                f"{r['ratio']:.2f}×",
                _store_size(r),
            ]
        )
    out.append(
        _md_table(
            [
                "corpus",
                "documents",
                "mentions",
                "triples",
                "build s",
                "docs/s",
                "triples/s",
                "peak RSS MiB",
                "floor s",
                "floor triples/s",
                "build / floor",
                "store GiB (bytes/triple)",
            ],
            rows,
        )
    )
    base = results.get("baseline", {})
    speed = {q["query"]: q for q in base.get("per_query", [])}
    rq = {q["query"]: q for q in base.get("queries", [])}
    corpora = list(results["queries"])
    by = {c: {q["query"]: q for q in results["queries"][c]} for c in corpora}
    names = list(dict.fromkeys(q["query"] for qs in results["queries"].values() for q in qs))
    header = ["query", "parameters", *[f"{c}: median / p95 ms (rows)" for c in corpora]]
    if speed:
        header += [f"rdflib {base['corpus']}: median ms", "speed-up"]
    rows = []
    for n in names:
        first = by[corpora[0]].get(n, {})
        cells = [f"`{n}`", ", ".join(f"{k}={v}" for k, v in (first.get("params") or {}).items())]
        for c in corpora:
            q = by[c].get(n)
            ok = q is not None and q.get("median_ms") is not None
            cells.append(
                f"{_ms(q['median_ms'])} / {_ms(q['p95_ms'])} ({q['rows']:,})"
                if ok
                else (q or {}).get("status", "—")
            )
        if speed:
            r = rq.get(n, {})
            cells.append(
                _ms(r["median_ms"]) if r.get("median_ms") is not None else r.get("status", "—")
            )
            s = speed.get(n, {})
            mark = "≥ " if s.get("speedup_is_lower_bound") else ""
            cells.append("—" if s.get("speedup") is None else f"{mark}{s['speedup']:,.1f}×")
        rows.append(cells)
    out.append(_md_table(header, rows, left=2))
    if base.get("triples"):
        out.append(
            f"rdflib baseline on `{base['corpus']}`: {base['triples']:,} triples parsed in "
            f"{base['parse_s']:.1f} s (peak RSS {base['parse_peak_rss_mib']:,.0f} MiB after parsing, "
            f"{base['peak_rss_mib']:,.0f} MiB after the queries); a query stopped after "
            f"{base['timeout_s']:.0f} s counts as that long (speed-up marked ≥). Geometric mean "
            f"of the speed-ups **{base.get('geomean_speedup')}×**, lowest "
            f"**{base.get('min_speedup')}×**.\n"
        )
    views = results.get("views", {})
    if views.get("rows"):
        keys = list(dict.fromkeys(k for r in views["rows"] for k in r))
        out.append(_md_table(keys, [[_fmt(r.get(k)) for k in keys] for r in views["rows"]]))
    out.append(_md_table(["operation (issue 19)", "time / size", "relative"], update_rows(results)))
    met = {True: "yes", False: "**no**", None: "not run"}
    out.append(
        _md_table(
            ["goal (issue 7)", "measured", "target", "met"],
            [
                [name, _fmt(g["value"]), _fmt(g["target"]), met[g["met"]]]
                for name, g in results.get("goals", {}).items()
            ],
        )
    )
    m = results["meta"]
    out.append(
        f"{m['cpus']} CPUs, {m['memory_gib']} GiB, Python {m['python']}, pyoxigraph "
        f"{m['pyoxigraph']}, rdflib {m['rdflib']}; load average {m['load_average_start']} at the "
        f"start, {m['load_average_end']} at the end; {m['total_s']:,.0f} s in all.\n"
    )
    return "\n".join(out)


def _store_size(row: dict[str, Any]) -> str:
    """The build's store on disk, as GiB and bytes per triple (``—`` for older rows).

    >>> _store_size({"store_bytes": 3 * 2**30, "bytes_per_triple": 318.0})
    '3.00 (318)'
    """
    if row.get("store_bytes") is None:
        return "—"
    return f"{row['store_bytes'] / 2**30:.2f} ({row['bytes_per_triple']:.0f})"


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}" if v < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def main(argv: list[str] | None = None) -> int:
    run(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
