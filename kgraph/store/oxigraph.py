"""The embedded backend: an Oxigraph store in memory, or on disk with atomic generation swaps.

On disk, the store path (``build/store``) is a symbolic link to a generation folder beside it
(``build/store.gen-…``). :meth:`OxigraphStore.replace` bulk-loads a new generation and only then
points the link at it (``os.replace`` of a link is atomic), so a build that fails or is killed leaves
the last good generation in place, and readers that opened it keep their answers. One build at a time
holds ``build/store.lock``; older generations are removed once a newer one is in place (the previous
one is kept for readers still using it).

>>> store = OxigraphStore(None)
>>> store.replace(['<urn:a> <urn:b> "c" <urn:g> .'])
>>> store.query("ASK { <urn:a> ?p ?o }").boolean
True
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..media import UnknownFormat, rdf_format
from ..sparql import bind
from ..vocab import GRAPH_ONTOLOGY, PREFIXES
from .results import QueryResult

__all__ = ["OxigraphStore"]

_CHUNK = 8192  # N-Quads lines per write to the pipe Oxigraph reads
_PIPE_SIZE = 1 << 20  # bytes a pipe may buffer (Linux' default limit for unprivileged users)
_F_SETPIPE_SZ = 1031  # fcntl command (Linux)
_BATCH = 400_000  # N-Quads lines per bulk load where there is no /dev/fd (no pipes to stream)
_GEN = ".gen-"


class _Producer(threading.Thread):
    """Writes N-Quads ``lines`` into the pipe ``fd``, ``chunk`` lines per write, then closes it.

    This thread runs the line generator (reading, grounding, formatting: the Python side of a
    build) while Oxigraph reads the other end of the pipe as a file, parsing and ingesting without
    the GIL: the two overlap on two cores, and the pipe's small buffer keeps memory flat however
    long the stream. An exception in the generator ends the stream at a chunk boundary and is kept
    in ``error`` for :func:`load_lines` to raise; a reader that stops early (a parse error) makes
    the next write fail with ``BrokenPipeError``, which ends the thread quietly.
    """

    def __init__(self, lines: Iterable[str], fd: int, chunk: int) -> None:
        super().__init__(name="kgraph-nquads", daemon=True)
        self.lines, self.fd, self.chunk = lines, fd, chunk
        self.count = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            buf: list[str] = []
            for line in self.lines:
                buf.append(line)
                if len(buf) >= self.chunk:
                    self._write(buf)
                    buf = []
            if buf:
                self._write(buf)
        except BrokenPipeError:
            pass  # the reader stopped; bulk_load reports why
        except BaseException as e:
            self.error = e
        finally:
            os.close(self.fd)

    def _write(self, buf: list[str]) -> None:
        view = memoryview(("\n".join(buf) + "\n").encode("utf-8"))
        while view:
            view = view[os.write(self.fd, view) :]
        self.count += len(buf)


def load_lines(store: ox.Store, lines: Iterable[str], chunk: int = _CHUNK) -> int:
    """Bulk-load N-Quads ``lines`` into ``store``; returns how many lines.

    The lines stream through a pipe into a single ``bulk_load`` that reads it as a file (see
    :class:`_Producer`): one set of sorted files for Oxigraph to write, the Python work overlapped
    with Oxigraph's, and no GIL taken on Oxigraph's side (a Python file object would be read
    under the GIL a few kilobytes at a time).
    """
    if not os.path.isdir("/dev/fd"):  # pragma: no cover - every POSIX system kgraph runs on
        return _load_batches(store, lines)
    read, write = os.pipe()
    try:
        fcntl.fcntl(write, _F_SETPIPE_SZ, _PIPE_SIZE)
    except OSError:  # pragma: no cover - not Linux, or a lower limit: the default buffer works
        pass
    producer = _Producer(lines, write, chunk)
    producer.start()
    try:
        store.bulk_load(path=f"/dev/fd/{read}", format=ox.RdfFormat.N_QUADS)
    except SyntaxError as e:  # a bug in the builder, never the user's input
        if producer.error is not None:
            raise producer.error from None
        raise StoreError(f"the builder produced invalid N-Quads: {e}") from e
    except MemoryError as e:  # Oxigraph reads lines of at most 16 MiB
        if producer.error is not None:
            raise producer.error from None
        raise StoreError(f"a value is too long for the store (a text over 16 MiB?): {e}") from None
    except BaseException:
        if producer.error is not None:
            raise producer.error from None
        raise
    finally:
        os.close(read)  # a producer blocked on a full pipe gets EPIPE and stops
        producer.join()
    if producer.error is not None:
        raise producer.error
    return producer.count


def _load_batches(store: ox.Store, lines: Iterable[str]) -> int:  # pragma: no cover
    n = 0
    it = iter(lines)
    while batch := list(itertools.islice(it, _BATCH)):
        data = ("\n".join(batch) + "\n").encode("utf-8")
        try:
            store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        except SyntaxError as e:
            raise StoreError(f"the builder produced invalid N-Quads: {e}") from e
        n += len(batch)
    return n


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
    """An Oxigraph store: in memory when ``path`` is ``None``, else the generation-swapped folder.

    >>> OxigraphStore(None).url
    'memory:'
    """

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
        try:
            fmt = rdf_format(format)
        except UnknownFormat as e:
            raise StoreError(str(e)) from None
        if fmt.supports_datasets:
            return store.dump(format=fmt, prefixes=PREFIXES if fmt == ox.RdfFormat.TRIG else None)
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, None)]
        kw = {"prefixes": PREFIXES} if fmt == ox.RdfFormat.TURTLE else {}
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
        with self.writing(wait=60.0), self.generation() as gen:  # a server update: a moment
            store = ox.Store(str(gen))
            # One bulk load for the ontology and the data: one set of sorted files to ingest.
            load_lines(store, itertools.chain(ontology_lines(ontology), data))
            store.flush()
            store.optimize()
            del store

    @contextlib.contextmanager
    def writing(self, wait: float = 0.0) -> Iterator[None]:
        """Hold the store's writer lock (``build/store.lock``): one writer at a time, across
        processes — builds and the server's updates alike. Waits up to ``wait`` seconds, then
        raises :class:`StoreError`."""
        path = self.path
        if path is None:
            raise StoreError("an in-memory store has no writer lock")
        if path.exists() and not path.is_symlink():
            raise StoreError(
                f"{path} is a folder kgraph did not create; refusing to replace it "
                "(choose another --store)"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + wait
        with open(path.parent / f"{path.name}.lock", "w") as lock:
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreError(f"another build or update is writing {path}") from None
                    time.sleep(0.02)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def generation(self) -> Iterator[Path]:
        """A new generation folder to fill (hold :meth:`writing`): committed when the block ends,
        removed when it fails, so readers see the old graph or the whole new one.

        >>> import tempfile
        >>> store = OxigraphStore(Path(tempfile.mkdtemp()) / "store")
        >>> with store.generation() as gen:
        ...     ox.Store(str(gen)).flush()
        >>> store.current() == gen
        True
        """
        gen = self.new_generation()
        try:
            yield gen
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        self.commit(gen)

    def new_generation(self) -> Path:
        """A fresh generation folder name beside the store path (call within :meth:`writing`)."""
        assert self.path is not None
        self._collect(keep_previous=True)
        return self.path.parent / f"{self.path.name}{_GEN}{time.time_ns():x}"

    def commit(self, gen: Path) -> None:
        """Point the store path at the complete generation ``gen``: the commit point (an atomic
        ``os.replace`` of the link, then the folder synced). Call within :meth:`writing`."""
        path = self.path
        assert path is not None
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
