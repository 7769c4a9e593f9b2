"""Build benchmarks: kgraph's build, the bulk-load floor under it, and where the time goes.

For one corpus, :func:`measure` runs, each in a child process of its own (peak RSS per step):

1. **build**: ``kgraph.build_store`` into a fresh on-disk Oxigraph store, as ``kgraph build``
   does (lexicon, reading, grounding, N-Quads, bulk load, atomic swap); timed around the call;
2. **export**: the store's N-Quads written to a file (like ``kgraph export --format nq``);
3. **floor**: that file bulk-loaded straight into a fresh on-disk Oxigraph store
   (``Store(path).bulk_load(path=…)``): the store's own ingest of the very same graph, the least
   a build of it can cost here;
4. **python**: the Python side alone, no store: reading the documents, then reading plus
   building and encoding every N-Quads line (how much work the build overlaps with the load).

The figures: documents/s, triples/s (quads in the finished store per second), wall time, CPU time,
peak RSS, and ``ratio`` = build time / floor time.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from . import in_child
from .update import disk_bytes

__all__ = ["build", "export", "floor", "measure", "python_side"]


def _cpu() -> float:
    """CPU time of this process and of the children it waited for (the build's reading process)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def build(sources: list[str], store: str, lenient: bool = True) -> dict[str, Any]:
    """Child: ``build_store`` into a fresh store at ``store``; the report and the time taken."""
    from kgraph.build import build_store
    from kgraph.store import open_store

    shutil.rmtree(Path(store).parent, ignore_errors=True)
    wall, cpu = time.perf_counter(), _cpu()
    report = build_store(open_store(store), [Path(s) for s in sources], lenient=lenient)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    summary = report.summary()
    # the reading process (kgraph.build.documents_ahead), if the build started one: its peak RSS
    # adds to this process's (in_child reports the larger of the two)
    reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "reader_peak_rss_mib": round(reader, 1),
        **{k: summary[k] for k in ("documents", "mentions", "relations", "assertions")},
        "lines": summary["triples"],
        "entities": summary["entities"],
        "warnings": summary["warnings"],
    }


def export(store: str, out: str, compress: bool = False) -> dict[str, Any]:
    """Child: the whole store as N-Quads in the file ``out`` (streamed, not held in memory);
    ``compress``: through ``lz4`` (a million abstracts' N-Quads would take ~13 GB of disk)."""
    import pyoxigraph as ox

    from kgraph.store.oxigraph import OxigraphStore

    current = OxigraphStore(Path(store)).current()
    st = ox.Store.read_only(str(current))
    wall = time.perf_counter()
    if compress:
        with subprocess.Popen(["lz4", "-q", "-f", "-", out], stdin=subprocess.PIPE) as lz4:
            assert lz4.stdin is not None
            st.dump(output=lz4.stdin, format=ox.RdfFormat.N_QUADS)
            lz4.stdin.close()
        if lz4.returncode:
            raise RuntimeError(f"lz4 failed writing {out} (exit {lz4.returncode})")
        quads = len(st)
    else:
        st.dump(output=out, format=ox.RdfFormat.N_QUADS)
        quads = 0
        with open(out, "rb") as f:
            while block := f.read(1 << 24):
                quads += block.count(b"\n")
    wall = time.perf_counter() - wall
    return {"wall_s": round(wall, 3), "quads": quads, "bytes": os.path.getsize(out)}


def floor(nquads: str, store: str, compressed: bool = False) -> dict[str, Any]:
    """Child: bulk-load the N-Quads file into a fresh on-disk Oxigraph store (a ``compressed``
    file is read through ``lz4 -d`` in a pipe: a few seconds of one core per 10 GB, which the
    floor's time includes)."""
    import pyoxigraph as ox

    shutil.rmtree(store, ignore_errors=True)
    wall, cpu = time.perf_counter(), _cpu()
    st = ox.Store(store)
    if compressed:
        with subprocess.Popen(["lz4", "-dcq", nquads], stdout=subprocess.PIPE) as lz4:
            assert lz4.stdout is not None
            st.bulk_load(path=f"/dev/fd/{lz4.stdout.fileno()}", format=ox.RdfFormat.N_QUADS)
        if lz4.returncode:
            raise RuntimeError(f"lz4 failed reading {nquads} (exit {lz4.returncode})")
    else:
        st.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    st.flush()
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    size = disk_bytes(Path(store))
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "store_bytes": size}


def python_side(sources: list[str], lenient: bool = True) -> dict[str, Any]:
    """Child: the Python side of a build without a store: reading alone, then reading, grounding
    and formatting every line and encoding it as the store would receive it."""
    from kgraph import formats
    from kgraph.build import Builder
    from kgraph.grounding import Lexicon

    lexicon = Lexicon.load()

    def documents():
        for s in sources:
            yield from formats.read(Path(s), on_issue=(lambda e: None) if lenient else None)

    t = time.perf_counter()
    n = sum(1 for _ in documents())
    read_s = time.perf_counter() - t
    builder = Builder(lexicon, lenient=lenient)
    t = time.perf_counter()
    size, chunk = 0, []
    for line in builder.lines(documents()):
        chunk.append(line)
        if len(chunk) >= 8192:
            size += len(("\n".join(chunk) + "\n").encode())
            chunk = []
    size += len(("\n".join(chunk) + "\n").encode())
    total_s = time.perf_counter() - t
    return {
        "documents": n,
        "read_s": round(read_s, 3),
        "read_build_encode_s": round(total_s, 3),
        # an estimate: the difference of two separately timed passes, so noise can make it
        # slightly negative on tiny corpora; it is never reported below zero
        "build_encode_s": round(max(0.0, total_s - read_s), 3),
        "bytes": size,
    }


def measure(
    name: str,
    sources: list[Path],
    workdir: Path,
    *,
    breakdown: bool = True,
    timeout: float = 3600,
    large: bool = False,
) -> dict[str, Any]:
    """Build, export, floor (and the Python-side breakdown) of one corpus; one row of figures.

    ``large`` (a million abstracts, on one disk): the synthetic sources (``NAME-files`` beside)
    are removed once built (no breakdown then), the N-Quads go through ``lz4`` and are removed
    after the floor, whose store is removed as soon as it is measured: at most the build's store
    and the floor's are on disk at once."""
    work = workdir / name
    store = work / "kg" / "store"
    compress = large and shutil.which("lz4") is not None
    nq = work / ("graph.nq.lz4" if compress else "graph.nq")
    srcs = [str(s) for s in sources]
    if breakdown and not large:
        p = in_child("benchmarks.build:python_side", timeout=timeout, sources=srcs)
    b = in_child("benchmarks.build:build", timeout=timeout, sources=srcs, store=str(store))
    if large:  # the synthetic corpus benchmarks.__main__ wrote for this run
        shutil.rmtree(workdir / f"{name}-files", ignore_errors=True)
    e = in_child(
        "benchmarks.build:export", timeout=timeout, store=str(store), out=str(nq), compress=compress
    )
    f = in_child(
        "benchmarks.build:floor",
        timeout=timeout,
        nquads=str(nq),
        store=str(work / "floor"),
        compressed=compress,
    )
    shutil.rmtree(work / "floor", ignore_errors=True)
    if large:
        nq.unlink(missing_ok=True)
    kg_bytes = disk_bytes(store.resolve())
    row: dict[str, Any] = {
        "corpus": name,
        "documents": b["documents"],
        "mentions": b["mentions"],
        "relations": b["relations"],
        "assertions": b["assertions"],
        "entities": b["entities"],
        "warnings": b["warnings"],
        "lines": b["lines"],
        "triples": e["quads"],
        "nquads_mib": round(e["bytes"] / 2**20, 1),
        "nquads_compressed": compress,
        "build_s": b["wall_s"],
        "build_cpu_s": b["cpu_s"],
        "docs_per_s": round(b["documents"] / b["wall_s"], 1),
        "triples_per_s": round(e["quads"] / b["wall_s"]),
        # the build's process and its reading process: both peaks added (an upper bound)
        "build_peak_rss_mib": round(b["peak_rss_mib"] + b.get("reader_peak_rss_mib", 0), 1),
        "build_main_peak_rss_mib": b["peak_rss_mib"],
        "build_reader_peak_rss_mib": b.get("reader_peak_rss_mib", 0),
        "floor_s": f["wall_s"],
        "floor_cpu_s": f["cpu_s"],
        "floor_triples_per_s": round(e["quads"] / f["wall_s"]),
        "floor_peak_rss_mib": f["child_peak_rss_mib"],
        "floor_store_bytes": f["store_bytes"],
        "store_bytes": kg_bytes,
        "bytes_per_triple": round(kg_bytes / e["quads"], 1) if e["quads"] else None,
        "ratio": round(b["wall_s"] / f["wall_s"], 2),
        "export_s": e["wall_s"],
        "store": str(store),
        "nquads": None if large else str(nq),
    }
    if breakdown and not large:
        row["python_read_s"] = p["read_s"]
        row["python_build_encode_s"] = p["build_encode_s"]
        row["python_total_s"] = p["read_build_encode_s"]
    return row
