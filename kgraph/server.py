"""``kgraph serve``: a SPARQL 1.1 Protocol endpoint and the explorer pages, read-only and bounded.

Pages and endpoints (standard library only: :class:`http.server.ThreadingHTTPServer`):

============================  =================================================================
``/``                         the HTML explorer of the whole graph (:func:`kgraph.views.render_html`)
``/query``                    a page to write SPARQL, see the result as a table, open it as a graph
``/graph?query=…``            a CONSTRUCT (or ``SELECT ?s ?p ?o``) drawn by the explorer
``/sparql``                   SPARQL 1.1 Protocol: GET ``?query=``, POST form or
                              ``application/sparql-query``; ``update`` only when enabled
``/queries``                  the named queries (JSON); ``/queries/NAME?param=…`` runs one
``/health``                   liveness and the store generation being served (JSON)
``/static/NAME``              the explorer's own static files, by exact name
============================  =================================================================

Limits a request cannot lift:

- **time**: each query runs in a worker *process* (a small pool; each opens the store read-only).
  pyoxigraph cannot cancel a running query, so a query still running after ``timeout`` seconds has
  its worker killed and replaced; the client gets **503** with a message, other clients are served
  by the other workers meanwhile.
- **result size**: a result of more than ``max_rows`` rows (or triples) is refused with **507**
  and a message saying to page with ``LIMIT``/``OFFSET`` — never silently cut short.
- **request body**: more than ``max_body`` bytes (1 MiB) gives **413** unread.

Refused by default: SPARQL Update (**403**; with ``allow_update`` it needs
``Authorization: Bearer TOKEN``, else **401**/**403**), and any query or update naming ``SERVICE``
or ``LOAD`` (**403**), found by a tokenizer that skips strings, IRIs and comments (see
:func:`refused_keyword`). Static files come only from the package, by exact name; everything else
is **404**. HTML pages carry a Content-Security-Policy, every response ``nosniff`` and
``no-referrer``; CORS headers only with ``cors_origin``. The server binds 127.0.0.1 unless told
otherwise (and then answers only requests addressed to a loopback host name, against DNS
rebinding), and follows the store's generation link: a ``kgraph build`` into the same store is
served from the next request on, without a restart.

>>> refused_keyword("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }")
'SERVICE'
>>> refused_keyword('SELECT ("SERVICE <x> {}" AS ?s) WHERE { ?s <urn:load> ?o } # LOAD')
>>> query_form("PREFIX ex: <http://e/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
'construct'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import multiprocessing as mp
import os
import queue
import re
import signal
import sys
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import sparql
from .errors import KGraphError, QueryError, StoreError
from .media import negotiate
from .store.results import QueryResult

__all__ = [
    "KGraphHTTPServer",
    "ServerConfig",
    "WorkerPool",
    "make_server",
    "negotiate",
    "query_form",
    "refused_keyword",
    "serve",
]

# -- SPARQL text: read by kgraph.sparql -------------------------------------------------------------

refused_keyword = sparql.refused
query_form = sparql.query_form


# -- content negotiation ---------------------------------------------------------------------------

#: Media types offered for SELECT/ASK results and for graphs (CONSTRUCT/DESCRIBE), in preference
#: order, with the serialisation each names.
RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
    "text/plain": "nt",
}
_FORMAT_PARAM = {
    "select": {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values"},
    "graph": {"turtle": "text/turtle", "ttl": "text/turtle", "nt": "application/n-triples",
              "ntriples": "application/n-triples", "xml": "application/rdf+xml",
              "rdfxml": "application/rdf+xml", "json": "application/ld+json",
              "jsonld": "application/ld+json"},
}  # fmt: skip


# -- the worker processes --------------------------------------------------------------------------


class _TooLarge(KGraphError):
    pass


class _LimitedStore:
    """A :class:`~kgraph.store.Store` over one read-only Oxigraph generation that stops reading a
    result once it passes ``max_rows`` (``None``: no limit)."""

    def __init__(self, store: ox.Store, url: str, max_rows: int | None) -> None:
        self._store = store
        self.url = url
        self.max_rows = max_rows

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict | None = None,
        timeout: float | None = None,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryResult:
        from .sparql import bind
        from .vocab import PREFIXES

        sparql = bind(sparql, substitutions)
        options: dict[str, Any] = {"prefixes": PREFIXES}
        if default_graph:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            result = self._store.query(sparql, **options)
            limit = self.max_rows
            if isinstance(result, ox.QueryBoolean):
                return QueryResult(boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows = []
                for solution in result:
                    rows.append(tuple(solution[v] for v in names))
                    if limit is not None and len(rows) > limit:
                        raise _TooLarge(f"more than {limit:,} rows")
                return QueryResult(names, rows)
            triples = []
            for triple in result:
                triples.append(triple)
                if limit is not None and len(triples) > limit:
                    raise _TooLarge(f"more than {limit:,} triples")
            return QueryResult(triples=triples)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from None
        except (OSError, RuntimeError, ValueError) as e:
            raise QueryError(f"query failed: {e}") from None

    def replace(self, data, ontology=()) -> None:  # pragma: no cover - never called
        raise StoreError("the server's store is read-only")

    def dump(self, format: str) -> bytes:  # pragma: no cover - never called
        raise StoreError("dump is not offered by the server")

    def close(self) -> None:
        pass


class _WorkerState:
    """What one worker process keeps between jobs: the generation it has open."""

    def __init__(self, path: str, max_rows: int) -> None:
        from .store.oxigraph import OxigraphStore

        self.link = OxigraphStore(Path(path), read_only=True)
        self.path = path
        self.max_rows = max_rows
        self._open: tuple[Path, ox.Store] | None = None

    def store(self, limited: bool = True) -> _LimitedStore:
        current = self.link.current()
        if current is None:
            raise StoreError(f"no graph at {self.path}: run `kgraph build` first")
        if self._open is None or self._open[0] != current:
            self._open = (current, ox.Store.read_only(str(current)))
        return _LimitedStore(self._open[1], self.path, self.max_rows if limited else None)

    def run(self, job: dict) -> tuple:
        kind = job["kind"]
        if kind == "ping":
            current = self.link.current()
            return ("ok", "text/plain", (current.name if current else "").encode(), {})
        if kind == "query":
            result = self.store().query(
                job["sparql"],
                default_graph=job.get("default_graph"),
                named_graphs=job.get("named_graphs"),
            )
            return _serialize(result, job["media_type"])
        if kind == "named":
            from .queries import bindings, named_queries

            store = self.store()
            subs = bindings(store, job["name"], job["params"])
            result = store.query(named_queries()[job["name"]].text, substitutions=subs or None)
            return _serialize(result, job["media_type"])
        if kind == "explorer":
            from .views import render_html

            page = render_html(self.store(limited=False))
            return ("ok", "text/html; charset=utf-8", page.encode("utf-8"), {})
        if kind == "graph":
            from .views import render_html

            result = self.store().query(job["sparql"])  # the limit applies to what is drawn
            if result.kind == "ask" or (
                result.kind == "select" and not {"s", "p", "o"} <= set(result.variables)
            ):
                return ("error", 400, "a graph view needs a CONSTRUCT or a SELECT of ?s ?p ?o")
            page = render_html(
                self.store(limited=False), query=job["sparql"], title="kgraph — query result"
            )
            return ("ok", "text/html; charset=utf-8", page.encode("utf-8"), {})
        if kind == "update":
            return self._update(job["sparql"])
        return ("error", 400, f"unknown job {kind!r}")

    def _update(self, sparql: str) -> tuple:
        """Apply an update copy-on-write: a new generation holding the old one's quads plus the
        update, swapped in atomically by :meth:`OxigraphStore.replace` (so readers never see a
        half-applied update, and a killed update changes nothing)."""
        from .store.oxigraph import OxigraphStore
        from .vocab import PREFIXES

        current = self.store(limited=False)._store
        scratch = ox.Store()
        scratch.bulk_load(current.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        try:
            scratch.update(sparql, prefixes=PREFIXES)
        except SyntaxError as e:
            return ("error", 400, f"SPARQL syntax error: {e}")
        data = scratch.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
        OxigraphStore(Path(self.path)).replace(data.splitlines())
        return ("ok", "text/plain; charset=utf-8", b"update applied\n", {})


def _serialize(result: QueryResult, media_type: str) -> tuple:
    if result.kind == "graph":
        fmt = GRAPH_TYPES.get(media_type)
        if fmt is None:  # a SELECT-type was negotiated for what turned out to be a graph
            media_type, fmt = "text/turtle", "ttl"
        rdf = {
            "ttl": ox.RdfFormat.TURTLE,
            "nt": ox.RdfFormat.N_TRIPLES,
            "rdfxml": ox.RdfFormat.RDF_XML,
            "jsonld": ox.RdfFormat.JSON_LD,
        }[fmt]
        from .vocab import PREFIXES

        options = {"prefixes": PREFIXES} if fmt == "ttl" else {}
        body = ox.serialize(result.triples or [], format=rdf, **options) or b""
    else:
        fmt = RESULT_TYPES.get(media_type)
        if fmt is None:
            media_type, fmt = "application/sparql-results+json", "json"
        body = result.serialize(fmt)
    charset = "; charset=utf-8" if media_type.startswith("text/") else ""
    return ("ok", media_type + charset, body, {"X-KGraph-Rows": str(len(result))})


def _worker_main(conn, path: str, max_rows: int) -> None:
    """A worker process: answer jobs from ``conn`` until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    state = _WorkerState(path, max_rows)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply = state.run(job)
        except _TooLarge as e:
            reply = (
                "error",
                507,
                f"the result has {e} (this server's limit, --max-rows {max_rows:,}); "
                "add LIMIT, and OFFSET to page through it, or make the query more selective",
            )
        except QueryError as e:
            reply = ("error", 400, str(e))
        except StoreError as e:
            reply = ("error", 503, str(e))
        except KGraphError as e:
            reply = ("error", 400, str(e))
        except Exception as e:  # a bug: report it rather than kill the worker
            reply = ("error", 500, f"internal error: {type(e).__name__}: {e}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


class QueryTimeout(KGraphError):
    """A job ran past its time limit (its worker was killed)."""


class PoolBusy(KGraphError):
    """No worker became free in time."""


@dataclass
class _Worker:
    process: Any
    conn: Any


class WorkerPool:
    """``size`` worker processes, each answering one job at a time over a pipe.

    :meth:`run` gives a job to a free worker and waits at most ``timeout`` seconds for the answer;
    past that the worker is killed (SIGKILL: a query inside Oxigraph cannot be interrupted any
    other way) and a fresh one takes its place.
    """

    def __init__(self, store: str | os.PathLike[str], size: int = 2, max_rows: int = 10_000):
        methods = mp.get_all_start_methods()
        self._ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._ctx.set_forkserver_preload(["kgraph.server"])
        self.store = os.fspath(store)
        self.size = size
        self.max_rows = max_rows
        self.replaced = 0
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[int] = set()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_worker_main, args=(child, self.store, self.max_rows), daemon=True
        )
        process.start()
        child.close()
        with self._lock:
            self._workers.add(id(process))
        return _Worker(process, parent)

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.conn.close()
        threading.Thread(target=worker.process.join, args=(5,), daemon=True).start()
        with self._lock:
            self._workers.discard(id(worker.process))
            self.replaced += 1
        if not self._closed:
            self._idle.put(self._start())

    def run(self, job: dict, timeout: float, wait: float | None = None) -> tuple:
        """The worker's reply to ``job``: ``("ok", type, body, headers)`` or
        ``("error", status, message)``; :class:`QueryTimeout` or :class:`PoolBusy` otherwise."""
        try:
            worker = self._idle.get(timeout=timeout if wait is None else wait)
        except queue.Empty:
            raise PoolBusy(f"all {self.size} query workers are busy; try again shortly") from None
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                self._replace(worker)
                raise QueryTimeout(
                    f"the query ran longer than this server's time limit ({timeout:g} s) "
                    "and was stopped; make it more selective or add LIMIT"
                )
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return ("error", 500, "the query worker died; it has been replaced")
        self._idle.put(worker)
        return reply

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            try:
                worker.conn.send(None)
            except OSError:
                pass
            worker.process.join(1)
            if worker.process.is_alive():
                worker.process.kill()


# -- the HTTP server -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerConfig:
    """How ``kgraph serve`` runs. ``token`` is required when ``allow_update`` is set."""

    store: Path
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1 << 20
    workers: int = 2
    allow_update: bool = False
    token: str | None = None
    cors_origin: str | None = None
    explorer_timeout: float = 120.0

    def __post_init__(self) -> None:
        if self.allow_update and not self.token:
            raise KGraphError("--allow-update needs --token (clients send it as a Bearer token)")
        if self.timeout <= 0 or self.max_rows <= 0 or self.workers <= 0:
            raise KGraphError("--timeout, --max-rows and --workers must be positive")


_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', re.I)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


class KGraphHTTPServer(ThreadingHTTPServer):
    """The threading HTTP server with kgraph's configuration, worker pool and page cache."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, config: ServerConfig) -> None:
        from .store.oxigraph import OxigraphStore

        self.config = config
        self.link = OxigraphStore(Path(config.store), read_only=True)
        if self.link.current() is None:
            raise StoreError(f"no graph at {config.store}: run `kgraph build --store` first")
        self.pool = WorkerPool(config.store, size=config.workers, max_rows=config.max_rows)
        self._explorer: dict[str, tuple[bytes, str]] = {}
        self._explorer_lock = threading.Lock()
        try:
            super().__init__((config.host, config.port), _Handler)
        except BaseException:
            self.pool.close()
            raise

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def generation(self) -> str | None:
        current = self.link.current()
        return current.name if current is not None else None

    def explorer(self) -> tuple[bytes, str] | tuple:
        """The explorer page of the current generation (rendered once per generation)."""
        gen = self.generation() or ""
        with self._explorer_lock:
            if gen in self._explorer:
                return self._explorer[gen]
            reply = self.pool.run({"kind": "explorer"}, timeout=self.config.explorer_timeout)
            if reply[0] != "ok":
                return reply
            page = reply[2]
            self._explorer = {gen: (page, _page_csp(page))}
            return self._explorer[gen]

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def _page_csp(page: bytes) -> str:
    m = _META_CSP.search(page[:4096].decode("utf-8", "replace"))
    policy = html.unescape(m.group(1)) if m else "default-src 'none'"
    return policy + "; frame-ancestors 'none'"


class _Handler(BaseHTTPRequestHandler):
    server: KGraphHTTPServer
    server_version = "kgraph"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a connection may sit idle or trickle a request
    # Small responses otherwise wait for the peer's delayed ACK (Nagle): ~44 ms a request.
    disable_nagle_algorithm = True

    # -- plumbing ----------------------------------------------------------------------------
    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
        *,
        html_csp: str | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in _SECURITY_HEADERS.items():
            self.send_header(key, value)
        if html_csp is not None:
            self.send_header("Content-Security-Policy", html_csp)
            self.send_header("X-Frame-Options", "DENY")
        origin = self.server.config.cors_origin
        if origin and html_csp is None:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Expose-Headers", "X-KGraph-Rows")
            self.send_header("Vary", "Origin")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        text = message.rstrip("\n") + "\n"
        self._send(status, text.encode("utf-8"), "text/plain; charset=utf-8", headers)

    def _json(self, status: int, data: object) -> None:
        body = json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8")

    def _reply(self, reply: tuple, *, page: bool = False) -> None:
        if reply[0] == "ok":
            _, content_type, body, headers = reply
            csp = _page_csp(body) if page else None
            self._send(200, body, content_type, headers, html_csp=csp)
        else:
            self._error(reply[1], reply[2])

    def _run(self, job: dict, *, page: bool = False) -> None:
        try:
            reply = self.server.pool.run(job, timeout=self.server.config.timeout)
        except QueryTimeout as e:
            self._error(503, str(e))
            return
        except PoolBusy as e:
            self._error(503, str(e), {"Retry-After": "2"})
            return
        self._reply(reply, page=page)

    def _body(self) -> bytes | None:
        """The request body, or ``None`` after answering 411/413."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self._error(411, "send the body with a Content-Length (chunked bodies are refused)")
            return None
        length = self.headers.get("Content-Length")
        if length is None:
            self.close_connection = True
            self._error(411, "a POST needs a Content-Length")
            return None
        try:
            n = int(length)
        except ValueError:
            n = -1
        if n < 0:
            self.close_connection = True
            self._error(400, "bad Content-Length")
            return None
        if n > self.server.config.max_body:
            self.close_connection = True
            if n <= 8 * self.server.config.max_body:  # drain a modest excess, so the client
                while n > 0:  # can read the answer; a larger one is not read at all
                    chunk = self.rfile.read(min(n, 1 << 16))
                    if not chunk:
                        break
                    n -= len(chunk)
            self._error(
                413,
                f"the request body is over this server's limit of {self.server.config.max_body:,} bytes",
            )
            return None
        return self.rfile.read(n)

    def _host_ok(self) -> bool:
        """On a loopback address, only requests naming a loopback host are answered: a web page
        elsewhere cannot reach the server through a DNS name rebound to 127.0.0.1."""
        if self.server.config.host not in _LOOPBACK:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name.strip("[]") in _LOOPBACK:
            return True
        self.close_connection = True
        self._error(421, "this server answers requests for 127.0.0.1 or localhost only")
        return False

    # -- methods -----------------------------------------------------------------------------
    def do_GET(self) -> None:
        if not self._host_ok():
            return
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        try:
            params = urllib.parse.parse_qs(
                url.query, keep_blank_values=True, max_num_fields=100, strict_parsing=False
            )
        except ValueError:
            self._error(400, "too many or malformed query parameters")
            return
        if path == "/sparql":
            self._sparql(params)
        elif path == "/":
            self._explorer()
        elif path == "/query":
            self._query_page()
        elif path == "/graph":
            self._graph(params)
        elif path == "/queries":
            self._named_list()
        elif path.startswith("/queries/"):
            self._named(path[len("/queries/") :], params)
        elif path == "/health":
            self._health()
        elif path.startswith("/static/"):
            self._static(path[len("/static/") :])
        else:
            self._error(404, "not found")

    def do_HEAD(self) -> None:
        if urllib.parse.urlsplit(self.path).path in ("/health", "/query"):
            self.do_GET()
        else:
            self._error(405, "HEAD is answered for /health and /query only", {"Allow": "GET"})

    def do_POST(self) -> None:
        if not self._host_ok():
            return
        path = urllib.parse.urlsplit(self.path).path
        if path != "/sparql":
            self._error(404 if path not in ("/", "/query", "/queries", "/health") else 405,
                        "POST goes to /sparql")  # fmt: skip
            return
        body = self._body()
        if body is None:
            return
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            self._error(400, "the request body is not UTF-8")
            return
        url_params = urllib.parse.parse_qs(
            urllib.parse.urlsplit(self.path).query, keep_blank_values=True, max_num_fields=100
        )
        if content_type == "application/sparql-query":
            params = {**url_params, "query": [text]}
        elif content_type == "application/sparql-update":
            params = {**url_params, "update": [text]}
        elif content_type == "application/x-www-form-urlencoded":
            try:
                params = urllib.parse.parse_qs(text, keep_blank_values=True, max_num_fields=100)
            except ValueError:
                self._error(400, "too many or malformed form fields")
                return
            for key in ("default-graph-uri", "named-graph-uri"):
                params.setdefault(key, []).extend(url_params.get(key, []))
        else:
            self._error(
                415,
                "POST a form (application/x-www-form-urlencoded), application/sparql-query or "
                "application/sparql-update",
            )
            return
        self._sparql(params)

    def do_OPTIONS(self) -> None:
        if not self._host_ok():
            return
        headers = {"Allow": "GET, POST, OPTIONS"}
        if self.server.config.cors_origin:
            headers.update(
                {
                    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
                    "Access-Control-Max-Age": "600",
                }
            )
        self._send(204, b"", "text/plain", headers)

    # -- SPARQL protocol ---------------------------------------------------------------------
    def _sparql(self, params: dict[str, list[str]]) -> None:
        queries, updates = params.get("query", []), params.get("update", [])
        if len(queries) + len(updates) != 1:
            self._error(400, "give exactly one query (or update) parameter")
            return
        if updates:
            self._update(updates[0])
            return
        sparql = queries[0]
        if len(sparql) > self.server.config.max_body:
            self._error(413, "the query is over this server's size limit")
            return
        refused = refused_keyword(sparql)
        if refused:
            self._error(403, f"{refused} is refused by this server (it would reach other servers)")
            return
        form = query_form(sparql)
        if form == "update":
            self._error(400, "that is an update: send it as the 'update' parameter")
            return
        kind = "graph" if form in ("construct", "describe") else "select"
        offered = list(GRAPH_TYPES if kind == "graph" else RESULT_TYPES)
        media_type = negotiate(self.headers.get("Accept"), offered, _format_param(params, kind))
        if media_type is None:
            self._error(406, "none of the Accept types is offered; this endpoint gives: "
                        + ", ".join(offered))  # fmt: skip
            return
        self._run(
            {
                "kind": "query",
                "sparql": sparql,
                "media_type": media_type,
                "default_graph": params.get("default-graph-uri") or None,
                "named_graphs": params.get("named-graph-uri") or None,
            }
        )

    def _update(self, sparql: str) -> None:
        config = self.server.config
        if not config.allow_update:
            self._error(403, "this server is read-only: SPARQL Update is refused")
            return
        auth = self.headers.get("Authorization") or ""
        if not auth.startswith("Bearer "):
            self._error(401, "an update needs 'Authorization: Bearer TOKEN'",
                        {"WWW-Authenticate": 'Bearer realm="kgraph"'})  # fmt: skip
            return
        given = auth[len("Bearer ") :].strip().encode()
        if not hmac.compare_digest(given, (config.token or "").encode()):
            self._error(403, "wrong token")
            return
        refused = refused_keyword(sparql)
        if refused:
            self._error(403, f"{refused} is refused by this server (it would reach other servers)")
            return
        self._run({"kind": "update", "sparql": sparql})

    # -- pages -------------------------------------------------------------------------------
    def _explorer(self) -> None:
        try:
            found = self.server.explorer()
        except QueryTimeout:
            self._error(503, "the explorer page took too long to draw; use `kgraph view` instead")
            return
        except PoolBusy as e:
            self._error(503, str(e), {"Retry-After": "2"})
            return
        if found[0] == "error":
            self._error(found[1], found[2])
            return
        page, csp = found
        self._send(200, page, "text/html; charset=utf-8", html_csp=csp)

    def _query_page(self) -> None:
        body = QUERY_PAGE.encode("utf-8")
        self._send(200, body, "text/html; charset=utf-8", html_csp=QUERY_PAGE_CSP)

    def _graph(self, params: dict[str, list[str]]) -> None:
        queries = params.get("query", [])
        if len(queries) != 1:
            self._error(400, "give one query parameter (a CONSTRUCT, or a SELECT of ?s ?p ?o)")
            return
        refused = refused_keyword(queries[0])
        if refused:
            self._error(403, f"{refused} is refused by this server (it would reach other servers)")
            return
        self._run({"kind": "graph", "sparql": queries[0]}, page=True)

    def _named_list(self) -> None:
        from .queries import named_queries

        self._json(
            200,
            [
                {
                    "name": q.name,
                    "title": q.title,
                    "description": q.description,
                    "params": [
                        {
                            "name": p.name,
                            "type": p.type,
                            "description": p.description,
                            "required": p.required,
                            "default": p.default,
                        }
                        for p in q.params
                    ],
                    "url": f"/queries/{q.name}",
                    "sparql": q.text,
                }
                for q in named_queries().values()
            ],
        )

    def _named(self, name: str, params: dict[str, list[str]]) -> None:
        from .queries import named_queries

        if name not in named_queries():
            self._error(404, f"no named query {name!r} (see /queries)")
            return
        values = {k: v[-1] for k, v in params.items() if k != "format"}
        media_type = negotiate(
            self.headers.get("Accept"), list(RESULT_TYPES), _format_param(params, "select")
        )
        if media_type is None:
            self._error(406, "none of the Accept types is offered")
            return
        self._run({"kind": "named", "name": name, "params": values, "media_type": media_type})

    def _health(self) -> None:
        gen = self.server.generation()
        config = self.server.config
        self._json(
            200 if gen else 503,
            {
                "status": "ok" if gen else "no graph",
                "generation": gen,
                "workers": config.workers,
                "workers_replaced": self.server.pool.replaced,
                "read_only": not config.allow_update,
                "timeout": config.timeout,
                "max_rows": config.max_rows,
            },
        )

    def _static(self, name: str) -> None:
        # Only exact names of files shipped in kgraph/views/static: no decoding, no subfolders.
        files = _static_files()
        if not _NAME.match(name) or name not in files:
            self._error(404, "not found")
            return
        kind = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
        content_type = kind.get(Path(name).suffix, "application/octet-stream")
        self._send(200, files[name], content_type, {"Cache-Control": "max-age=3600"})


def _format_param(params: dict[str, list[str]], kind: str) -> str | None:
    for key in ("format", "output"):
        for value in params.get(key, []):
            found = _FORMAT_PARAM[kind].get(value.strip().lower())
            if found:
                return found
    return None


_STATIC: dict[str, bytes] | None = None


def _static_files() -> dict[str, bytes]:
    global _STATIC
    if _STATIC is None:
        found: dict[str, bytes] = {}
        folder = resources.files("kgraph").joinpath("views", "static")
        if folder.is_dir():
            for entry in folder.iterdir():
                if entry.is_file() and _NAME.match(entry.name):
                    found[entry.name] = entry.read_bytes()
        _STATIC = found
    return _STATIC


# -- the query page --------------------------------------------------------------------------------

_QUERY_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f7f8fa}
header{background:#24324a;color:#fff;padding:.6em 1.2em}header a{color:#cfe0ff}
main{padding:1em 1.2em;max-width:1400px}
textarea{width:100%;box-sizing:border-box;height:14em;font:13px/1.4 ui-monospace,monospace}
.bar{display:flex;gap:.8em;align-items:center;margin:.5em 0;flex-wrap:wrap}
button{font-size:15px;padding:.35em 1.2em}
#status{color:#555}#status.error{color:#a40000;white-space:pre-wrap}
table{border-collapse:collapse;background:#fff;font-size:13px}
th,td{border:1px solid #d5d9e0;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#eef1f6;position:sticky;top:0}
pre{background:#fff;border:1px solid #d5d9e0;padding:.6em;overflow:auto}
""".strip()

_QUERY_JS = r"""
"use strict";
const q = document.getElementById("q");
const run = document.getElementById("run");
const statusLine = document.getElementById("status");
const out = document.getElementById("out");
const graphLink = document.getElementById("graph");
const examples = document.getElementById("examples");
const given = new URLSearchParams(window.location.search).get("query");
if (given) { q.value = given; }
function setStatus(text, isError) {
  statusLine.textContent = text;
  statusLine.className = isError ? "error" : "";
}
function cell(term) {
  const td = document.createElement("td");
  if (term) { td.textContent = term.value; td.title = term.type; }
  return td;
}
function showTable(data) {
  out.replaceChildren();
  if (typeof data.boolean === "boolean") {
    const p = document.createElement("p");
    p.textContent = data.boolean ? "true" : "false";
    out.appendChild(p);
    setStatus("ASK answered", false);
    return;
  }
  const vars = data.head.vars;
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const binding of data.results.bindings) {
    const tr = body.insertRow();
    for (const v of vars) { tr.appendChild(cell(binding[v])); }
  }
  out.appendChild(table);
  const n = data.results.bindings.length;
  setStatus(n + (n === 1 ? " row" : " rows"), false);
}
function updateLink() {
  graphLink.href = "/graph?query=" + encodeURIComponent(q.value);
}
async function runQuery() {
  updateLink();
  setStatus("running…", false);
  run.disabled = true;
  try {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: q.value,
    });
    const text = await response.text();
    if (!response.ok) {
      out.replaceChildren();
      setStatus(response.status + " " + response.statusText + ": " + text, true);
      return;
    }
    if ((response.headers.get("Content-Type") || "").startsWith("text/turtle")) {
      const pre = document.createElement("pre");
      pre.textContent = text;
      out.replaceChildren(pre);
      setStatus((response.headers.get("X-KGraph-Rows") || "?") + " triples", false);
    } else {
      showTable(JSON.parse(text));
    }
  } catch (e) {
    setStatus("request failed: " + e, true);
  } finally {
    run.disabled = false;
  }
}
run.addEventListener("click", runQuery);
q.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { runQuery(); }
});
q.addEventListener("input", updateLink);
updateLink();
fetch("/queries").then((r) => r.json()).then((list) => {
  for (const item of list) {
    const option = document.createElement("option");
    option.value = item.name;
    option.textContent = item.title;
    option.title = item.description;
    examples.appendChild(option);
  }
  examples.addEventListener("change", () => {
    const found = list.find((item) => item.name === examples.value);
    if (found) { q.value = found.sparql; updateLink(); }
  });
}).catch(() => {});
""".strip()

_DEFAULT_QUERY = """SELECT ?compound ?receptor ?quote WHERE {
  ?a a kgo:Assertion ; rdf:subject ?c ; rdf:predicate kgo:antagonistOf ; rdf:object ?r ;
     kgo:evidence/oa:hasTarget/oa:hasSelector/oa:exact ?quote .
  ?c rdfs:label ?compound . ?r rdfs:label ?receptor .
} LIMIT 100"""

QUERY_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kgraph — SPARQL query</title>
<style>{_QUERY_CSS}</style>
</head>
<body>
<header><strong>kgraph</strong> — SPARQL query ·
<a href="/">explorer</a> · <a href="/queries">named queries (JSON)</a></header>
<main>
<p>Prefixes <code>kgo: kg: kgd: kga: rdf: rdfs: owl: xsd: skos: dcterms: prov: oa:</code> are
predeclared. A CONSTRUCT, or a SELECT of <code>?s ?p ?o</code>, can be opened as a graph.</p>
<div class="bar"><label>Start from a named query:
<select id="examples"><option value="">—</option></select></label></div>
<textarea id="q" spellcheck="false" aria-label="SPARQL query">{html.escape(_DEFAULT_QUERY)}</textarea>
<div class="bar"><button id="run" type="button">Run</button>
<a id="graph" href="/graph" target="_blank" rel="noopener">open as graph</a>
<span id="status" role="status"></span></div>
<div id="out"></div>
</main>
<script>{_QUERY_JS}</script>
</body>
</html>
"""

QUERY_PAGE_CSP = "; ".join(
    [
        "default-src 'none'",
        f"script-src {_sha256(_QUERY_JS)}",
        f"style-src {_sha256(_QUERY_CSS)}",
        "connect-src 'self'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


# -- entry points ----------------------------------------------------------------------------------


def make_server(config: ServerConfig) -> KGraphHTTPServer:
    """A bound server (not yet serving); ``serve_forever()`` runs it, ``server_close()`` stops it
    and its workers."""
    return KGraphHTTPServer(config)


def serve(config: ServerConfig, *, announce=print) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    server = make_server(config)

    def stop(signum, frame):  # pragma: no cover - exercised by hand
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = signal.signal(signal.SIGTERM, stop)
    mode = "read-only" if not config.allow_update else "updates allowed with the token"
    announce(
        f"kgraph serve: {server.url} (store {config.store}, {mode}, time limit "
        f"{config.timeout:g} s, at most {config.max_rows:,} rows, {config.workers} workers)"
    )
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
