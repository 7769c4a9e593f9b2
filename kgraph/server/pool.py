"""The pool of query worker processes (:mod:`kgraph.server.workers` is what runs inside one).

pyoxigraph cannot cancel a running query, so a job still running after its ``timeout`` has its
worker killed (SIGKILL) and replaced by a warm spare. Two lanes keep a cheap query from waiting
behind runaway ones: ``workers`` general workers, and ``reserve`` workers that take a job only when
every general worker is busy, with the short time limit ``short_timeout``.

>>> WorkerPool.run.__doc__.splitlines()[0]
"The worker's reply to ``job``; :class:`QueryTimeout` or :class:`PoolBusy` otherwise."
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import shutil
import threading
import time
from dataclasses import dataclass
from typing import Any

from ..store.oxigraph import OxigraphStore
from .workers import Limits, PoolBusy, QueryTimeout, _main, _memory_message

__all__ = ["WorkerPool"]

log = logging.getLogger("kgraph.server")


# -- the pool --------------------------------------------------------------------------------------


@dataclass
class _Process:
    process: Any
    conn: Any
    lane: str


class WorkerPool:
    """``workers`` general worker processes plus ``reserve`` for the short lane (see module docs).

    :meth:`run` gives a job to a free worker and waits at most ``timeout`` seconds for the answer;
    past that the worker is killed and a fresh one takes its place.

    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "store"
    >>> OxigraphStore(path).replace(['<urn:a> <urn:b> "c" <urn:g> .'])
    >>> pool = WorkerPool(path, workers=1, reserve=0)
    >>> job = {"kind": "query", "sparql": "SELECT ?o { ?s ?p ?o }", "media_type": "text/csv"}
    >>> pool.run(job, timeout=30)[2]
    b'o\\r\\nc\\r\\n'
    >>> pool.close()
    """

    def __init__(
        self,
        store: str | os.PathLike[str],
        *,
        workers: int = 2,
        reserve: int = 1,
        short_timeout: float = 0.5,
        limits: Limits | None = None,
    ) -> None:
        methods = mp.get_all_start_methods()
        self._ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._ctx.set_forkserver_preload(
                ["kgraph.server.workers", "kgraph.views", "kgraph.queries"]
            )
        self.store = os.fspath(store)
        self.limits = limits or Limits()
        self.size = workers
        self.reserve = reserve
        self.short_timeout = short_timeout
        self.replaced = 0
        self.isolation: str | None = None  # why workers keep the network, if they do
        self._idle: dict[str, queue.Queue[_Process]] = {
            "general": queue.Queue(),
            "short": queue.Queue(),
        }
        self._closed = False
        self._spares: queue.Queue[_Process] = queue.Queue()
        for _ in range(workers):
            self._idle["general"].put(self._start("general"))
        for _ in range(reserve):
            self._idle["short"].put(self._start("short"))
        threading.Thread(target=self._add_spare, daemon=True).start()

    def _start(self, lane: str) -> _Process:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_main, args=(child, self.store, self.limits), daemon=True
        )
        process.start()
        child.close()
        if parent.poll(30):
            try:
                _, reason = parent.recv()
            except (EOFError, OSError):
                reason = "the worker died while starting"
            if reason and reason != self.isolation:
                log.warning("kgraph serve: %s", reason)
                self.isolation = reason
        return _Process(process, parent, lane)

    def _replace(self, worker: _Process) -> None:
        """Kill ``worker``; a warm spare takes its place at once, and a new spare is started in
        the background (starting a process takes long enough to keep a cheap query waiting)."""
        worker.process.kill()
        worker.conn.close()
        threading.Thread(target=worker.process.join, args=(5,), daemon=True).start()
        self.replaced += 1
        if self._closed:
            return
        try:
            spare = self._spares.get_nowait()
            spare.lane = worker.lane
        except queue.Empty:
            spare = self._start(worker.lane)
        self._idle[worker.lane].put(spare)
        threading.Thread(target=self._add_spare, daemon=True).start()

    def _add_spare(self) -> None:
        spare = self._start("spare")
        if self._closed:
            spare.process.kill()
        else:
            self._spares.put(spare)

    def _take(self, timeout: float, wait: float | None, short: bool) -> tuple[_Process, float]:
        try:
            return self._idle["general"].get_nowait(), timeout
        except queue.Empty:
            pass
        short = short and self.reserve > 0
        if short:
            try:
                return self._idle["short"].get_nowait(), min(timeout, self.short_timeout)
            except queue.Empty:
                pass
        deadline = time.monotonic() + (timeout if wait is None else wait)
        while True:
            for lane in ("general", "short") if short else ("general",):
                try:
                    worker = self._idle[lane].get(timeout=0.01)
                except queue.Empty:
                    continue
                limit = timeout if lane == "general" else min(timeout, self.short_timeout)
                return worker, limit
            if time.monotonic() >= deadline:
                raise PoolBusy(
                    f"all {self.size + self.reserve} query workers are busy; try again shortly"
                )

    def run(
        self, job: dict, timeout: float, wait: float | None = None, *, short: bool = True
    ) -> tuple:
        """The worker's reply to ``job``; :class:`QueryTimeout` or :class:`PoolBusy` otherwise.
        ``short``: the job may use the short lane when the general workers are all busy."""
        worker, limit = self._take(timeout, wait, short)
        try:
            worker.conn.send(job)
            if not worker.conn.poll(limit):
                self._replace(worker)
                if limit < timeout:
                    raise PoolBusy(
                        f"every worker is busy with long queries, and this one did not finish "
                        f"within the short lane's {limit:g} s; try again shortly"
                    )
                raise QueryTimeout(
                    f"the query ran longer than this server's time limit ({timeout:g} s) "
                    "and was stopped; make it more selective or add LIMIT"
                )
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.process.join(2)  # reap it, to read how it ended
            code = worker.process.exitcode
            self._replace(worker)
            if code is not None and code < 0 and self.limits.max_memory:
                return ("error", 507, _memory_message(self.limits))
            return ("error", 500, "the query worker died; it has been replaced")
        self._idle[worker.lane].put(worker)
        return reply

    def update(self, job: dict, timeout: float, link: OxigraphStore, wait: float) -> tuple:
        """Apply an update: one writer at a time (the store's lock, shared with ``kgraph build``),
        the next generation prepared by a worker, committed here only if it was ready in time.
        A 200 means committed and synced; any other answer means nothing changed."""
        with link.writing(wait=wait):
            target = link.new_generation()
            try:
                reply = self.run({**job, "target": str(target)}, timeout, short=False)
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise
            if reply[0] != "ok":
                shutil.rmtree(target, ignore_errors=True)
                return reply
            link.commit(target)
            return reply

    def close(self) -> None:
        self._closed = True
        for lane in (*self._idle.values(), self._spares):
            while True:
                try:
                    worker = lane.get_nowait()
                except queue.Empty:
                    break
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
                worker.process.join(1)
                if worker.process.is_alive():
                    worker.process.kill()
