"""The embedded backend: an Oxigraph store in memory, or on disk with atomic generation swaps.

On disk, the store path (``build/store``) is a symbolic link to a generation folder beside it
(``build/store.gen-…``). :meth:`OxigraphStore.replace` bulk-loads a new generation and only then
points the link at it (``os.replace`` of a link is atomic), so a build that fails or is killed leaves
the last good generation in place, and readers that opened it keep their answers. One build at a time
holds ``build/store.lock``; older generations are removed once a newer one is in place (the previous
one is kept for readers still using it).
"""

from __future__ import annotations

import fcntl
import io
import itertools
import os
import queue
import shutil
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..vocab import GRAPH_ONTOLOGY, PREFIXES
from .results import QueryResult
from .sparql import bind

__all__ = ["OxigraphStore"]

_CHUNK = 8192  # N-Quads lines per chunk handed to Oxigraph's parser
_QUEUE = 16  # chunks the producer thread may run ahead of the parser
_GEN = ".gen-"
_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
}


class _Feed(io.RawIOBase):
    """N-Quads ``lines`` as a binary stream that one ``bulk_load`` reads to the end.

    A producer thread runs the line generator (reading, grounding, formatting: the Python side of
    a build) and queues encoded chunks of ``chunk`` lines, while Oxigraph parses and ingests with
    the GIL released: on two cores the Python work hides behind the store's own. The queue is
    bounded, so memory stays flat however long the stream. An exception in the generator ends the
    stream; :func:`load_lines` re-raises it unchanged once ``bulk_load`` returns.
    """

    def __init__(self, lines: Iterable[str], chunk: int = _CHUNK) -> None:
        super().__init__()
        self.count = 0
        self.error: BaseException | None = None
        self._queue: queue.Queue[bytes | None] = queue.Queue(_QUEUE)
        self._stop = threading.Event()
        self._view = memoryview(b"")
        self._done = False
        self._thread = threading.Thread(
            target=self._produce, args=(lines, chunk), name="kgraph-nquads", daemon=True
        )
        self._thread.start()

    def _produce(self, lines: Iterable[str], chunk: int) -> None:
        try:
            buf: list[str] = []
            append = buf.append
            for line in lines:
                append(line)
                if len(buf) >= chunk:
                    if not self._put(buf):
                        return
                    buf = []
                    append = buf.append
            if buf:
                self._put(buf)
        except BaseException as e:  # handed to the reading thread
            self.error = e
        finally:
            self._put_end()

    def _put(self, buf: list[str]) -> bool:
        data = ("\n".join(buf) + "\n").encode("utf-8")
        while not self._stop.is_set():
            try:
                self._queue.put(data, timeout=0.1)
                self.count += len(buf)
                return True
            except queue.Full:
                continue
        return False

    def _put_end(self) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(None, timeout=0.1)
                return
            except queue.Full:
                continue

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        view = self._view
        while not view:
            if self._done:
                return 0
            data = self._queue.get()
            if data is None:
                self._done = True
                if self.error is not None:
                    # Oxigraph turns a read error into an OSError; load_lines raises the original.
                    raise OSError("the N-Quads producer failed")
                return 0
            view = memoryview(data)
        n = min(len(b), len(view))
        b[:n] = view[:n]
        self._view = view[n:]
        return n

    def close(self) -> None:
        self._stop.set()
        while self._thread.is_alive():
            try:  # unblock a producer waiting on a full queue
                self._queue.get_nowait()
            except queue.Empty:
                self._thread.join(0.05)
        super().close()


def load_lines(store: ox.Store, lines: Iterable[str], chunk: int = _CHUNK) -> int:
    """Bulk-load N-Quads ``lines`` into ``store`` in one streaming ``bulk_load``; returns how many.

    One bulk load (rather than many) lets Oxigraph write one set of sorted files, and the lines
    are produced in a thread alongside it (see :class:`_Feed`).
    """
    feed = _Feed(lines, chunk)
    try:
        store.bulk_load(feed, format=ox.RdfFormat.N_QUADS)
    except SyntaxError as e:  # a bug in the builder, never the user's input
        raise StoreError(f"the builder produced invalid N-Quads: {e}") from e
    except BaseException:
        if feed.error is not None:
            raise feed.error from None
        raise
    finally:
        feed.close()
    if feed.error is not None:  # the parser stopped reading before the failure surfaced
        raise feed.error
    return feed.count


def ontology_lines(files: Iterable[Path]) -> list[str]:
    """The Turtle ``files`` as N-Quads in the ontology graph (one string per file), parsed now so
    that a bad file fails before anything is loaded, and loaded in the same bulk load as the data.
    """
    graph = ox.NamedNode(GRAPH_ONTOLOGY)
    out = []
    for f in files:
        try:
            quads = [
                ox.Quad(t.subject, t.predicate, t.object, graph)
                for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)
            ]
        except SyntaxError as e:
            raise StoreError(f"{f}: invalid Turtle: {e}") from e
        out.append(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8").rstrip("\n"))
    return out


def load_ontology(store: ox.Store, files: Iterable[Path]) -> None:
    """Bulk-load the Turtle ``files`` into the ontology graph of ``store``."""
    load_lines(store, ontology_lines(files))


class OxigraphStore:
    """An Oxigraph store: in memory when ``path`` is ``None``, else the generation-swapped folder."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.url = "memory:" if path is None else str(path)
        self._store: ox.Store | None = ox.Store() if path is None else None
        self._opened: Path | None = None

    # -- reading ---------------------------------------------------------------------------
    def current(self) -> Path | None:
        """The generation folder the store path points at now (``None``: nothing built yet)."""
        if self.path is None:
            return None
        if self.path.is_symlink():
            target = self.path.resolve()
            return target if target.is_dir() else None
        if self.path.is_dir():
            return self.path  # a plain Oxigraph folder made by something else: readable
        return None

    def _reader(self) -> ox.Store:
        if self.path is None:
            assert self._store is not None
            return self._store
        cur = self.current()
        if cur is None:
            raise StoreError(f"no graph at {self.path}: run `kgraph build` first")
        if self._store is None or cur != self._opened:
            try:
                self._store = ox.Store.read_only(str(cur))
            except OSError as e:
                raise StoreError(f"cannot open the store at {cur}: {e}") from e
            self._opened = cur
        return self._store

    def query(
        self, sparql: str, *, substitutions: dict | None = None, timeout: float | None = None
    ) -> QueryResult:
        store = self._reader()
        sparql = bind(sparql, substitutions)
        try:
            result = store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
            return QueryResult.from_oxigraph(result)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from None
        except OSError as e:
            raise QueryError(f"query failed: {e}") from None

    def dump(self, format: str = "nq") -> bytes:
        store = self._reader()
        fmt = _FORMATS.get(format)
        if fmt is None:
            raise StoreError(f"unknown RDF format {format!r} (known: {', '.join(_FORMATS)})")
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            return store.dump(format=fmt, prefixes=PREFIXES if fmt is ox.RdfFormat.TRIG else None)
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, None)]
        kw = {"prefixes": PREFIXES} if fmt is ox.RdfFormat.TURTLE else {}
        return ox.serialize(triples, format=fmt, **kw) or b""

    def quads(self):
        """Every quad of the store (pyoxigraph ``Quad`` objects)."""
        return self._reader().quads_for_pattern(None, None, None, None)

    def close(self) -> None:
        if self.path is not None:
            self._store = None
            self._opened = None

    # -- writing ---------------------------------------------------------------------------
    def replace(self, data: Iterable[str], ontology: Iterable[Path] = ()) -> None:
        if self.read_only:
            raise StoreError(f"{self.url} is open read-only")
        if self.path is None:
            fresh = ox.Store()
            load_lines(fresh, itertools.chain(ontology_lines(ontology), data))
            self._store = fresh  # swap only once complete
            return
        self._replace_on_disk(data, ontology)

    def _replace_on_disk(self, data: Iterable[str], ontology: Iterable[Path]) -> None:
        path = self.path
        assert path is not None
        if path.exists() and not path.is_symlink():
            raise StoreError(
                f"{path} is a folder kgraph did not create; refusing to replace it "
                "(choose another --store)"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.parent / f"{path.name}.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(f"another build is writing {path}") from None
            self._collect(keep_previous=True)
            gen = path.parent / f"{path.name}{_GEN}{time.time_ns():x}"
            try:
                store = ox.Store(str(gen))
                # One bulk load for the ontology and the data: one set of sorted files to ingest.
                load_lines(store, itertools.chain(ontology_lines(ontology), data))
                store.flush()
                store.optimize()
                del store
            except BaseException:
                shutil.rmtree(gen, ignore_errors=True)
                raise
            link = path.parent / f".{path.name}.link-{os.getpid()}"
            if link.is_symlink():
                link.unlink()
            os.symlink(gen.name, link)
            os.replace(link, path)  # the commit point
            self._dirsync(path.parent)
            self._collect(keep_previous=True)

    def _collect(self, keep_previous: bool) -> None:
        """Remove generation folders other than the current one (and the newest older one)."""
        path = self.path
        assert path is not None
        cur = self.current()
        current = cur.name if cur is not None else None
        gens = sorted(p.name for p in path.parent.glob(f"{path.name}{_GEN}*") if p.is_dir())
        older = [g for g in gens if current is None or g < current]
        keep = {current} | ({older[-1]} if keep_previous and older else set())
        for g in gens:
            if g not in keep:
                shutil.rmtree(path.parent / g, ignore_errors=True)

    @staticmethod
    def _dirsync(folder: Path) -> None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
