"""Inside a query worker process: each answers one job at a time, without network, in bounded
memory; :mod:`kgraph.server.pool` kills it when it runs past its time limit.

pyoxigraph cannot cancel a running query, so a job still running after its ``timeout`` has its
worker killed (SIGKILL) and replaced. Two lanes keep a cheap query from waiting behind runaway
ones: ``workers`` general workers, and ``reserve`` workers that take a job only when every general
worker is busy, with the short time limit ``short_timeout`` — a long query that lands there is
stopped quickly and told to retry, so the lane is free again for the next cheap one.

Replies are tuples: ``("ok", content_type, body, headers)`` or ``("error", status, message)``.

>>> limits = Limits(max_rows=10)
>>> limits.max_rows, limits.max_bytes
(10, 67108864)
"""

from __future__ import annotations

import logging
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .. import sparql
from ..errors import KGraphError, QueryError, StoreError
from ..media import rdf_format, results_format
from ..queries import bindings, named_queries
from ..store.oxigraph import OxigraphStore
from ..store.results import QueryResult
from ..views import render_html
from ..vocab import PREFIXES
from .isolation import cap_memory, isolate, uncap_memory

__all__ = ["Limits", "PoolBusy", "QueryTimeout"]

log = logging.getLogger("kgraph.server")


@dataclass(frozen=True)
class Limits:
    """What one job may use: rows (or triples), bytes of answer, memory beyond start-up.

    >>> Limits().max_memory >> 20, Limits().network
    (1024, False)"""

    max_rows: int = 10_000
    max_bytes: int = 64 << 20
    max_memory: int | None = 1 << 30
    network: bool = False


class QueryTimeout(KGraphError):
    """A job ran past its time limit (its worker was killed).

    >>> isinstance(QueryTimeout("stopped"), KGraphError)
    True"""


class PoolBusy(KGraphError):
    """No worker became free in time.

    >>> isinstance(PoolBusy("busy"), KGraphError)
    True"""


class _TooLarge(KGraphError):
    pass


# -- inside a worker -------------------------------------------------------------------------------


class _Worker:
    """What one worker process keeps between jobs: the generation it has open."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.link = OxigraphStore(Path(path), read_only=True)
        self.path = path
        self.limits = limits
        self._open: tuple[Path, ox.Store] | None = None

    def raw(self) -> ox.Store:
        current = self.link.current()
        if current is None:
            raise StoreError(f"no graph at {self.path}: run `kgraph build` first")
        if self._open is None or self._open[0] != current:
            self._open = (current, ox.Store.read_only(str(current)))
        return self._open[1]

    def prepare(self) -> None:
        """Open the current generation with the memory cap lifted, then cap this job's growth."""
        uncap_memory()
        try:
            if self.link.current() is not None:
                self.raw()
                self.link.quads()  # opens the link's own reader too
        finally:
            cap_memory(self.limits.max_memory)

    def run(self, job: dict) -> tuple:
        self.prepare()
        kind = job["kind"]
        if kind == "query":
            return self._query(job)
        if kind == "named":
            values = bindings(self.link, job["name"], job["params"])
            text = sparql.bind(named_queries()[job["name"]].text, values)
            return self._query({**job, "sparql": text})
        if kind in ("explorer", "graph"):
            return self._page(job)
        if kind == "update":
            return self._update(job)
        return ("error", 400, f"unknown job {kind!r}")

    def _evaluate(self, job: dict):
        options: dict[str, Any] = {"prefixes": PREFIXES, "base_iri": job.get("base")}
        default, named = job.get("default_graph"), job.get("named_graphs")
        if default or named:
            options["default_graph"] = [ox.NamedNode(g) for g in default or []]
            options["named_graphs"] = [ox.NamedNode(g) for g in named or []]
        else:
            options["use_default_graph_as_union"] = True
        try:
            return self.raw().query(job["sparql"], **options)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from None

    def _collect(self, result) -> QueryResult:
        """The whole result, refused as soon as it passes the row or byte limit."""
        limits = self.limits
        size = 0
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows = []
            for solution in result:
                row = tuple(solution[v] for v in names)
                size += sum(len(t.value) + 8 for t in row if t is not None) + 2
                rows.append(row)
                if len(rows) > limits.max_rows:
                    raise _TooLarge(f"more than {limits.max_rows:,} rows")
                if size > limits.max_bytes:
                    raise _TooLarge(f"more than {limits.max_bytes:,} bytes")
            return QueryResult(names, rows)
        triples = []
        for triple in result:
            size += len(str(triple)) + 3
            triples.append(triple)
            if len(triples) > limits.max_rows:
                raise _TooLarge(f"more than {limits.max_rows:,} triples")
            if size > limits.max_bytes:
                raise _TooLarge(f"more than {limits.max_bytes:,} bytes")
        return QueryResult(triples=triples)

    def _query(self, job: dict) -> tuple:
        result = self._collect(self._evaluate(job))
        media = job["media_type"]
        if result.kind == "graph":
            body = result.serialize(rdf_format(media))
        else:
            body = result.serialize(results_format(media))
        if len(body) > self.limits.max_bytes:
            raise _TooLarge(f"more than {self.limits.max_bytes:,} bytes")
        charset = "; charset=utf-8" if media.startswith("text/") else ""
        return ("ok", media + charset, body, {"X-KGraph-Rows": str(len(result))})

    def _page(self, job: dict) -> tuple:
        if job["kind"] == "graph":
            result = self._collect(self._evaluate(job))  # the limit applies to what is drawn
            if result.kind == "ask" or (
                result.kind == "select" and not {"s", "p", "o"} <= set(result.variables)
            ):
                return ("error", 400, "a graph view needs a CONSTRUCT or a SELECT of ?s ?p ?o")
            page = render_html(self.link, query=job["sparql"], title="kgraph — query result")
        else:
            page = render_html(self.link)
        return ("ok", "text/html; charset=utf-8", page.encode("utf-8"), {})

    def _update(self, job: dict) -> tuple:
        """Prepare the next generation: a copy of the current one (hard links, RocksDB's backup)
        with the update applied, flushed and closed. The server commits it — or throws it away."""
        uncap_memory()  # a writable store starts RocksDB threads; updates come with a token
        target = job["target"]
        self.raw().backup(target)
        store = ox.Store(target)
        try:
            store.update(job["sparql"], prefixes=PREFIXES, base_iri=job.get("base"))
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from None
        store.flush()
        del store
        return ("ok", "text/plain; charset=utf-8", b"update applied\n", {})


def _main(conn, path: str, limits: Limits) -> None:
    """A worker process: isolate, then answer jobs from ``conn`` until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    reason = isolate(max_memory=limits.max_memory, network=not limits.network)
    try:
        conn.send(("ready", reason))
    except OSError:
        return
    worker = _Worker(path, limits)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply = worker.run(job)
        except _TooLarge as e:
            reply = (
                "error",
                507,
                f"the result has {e} (this server's limit: --max-rows {limits.max_rows:,}, "
                f"--max-bytes {limits.max_bytes:,}); add LIMIT, and OFFSET to page through it, "
                "or make the query more selective",
            )
        except MemoryError:
            reply = ("error", 507, _memory_message(limits))
        except QueryError as e:
            reply = ("error", 400, str(e))
        except StoreError as e:
            reply = ("error", 503, str(e))
        except KGraphError as e:
            reply = ("error", 400, str(e))
        except Exception as e:  # a bug, or the engine out of memory: report, keep the worker
            if "memory" in str(e).lower():
                reply = ("error", 507, _memory_message(limits))
            else:
                reply = ("error", 500, f"internal error: {type(e).__name__}: {e}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


def _memory_message(limits: Limits) -> str:
    mib = (limits.max_memory or 0) >> 20
    return (
        f"the query needed more memory than this server allows a query (--max-memory {mib:,} MiB) "
        "and was stopped; make it more selective or add LIMIT"
    )
