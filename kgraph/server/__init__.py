"""``kgraph serve``: a SPARQL 1.1 Protocol endpoint and the explorer pages — read-only by default,
bounded, and unable to reach other hosts.

=============================  ====================================================================
``/``                          the HTML explorer of the whole graph (:func:`kgraph.views.render_html`)
``/query``                     write SPARQL, or pick a named query and fill in its parameters
``/graph?query=…``             a CONSTRUCT (or ``SELECT ?s ?p ?o``) drawn by the explorer
``/sparql``                    SPARQL 1.1 Protocol: GET ``?query=``, POST form or
                               ``application/sparql-query``; ``update`` by POST only, when enabled;
                               GET without a query: the Service Description
``/queries``                   the named queries (JSON); ``/queries/NAME?param=…`` runs one
``/health``                    liveness, the store generation served, whether workers are isolated
``/static/NAME``               the explorer's own static files, by exact name
=============================  ====================================================================

Built on Starlette and uvicorn (:mod:`kgraph.server.app`); the work runs in worker processes
(:mod:`kgraph.server.workers`). Limits a request cannot lift:

- **time**: a query still running after ``timeout`` seconds has its worker killed (**503**);
- **starvation**: when every general worker is busy with a long query, a new query runs in a
  reserved short lane (``short_timeout``), so a cheap one is answered at once;
- **size**: more than ``max_rows`` rows or ``max_bytes`` bytes of answer is **507**, never a
  silently shortened answer; request bodies over ``max_body`` are **413** unread;
- **memory**: each worker may grow by ``max_memory`` bytes; past that the query fails (**507**);
- **network**: workers run in a network namespace of their own (no route anywhere), and
  ``SERVICE`` / ``LOAD`` are refused (**403**) by :func:`kgraph.sparql.refused`, which fails closed.

Updates (``allow_update`` with ``Authorization: Bearer TOKEN``) take the store's writer lock —
the one ``kgraph build`` takes — so there is one writer at a time across processes; a worker
prepares the next generation and the server commits it only if it was ready in time: a **200**
means committed and synced, any other answer means nothing changed.

>>> ServerConfig(store=Path("build/store")).timeout
10.0
"""

from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import KGraphError, StoreError
from ..store.oxigraph import OxigraphStore
from .app import application
from .pool import WorkerPool
from .workers import Limits, PoolBusy, QueryTimeout

__all__ = ["ServerConfig", "ServerState", "bind", "make_app", "serve"]

log = logging.getLogger("kgraph.server")


@dataclass(frozen=True)
class ServerConfig:
    """How ``kgraph serve`` runs. ``token`` is required when ``allow_update`` is set.

    >>> ServerConfig(store=Path("s"), allow_update=True)
    Traceback (most recent call last):
    ...
    kgraph.errors.KGraphError: --allow-update needs --token (clients send it as a Bearer token)
    """

    store: Path
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    max_rows: int = 10_000
    max_bytes: int = 64 << 20
    max_memory: int | None = 1 << 30
    max_body: int = 1 << 20
    workers: int = 2
    reserve: int = 1
    short_timeout: float = 0.5
    allow_update: bool = False
    token: str | None = None
    cors_origin: str | None = None
    explorer_timeout: float = 120.0
    update_wait: float = 30.0
    backlog: int = 2048
    allow_curation: bool = False  # POST /curation appends acts to corpus/curation.jsonl
    corpus: Path | None = None

    def __post_init__(self) -> None:
        if self.allow_update and not self.token:
            raise KGraphError("--allow-update needs --token (clients send it as a Bearer token)")
        if self.allow_curation and not (self.token and self.corpus):
            raise KGraphError("--allow-curation needs --token and --corpus (the log's folder)")
        if self.timeout <= 0 or self.max_rows <= 0 or self.workers <= 0:
            raise KGraphError("--timeout, --max-rows and --workers must be positive")
        if not 0 < self.short_timeout <= self.timeout:
            raise KGraphError("--short-timeout must be positive and at most --timeout")


class ServerState:
    """What the routes share: the configuration, the worker pool, the store link, the explorer
    page of the current generation.

    >>> ServerState(ServerConfig(store=Path("/nonexistent/store")))
    Traceback (most recent call last):
    ...
    kgraph.errors.StoreError: no graph at /nonexistent/store: run `kgraph build --store` first"""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.link = OxigraphStore(Path(config.store), read_only=True)
        if self.link.current() is None:
            raise StoreError(f"no graph at {config.store}: run `kgraph build --store` first")
        limits = Limits(
            max_rows=config.max_rows, max_bytes=config.max_bytes, max_memory=config.max_memory
        )
        self.pool = WorkerPool(
            config.store,
            workers=config.workers,
            reserve=config.reserve,
            short_timeout=config.short_timeout,
            limits=limits,
        )
        self._explorer: dict[str, tuple] = {}
        self._explorer_lock = threading.Lock()

    def generation(self) -> str | None:
        current = self.link.current()
        return current.name if current is not None else None

    def explorer(self) -> tuple:
        """The explorer page of the current generation (drawn once per generation)."""
        gen = self.generation() or ""
        with self._explorer_lock:
            if gen in self._explorer:
                return self._explorer[gen]
            reply = self.pool.run(
                {"kind": "explorer"}, timeout=self.config.explorer_timeout, short=False
            )
            if reply[0] == "ok":
                self._explorer = {gen: reply}
            return reply

    def close(self) -> None:
        self.pool.close()


def make_app(config: ServerConfig):
    """The ASGI application for ``config`` (its workers start now) and its state.

    Run it with any ASGI server; :func:`serve` uses uvicorn.

    >>> import tempfile
    >>> from kgraph.store.oxigraph import OxigraphStore
    >>> path = Path(tempfile.mkdtemp()) / "store"
    >>> OxigraphStore(path).replace(['<urn:a> <urn:b> "c" <urn:g> .'])
    >>> app, state = make_app(ServerConfig(store=path, workers=1, reserve=0))
    >>> job = {"kind": "query", "sparql": "ASK { ?s ?p ?o }", "media_type": "text/csv"}
    >>> state.pool.run(job, timeout=30)[2]
    b'true'
    >>> state.close()
    """
    state = ServerState(config)
    return application(state), state


def bind(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A listening socket, or :class:`KGraphError` in one line (a busy port is not a traceback).

    >>> s = bind("127.0.0.1", 0); s.getsockname()[0]
    '127.0.0.1'
    >>> s.close()
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise KGraphError(
            f"cannot listen on {host}:{port}: {e.strerror or e} "
            "(is another server using it? choose another with --port)"
        ) from None
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def serve(config: ServerConfig, *, announce=print) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM).

    >>> serve(ServerConfig(store=Path("/nonexistent/store"), port=0))
    Traceback (most recent call last):
    ...
    kgraph.errors.StoreError: no graph at /nonexistent/store: run `kgraph build --store` first"""
    import uvicorn

    sock = bind(config.host, config.port, config.backlog)
    try:
        app, state = make_app(config)
    except BaseException:
        sock.close()
        raise
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    mode = "read-only" if not config.allow_update else "updates allowed with the token"
    isolation = "workers without network" if state.pool.isolation is None else state.pool.isolation
    announce(
        f"kgraph serve: http://{shown}:{port}/ (store {config.store}, {mode}, time limit "
        f"{config.timeout:g} s, at most {config.max_rows:,} rows, {config.workers} workers; "
        f"{isolation})"
    )
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            server_header=False,
            timeout_keep_alive=5,
            backlog=config.backlog,
            lifespan="off",
        )
    )
    try:
        server.run(sockets=[sock])
    finally:
        state.close()
        sock.close()


# re-exported for callers that catch them
QueryTimeout = QueryTimeout
PoolBusy = PoolBusy
