"""Query benchmarks: every named query on kgraph's store, and the same on a plain rdflib pipeline.

**Parameters.** Optional parameters stay unset (the whole-graph form of each question). A
required parameter takes the example its description gives (``e.g. ketamine``), resolved on the
store; an entity that no assertion of the data mentions is replaced by the entity of the same
class that the most assertions mention, and a required ``subject``/``object`` pair becomes the
example subject and the object it has the most assertions with, so that every query has work to
do. The chosen values are in the output.

**kgraph.** :func:`kgraph_queries` opens the on-disk store read-only and times
``Store.query`` (parsing, planning, evaluation and turning every row into Python terms) with the
bound query text that ``run_named`` would send: ``warmup`` untimed runs, then ``runs`` timed ones
(fewer when a query's ``budget_s`` runs out, never fewer than 3).

**rdflib.** :func:`rdflib_queries` parses the same graph's N-Quads into an in-memory
``rdflib.Dataset`` (default graph = union, as kgraph queries it) and runs the very same bound
query texts with rdflib's SPARQL engine, kgraph's prefixes declared in front. A run that takes
longer than ``timeout_s`` is stopped and reported as a timeout (so its speed-up is at least
``timeout_s`` / kgraph's median).
"""

from __future__ import annotations

import math
import re
import signal
import statistics
import time
from typing import Any

__all__ = [
    "choose_params",
    "geometric_mean",
    "kgraph_queries",
    "query_names",
    "rdflib_queries",
    "summarise",
]

_EXAMPLE = re.compile(r"e\.g\.\s*(.+?)\s*$")
_DATA = "https://w3id.org/kgraph/graph/data"


def _example(description: str) -> str | None:
    m = _EXAMPLE.search(description)
    return m.group(1).rstrip(".") if m else None


def _ask(store, sparql: str, **subs) -> bool:
    import pyoxigraph as ox

    return store.query(sparql, substitutions={k: ox.NamedNode(v) for k, v in subs.items()}).boolean


def _first(store, sparql: str, **subs: str) -> str | None:
    import pyoxigraph as ox

    rows = store.query(sparql, substitutions={k: ox.NamedNode(v) for k, v in subs.items()}).rows
    return rows[0][0].value if rows and rows[0][0] is not None else None


_IN_DATA = f"ASK {{ GRAPH <{_DATA}> {{ {{ ?a rdf:subject ?e }} UNION {{ ?a rdf:object ?e }} }} }}"
# The classes of an entity, most specific first (the one with the most ancestors).
_CLASSES = """SELECT ?c (COUNT(DISTINCT ?up) AS ?depth) WHERE {
  ?e a ?c0 . ?c0 rdfs:subClassOf* ?c . ?c rdfs:subClassOf* ?up .
  FILTER(STRSTARTS(STR(?c), STR(kgo:)) && ?c != kgo:Entity)
} GROUP BY ?c ORDER BY DESC(?depth) ?c"""
_IS_A = "ASK { ?e a/rdfs:subClassOf* ?c }"
_BUSIEST_OF_CLASS = f"""SELECT ?x (COUNT(*) AS ?n) WHERE {{
  GRAPH <{_DATA}> {{ {{ ?a rdf:subject ?x }} UNION {{ ?a rdf:object ?x }} }}
  ?x a/rdfs:subClassOf* ?c .
}} GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1"""
_BUSIEST = f"""SELECT ?x (COUNT(*) AS ?n) WHERE {{
  GRAPH <{_DATA}> {{ {{ ?a rdf:subject ?x }} UNION {{ ?a rdf:object ?x }} }}
}} GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1"""
_PARTNER = f"""SELECT ?x (COUNT(*) AS ?n) WHERE {{
  GRAPH <{_DATA}> {{ {{ ?a rdf:subject ?e ; rdf:object ?x }} UNION {{ ?a rdf:object ?e ; rdf:subject ?x }} }}
}} GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1"""
_KETAMINE = "https://w3id.org/kgraph/entity/ketamine"


def _entity(store, text: str | None) -> str:
    """``text`` resolved, if assertions mention it; else ketamine or the busiest entity of its
    most specific class that has any; else the busiest entity of all."""
    import pyoxigraph as ox

    from kgraph.errors import KGraphError
    from kgraph.query import resolve

    iri = None
    if text:
        try:
            iri = resolve(store, text)
        except KGraphError:
            iri = None
    if iri is not None and _ask(store, _IN_DATA, e=iri):
        return iri
    if iri is not None:
        classes = [
            r[0].value for r in store.query(_CLASSES, substitutions={"e": ox.NamedNode(iri)}).rows
        ]
        ketamine = _ask(store, _IN_DATA, e=_KETAMINE)
        for c in classes:
            if ketamine and _ask(store, _IS_A, e=_KETAMINE, c=c):
                return _KETAMINE
            found = _first(store, _BUSIEST_OF_CLASS, c=c)
            if found:
                return found
    return _first(store, _BUSIEST) or iri or _KETAMINE


def choose_params(store, query) -> dict[str, str]:
    """Values for ``query``'s required parameters on ``store`` (see the module docstring)."""
    chosen: dict[str, str] = {}
    required = [p for p in query.params if p.required]
    names = {p.name for p in required}
    for p in required:
        example = _example(p.description)
        if p.type == "entity":
            if p.name == "object" and "subject" in names:
                continue  # chosen with the subject
            chosen[p.name] = _entity(store, example or "ketamine")
            if p.name == "subject" and "object" in names:
                chosen["object"] = _first(store, _PARTNER, e=chosen["subject"]) or chosen["subject"]
        elif example:
            chosen[p.name] = example.split()[0].strip("\"'")
        else:
            chosen[p.name] = {"integer": "1", "boolean": "true"}.get(p.type, "ketamine")
    return chosen


def _stats(times: list[float]) -> dict[str, Any]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        "runs": len(times),
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "min_ms": round(ordered[0] * 1000, 2),
    }


def _label(store, iri: str) -> str:
    import pyoxigraph as ox

    rows = store.query(
        "SELECT ?l WHERE { ?e rdfs:label ?l } LIMIT 1", substitutions={"e": ox.NamedNode(iri)}
    ).rows
    return rows[0][0].value if rows else iri


def query_names() -> list[str]:
    """The named queries kgraph ships, by name."""
    from kgraph.queries import named_queries

    return list(named_queries())


def kgraph_queries(
    store: str,
    names: list[str] | None = None,
    warmup: int = 2,
    runs: int = 20,
    budget_s: float = 30.0,
    params: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Child: time the named queries ``names`` (default: all) on the on-disk store ``store``.

    ``params`` fixes the parameters of some queries (name → parameter → value); the others are
    chosen by :func:`choose_params`. Each result has the bound SPARQL text, for the baseline.
    A query stops being repeated once ``budget_s`` is spent and it has 3 timed runs (1 when a
    single run takes more than a quarter of the budget).
    """
    from kgraph.queries import bindings, named_queries
    from kgraph.sparql import bind
    from kgraph.store import open_store

    st = open_store(store, read_only=True)
    results = []
    for name, q in named_queries().items():
        if names is not None and name not in names:
            continue
        values = (params or {}).get(name) or choose_params(st, q)
        subs = bindings(st, name, values)
        shown = {
            k: (_label(st, v) if q.param(k).type == "entity" else v) for k, v in values.items()
        }
        times: list[float] = []
        rows = 0
        started = time.perf_counter()
        for i in range(warmup + runs):
            t = time.perf_counter()
            result = st.query(q.text, substitutions=subs or None)
            t = time.perf_counter() - t
            rows = len(result.rows)
            if i >= warmup or t > budget_s / 4:  # a slow warm-up counts: no time for more
                times.append(t)
            spent = time.perf_counter() - started
            if times and spent > budget_s and (len(times) >= 3 or t > budget_s / 4):
                break
        results.append(
            {
                "query": name,
                "params": shown,
                "param_values": values,
                "rows": rows,
                **_stats(times),
                "sparql": bind(q.text, subs) if subs else q.text,
            }
        )
    return {"queries": results}


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Timeout


def _prefixed(sparql: str) -> str:
    from kgraph.vocab import PREFIXES

    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", sparql))
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared)
    return head + sparql


def _progress(text: str) -> None:
    """A line on standard error (the parent's terminal): the baseline can run for minutes."""
    import sys

    print(f"{time.strftime('%H:%M:%S')}   {text}", file=sys.stderr, flush=True)


def rdflib_queries(
    nquads: str,
    queries: list[dict[str, Any]],
    warmup: int = 2,
    runs: int = 20,
    budget_s: float = 60.0,
    timeout_s: float = 120.0,
) -> dict[str, Any]:
    """Child: the rdflib baseline: parse ``nquads`` into a ``Dataset`` and time ``queries``
    (``{"query": name, "sparql": bound text}``) with rdflib's SPARQL engine."""
    import os
    import warnings

    import rdflib

    warnings.simplefilter("ignore")  # rdflib's own deprecation warnings, not ours
    wall, cpu = time.perf_counter(), sum(os.times()[:2])
    ds = rdflib.Dataset(default_union=True)
    ds.parse(nquads, format="nquads")
    wall, cpu = time.perf_counter() - wall, sum(os.times()[:2]) - cpu
    triples = len(ds)  # quads of the union
    from . import peak_rss_kib

    parse_rss = peak_rss_kib() / 1024
    _progress(f"rdflib: parsed {triples:,} triples in {wall:.1f} s")
    signal.signal(signal.SIGALRM, _on_alarm)
    results = []
    for q in queries:
        text = _prefixed(q["sparql"])
        times: list[float] = []
        rows: int | None = None
        status = "ok"
        started = time.perf_counter()
        for i in range(warmup + runs):
            signal.setitimer(signal.ITIMER_REAL, timeout_s)
            t = time.perf_counter()
            try:
                rows = len(list(ds.query(text)))
            except _Timeout:
                status = "timeout"
                break
            except Exception as e:  # a query rdflib cannot run is a finding, not a crash
                status = f"error: {type(e).__name__}: {e}"[:300]
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            t = time.perf_counter() - t
            if i >= warmup or t > budget_s / 4:  # a slow warm-up counts: no time for more
                times.append(t)
            spent = time.perf_counter() - started
            if times and spent > budget_s and (len(times) >= 3 or t > budget_s / 4):
                break
        entry: dict[str, Any] = {"query": q["query"], "status": status, "rows": rows}
        done = f"median {statistics.median(times) * 1000:,.0f} ms" if times else status
        _progress(f"rdflib: {q['query']}: {done}")
        if times:
            entry.update(_stats(times))
        elif status == "timeout":
            entry.update({"runs": 0, "median_ms": None, "p95_ms": None, "min_ms": None})
        results.append(entry)
    return {
        "parse_s": round(wall, 3),
        "parse_cpu_s": round(cpu, 3),
        "triples": triples,
        "parse_peak_rss_mib": round(parse_rss, 1),
        "timeout_s": timeout_s,
        "queries": results,
    }


def geometric_mean(values: list[float]) -> float | None:
    values = [v for v in values if v and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def summarise(kgraph: list[dict[str, Any]], baseline: dict[str, Any]) -> dict[str, Any]:
    """Speed-up of kgraph over rdflib per query (rdflib median / kgraph median), the geometric
    mean, the slowest ratio, and whether both engines returned as many rows."""
    by_name = {q["query"]: q for q in baseline["queries"]}
    rows = []
    for k in kgraph:
        r = by_name.get(k["query"], {})
        entry = {
            "query": k["query"],
            "kgraph_median_ms": k["median_ms"],
            "rdflib_median_ms": r.get("median_ms"),
            "rdflib_p95_ms": r.get("p95_ms"),
            "rdflib_runs": r.get("runs"),
            "rdflib_status": r.get("status", "not run"),
            "kgraph_rows": k["rows"],
            "rdflib_rows": r.get("rows"),
            "rows_match": None if r.get("rows") is None else r.get("rows") == k["rows"],
            "speedup": None,
            "speedup_is_lower_bound": False,
        }
        kg_ms = max(k["median_ms"], 0.01)
        if r.get("median_ms") is not None:
            entry["speedup"] = round(r["median_ms"] / kg_ms, 1)
        elif r.get("status") == "timeout":
            entry["speedup"] = round(baseline["timeout_s"] * 1000 / kg_ms, 1)
            entry["speedup_is_lower_bound"] = True
        rows.append(entry)
    speedups = [r["speedup"] for r in rows if r["speedup"] is not None]
    gm = geometric_mean(speedups)
    return {
        "per_query": rows,
        "geomean_speedup": round(gm, 1) if gm else None,
        "min_speedup": min(speedups) if speedups else None,
        "all_rows_match": all(r["rows_match"] is not False for r in rows),
    }


def main(argv: list[str] | None = None) -> None:
    """``python -m benchmarks.queries --store PATH [NAME …]``: time named queries on a built store
    (each in a child process with a time limit), for working on a query's shape."""
    import argparse

    from rich.console import Console
    from rich.table import Table

    from . import ChildFailed, in_child

    p = argparse.ArgumentParser(prog="python -m benchmarks.queries", description=main.__doc__)
    p.add_argument("names", nargs="*", help="named queries (default: all)")
    p.add_argument("--store", required=True, help="an on-disk kgraph store (e.g. build/store)")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per query, all runs")
    args = p.parse_args(argv)
    t = Table(title=f"named queries on {args.store}")
    for col in ("query", "params", "rows", "median ms", "p95 ms", "runs"):
        t.add_column(col, justify="left" if col in ("query", "params") else "right")
    for name in args.names or query_names():
        try:
            (q,) = in_child(
                "benchmarks.queries:kgraph_queries",
                timeout=args.timeout,
                store=args.store,
                names=[name],
                warmup=args.warmup,
                runs=args.runs,
                budget_s=args.timeout / 4,
            )["queries"]
        except ChildFailed as e:
            t.add_row(name, "", "", str(e), "", "")
            continue
        params = ", ".join(f"{k}={v}" for k, v in q["params"].items())
        t.add_row(
            name,
            params,
            f"{q['rows']:,}",
            f"{q['median_ms']:,.1f}",
            f"{q['p95_ms']:,.1f}",
            str(q["runs"]),
        )
    Console().print(t)


if __name__ == "__main__":
    main()
