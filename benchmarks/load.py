"""Load test of ``kgraph serve``: concurrent clients running the named queries over HTTP.

    python -m benchmarks.load                        # 20 clients for 30 s (the issue's figure)
    python -m benchmarks.load --clients 3 --seconds 3
    python -m benchmarks.load --url http://127.0.0.1:8000 --json load.json

Without ``--url`` it builds the bundled corpus into a store in a temporary folder and starts the
real command, ``python -m kgraph serve --store … --port 0`` (its defaults otherwise: 127.0.0.1,
read-only, 2 query workers, 10 s time limit), as a child process that it stops at the end. With
``--url`` it uses a server that is already running, which must be on a loopback address: this is
a load generator and it refuses to aim at another machine.

Each client is a thread with its own keep-alive ``http.client`` connection. It loops over every
named query (:func:`kgraph.queries.named_queries`) with the parameters the query benchmark
chooses (:func:`benchmarks.queries.choose_params`: required parameters get the example of their
description), bound into the SPARQL text, and sends ``GET /sparql?query=…`` asking for SPARQL
JSON. A request counts as an **error** if it raises (connection refused or reset, timeout), if
the status is not 2xx, if the body is not SPARQL JSON, or if its number of result rows differs
from what the same query gave before the load started (a server that answers wrongly under load
fails too). Runs are bounded in time (``seconds``) and in count (``max_requests``).

The report (a dict, also printed as JSON): ``requests``, ``errors`` (and ``error_kinds``,
``error_examples``), ``throughput_rps``, latency percentiles ``latency_ms`` (p50, p95, p99, max,
mean) over all requests and per query, and ``ok``: zero failed requests.

Two more scenarios (``--scenario``), from the reliability review:

- ``starvation``: ``--runaway`` clients (2) loop a query that runs into the time limit while one
  client sends a cheap query every half second; ``ok`` when every cheap answer took under 1 s;
- ``burst``: ``--connections`` (100) new connections opened at once, each sending one query;
  ``ok`` when every one is answered 200.

    python -m benchmarks.load --scenario starvation --seconds 20
    python -m benchmarks.load --scenario burst --connections 100
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "NamedRequest",
    "Server",
    "burst",
    "named_requests",
    "percentile",
    "run",
    "starvation",
]

#: Answers a client waits for at most (the server's own time limit is 10 s by default).
REQUEST_TIMEOUT = 60.0
ACCEPT = "application/sparql-results+json"


@dataclass(frozen=True)
class NamedRequest:
    """One named query, its parameters and its bound SPARQL text, as the clients send it."""

    name: str
    params: dict[str, str]
    sparql: str
    path: str  # /sparql?query=…
    rows: int | None = None  # what it returned before the load (None: not checked yet)


def named_requests(store: Any) -> list[NamedRequest]:
    """Every named query with parameters chosen on ``store`` and bound into its text."""
    from kgraph.queries import bindings, named_queries
    from kgraph.sparql import bind

    from .queries import choose_params

    out = []
    for name, query in named_queries().items():
        params = choose_params(store, query)
        subs = bindings(store, name, params)
        sparql = bind(query.text, subs) if subs else query.text
        path = "/sparql?" + urllib.parse.urlencode({"query": sparql})
        out.append(NamedRequest(name, params, sparql, path))
    return out


class Server:
    """``python -m kgraph serve`` on a free port of 127.0.0.1, as a child process."""

    def __init__(self, store: Path, *args: str, start_timeout: float = 60.0) -> None:
        cmd = [sys.executable, "-m", "kgraph", "serve", "--store", str(store), "--port", "0"]
        self.process = subprocess.Popen(
            [*cmd, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.log_lines = 0
        found: list[str] = []
        reader = threading.Thread(target=self._read_log, args=(found,), daemon=True)
        reader.start()
        deadline = time.monotonic() + start_timeout
        while not found and time.monotonic() < deadline and self.process.poll() is None:
            time.sleep(0.02)
        if not found:
            self.stop()
            raise RuntimeError(f"kgraph serve did not start (exit status {self.process.poll()})")
        self.url = found[0]

    def _read_log(self, found: list[str]) -> None:
        """Find the announced URL, then drain the request log so the pipe never fills."""
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if not found:
                m = re.search(r"(http://[\d.]+:\d+)/", line)
                if m:
                    found.append(m.group(1))
                    continue
            self.log_lines += 1

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _loopback(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"expected an http:// URL, not {url!r}")
    host = parts.hostname
    try:
        is_loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if not is_loopback:
        raise ValueError(f"the load test only runs against a loopback address, not {host!r}")
    return host, parts.port or 80


@dataclass
class _Tally:
    """What the clients saw, under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    by_query: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    sent: int = 0

    def take(self, limit: int) -> bool:
        """Reserve one request of the ``limit``; False once it is reached."""
        with self.lock:
            if self.sent >= limit:
                return False
            self.sent += 1
            return True

    def record(self, name: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.by_query.setdefault(name, []).append(seconds)
            if error is not None:
                kind = error.split(":", 1)[0]
                self.errors[kind] += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{name}: {error}")


def _rows(body: bytes) -> int:
    data = json.loads(body)
    if "boolean" in data:
        return 1
    return len(data["results"]["bindings"])


def _one(conn: http.client.HTTPConnection, req: NamedRequest) -> tuple[str | None, int]:
    """Send one request on ``conn``; (error or None, rows)."""
    try:
        conn.request("GET", req.path, headers={"Accept": ACCEPT})
        response = conn.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as e:
        conn.close()  # the next request opens a fresh connection
        return f"{type(e).__name__}: {e}", 0
    if not 200 <= response.status < 300:
        return f"HTTP {response.status}: {body[:120]!r}", 0
    try:
        rows = _rows(body)
    except (ValueError, KeyError, TypeError) as e:
        return f"bad body: {e}", 0
    if req.rows is not None and rows != req.rows:
        return f"wrong answer: {rows} rows, {req.rows} before the load", rows
    return None, rows


def _client(
    host: str,
    port: int,
    requests: list[NamedRequest],
    offset: int,
    deadline: float,
    limit: int,
    tally: _Tally,
) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
    k = offset  # clients start at different queries, so every query is in flight at once
    try:
        while time.monotonic() < deadline and tally.take(limit):
            req = requests[k % len(requests)]
            k += 1
            started = time.perf_counter()
            error, _ = _one(conn, req)
            tally.record(req.name, time.perf_counter() - started, error)
            if error is not None and not error.startswith(("HTTP", "wrong", "bad")):
                time.sleep(0.05)  # the server is gone: do not spin
    finally:
        conn.close()


def percentile(ordered: list[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (0 < q <= 100) of an ascending list.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50), percentile([1.0, 2.0, 3.0, 4.0], 99)
    (2.0, 4.0)
    """
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def _latency(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    if not ordered:
        return {}
    ms = {f"p{q}": percentile(ordered, q) for q in (50, 95, 99)}
    ms["max"] = ordered[-1]
    ms["mean"] = sum(ordered) / len(ordered)
    return {k: round(v * 1000, 2) for k, v in ms.items()}


def run(
    clients: int = 20,
    seconds: float = 30.0,
    url: str | None = None,
    *,
    max_requests: int = 1_000_000,
    server_args: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Load ``kgraph serve`` with ``clients`` concurrent clients for ``seconds``; the report.

    ``url`` names a running server (loopback only); without it a server is started on a store
    of the bundled corpus (``server_args`` are added to its command line) and stopped at the end.
    """
    import kgraph
    from kgraph.vocab import corpus_dir

    if clients < 1 or seconds <= 0 or max_requests < 1:
        raise ValueError("clients, seconds and max_requests must be positive")
    if url is not None:
        _loopback(url)  # refuse another machine before doing anything
    with ExitStack() as stack:
        server: Server | None = None
        if url is None:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kgraph-load-")))
            store_path = tmp / "store"
            kgraph.load(corpus_dir(), store=str(store_path))
            params_store = kgraph.open_store(store_path, read_only=True)
            server = stack.enter_context(Server(store_path, *server_args))
            url = server.url
        else:
            params_store = kgraph.load().store  # the bundled corpus: the same entity IRIs
        host, port = _loopback(url)
        requests = named_requests(params_store)

        # before the load: every query once, on its own, gives the row count to expect
        tally = _Tally()
        checked = []
        conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
        for req in requests:
            started = time.perf_counter()
            error, rows = _one(conn, req)
            tally.record(req.name, time.perf_counter() - started, error)
            checked.append(NamedRequest(req.name, req.params, req.sparql, req.path, rows))
        conn.close()
        warmup_errors = sum(tally.errors.values())

        load = _Tally()
        started = time.monotonic()
        deadline = started + seconds
        threads = [
            threading.Thread(
                target=_client,
                args=(host, port, checked, i, deadline, max_requests, load),
                name=f"load-client-{i}",
                daemon=True,
            )
            for i in range(clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + REQUEST_TIMEOUT + 10)
        elapsed = time.monotonic() - started
        stuck = sum(t.is_alive() for t in threads)
        if stuck:
            load.errors["client did not finish"] += stuck

        with load.lock:
            latencies = list(load.latencies)
            errors = sum(load.errors.values())
            report: dict[str, Any] = {
                "url": url,
                "clients": clients,
                "seconds": seconds,
                "elapsed_s": round(elapsed, 2),
                "queries": len(requests),
                "requests": len(latencies),
                "errors": errors,
                "warmup_errors": warmup_errors,
                "error_kinds": dict(tally.errors + load.errors),
                "error_examples": [*tally.examples, *load.examples],
                "throughput_rps": round(len(latencies) / elapsed, 1) if elapsed > 0 else 0.0,
                "latency_ms": _latency(latencies),
                "per_query": {
                    name: {"requests": len(times), **_latency(times)}
                    for name, times in sorted(load.by_query.items())
                },
                "params": {r.name: r.params for r in requests if r.params},
                "server": "started by the load test" if server is not None else "given by --url",
                "server_args": list(server_args),
                "cpus": os.cpu_count(),
                "load_average": _load_average(),
            }
        report["ok"] = errors == 0 and warmup_errors == 0 and len(latencies) > 0
        if server is not None:
            report["server_log_lines"] = server.log_lines
        return report


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = "SELECT ?l WHERE { kg:ketamine rdfs:label ?l }"


def _get(url: str, query: str, timeout: float = REQUEST_TIMEOUT) -> int:
    import urllib.error
    import urllib.request

    target = f"{url}/sparql?{urllib.parse.urlencode({'query': query})}"
    try:
        with urllib.request.urlopen(target, timeout=timeout) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


def _scenario_server(stack: ExitStack, url: str | None, server_args: tuple[str, ...]) -> str:
    import kgraph
    from kgraph.vocab import corpus_dir

    if url is not None:
        _loopback(url)
        return url
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kgraph-load-")))
    kgraph.load(corpus_dir(), store=str(tmp / "store"))
    return stack.enter_context(Server(tmp / "store", *server_args)).url


def starvation(
    seconds: float = 20.0,
    url: str | None = None,
    *,
    runaway: int = 2,
    server_args: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Cheap-query latency while ``runaway`` clients loop queries that hit the time limit."""
    with ExitStack() as stack:
        url = _scenario_server(stack, url, server_args)
        stop = threading.Event()
        runaway_answers: Counter[int] = Counter()

        def loop() -> None:
            while not stop.is_set():
                runaway_answers[_get(url, RUNAWAY)] += 1

        threads = [threading.Thread(target=loop, daemon=True) for _ in range(runaway)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        waits, statuses = [], Counter()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.perf_counter()
            statuses[_get(url, CHEAP)] += 1
            waits.append(time.perf_counter() - started)
            time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join(REQUEST_TIMEOUT + 5)
    waits.sort()
    return {
        "scenario": "starvation",
        "runaway_clients": runaway,
        "seconds": seconds,
        "cheap_queries": len(waits),
        "cheap_statuses": dict(statuses),
        "runaway_statuses": dict(runaway_answers),
        "cheap_latency_ms": _latency(waits),
        "ok": bool(waits) and set(statuses) == {200} and waits[-1] < 1.0,
    }


def burst(
    connections: int = 100, url: str | None = None, *, server_args: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``connections`` new connections opened at the same moment, one cheap query each."""
    with ExitStack() as stack:
        url = _scenario_server(stack, url, server_args)
        barrier = threading.Barrier(connections)
        results: list[tuple[int, float]] = []
        lock = threading.Lock()

        def one() -> None:
            barrier.wait()
            started = time.perf_counter()
            status = _get(url, CHEAP)
            with lock:
                results.append((status, time.perf_counter() - started))

        threads = [threading.Thread(target=one, daemon=True) for _ in range(connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(REQUEST_TIMEOUT + 10)
    statuses = Counter(s for s, _ in results)
    return {
        "scenario": "burst",
        "connections": connections,
        "statuses": dict(statuses),
        "latency_ms": _latency(sorted(t for _, t in results)),
        "ok": statuses.get(200, 0) == connections,
    }


def _load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not on Linux
        return []


def _print(report: dict[str, Any]) -> None:
    lat = report["latency_ms"]
    print(
        f"kgraph serve under load: {report['clients']} clients for {report['elapsed_s']} s, "
        f"{report['queries']} named queries in turn ({report['url']})"
    )
    print(
        f"  {report['requests']:,} requests, {report['errors']} errors, "
        f"{report['throughput_rps']} req/s; latency p50 {lat.get('p50')} ms, "
        f"p95 {lat.get('p95')} ms, p99 {lat.get('p99')} ms, max {lat.get('max')} ms"
    )
    width = max(len(name) for name in report["per_query"]) if report["per_query"] else 10
    for name, q in report["per_query"].items():
        print(
            f"    {name:<{width}}  {q['requests']:>6}  p50 {q['p50']:>8} ms  p95 {q['p95']:>8} ms"
        )
    for example in report["error_examples"]:
        print(f"  error: {example}")
    print("  ok: zero failed requests" if report["ok"] else "  NOT OK: some requests failed")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.load", description=__doc__.split("\n")[0]
    )
    p.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    p.add_argument("--seconds", type=float, default=30.0, help="duration (default 30)")
    p.add_argument("--url", help="a running kgraph serve on a loopback address")
    p.add_argument("--max-requests", type=int, default=1_000_000, help="stop after this many")
    p.add_argument("--workers", type=int, help="query workers of the server it starts")
    p.add_argument("--json", type=Path, help="also write the report here")
    p.add_argument("--scenario", choices=["load", "starvation", "burst"], default="load")
    p.add_argument("--runaway", type=int, default=2, help="starvation: runaway clients")
    p.add_argument("--connections", type=int, default=100, help="burst: connections at once")
    args = p.parse_args(argv)
    extra = ("--workers", str(args.workers)) if args.workers else ()
    if args.scenario == "starvation":
        report = starvation(args.seconds, args.url, runaway=args.runaway, server_args=extra)
        print(json.dumps(report, indent=2))
    elif args.scenario == "burst":
        report = burst(args.connections, args.url, server_args=extra)
        print(json.dumps(report, indent=2))
    else:
        report = run(
            args.clients, args.seconds, args.url, max_requests=args.max_requests, server_args=extra
        )
        _print(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
