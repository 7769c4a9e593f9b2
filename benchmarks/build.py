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
import shutil
import time
from pathlib import Path
from typing import Any

from . import in_child

__all__ = ["build", "export", "floor", "measure", "python_side"]


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def build(sources: list[str], store: str, lenient: bool = True) -> dict[str, Any]:
    """Child: ``build_store`` into a fresh store at ``store``; the report and the time taken."""
    from kgraph.build import build_store
    from kgraph.store import open_store

    shutil.rmtree(Path(store).parent, ignore_errors=True)
    wall, cpu = time.perf_counter(), _cpu()
    report = build_store(open_store(store), [Path(s) for s in sources], lenient=lenient)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    summary = report.summary()
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        **{k: summary[k] for k in ("documents", "mentions", "relations", "assertions")},
        "lines": summary["triples"],
        "entities": summary["entities"],
        "warnings": summary["warnings"],
    }


def export(store: str, out: str) -> dict[str, Any]:
    """Child: the whole store as N-Quads in the file ``out`` (streamed, not held in memory)."""
    import pyoxigraph as ox

    from kgraph.store.oxigraph import OxigraphStore

    current = OxigraphStore(Path(store)).current()
    wall = time.perf_counter()
    ox.Store.read_only(str(current)).dump(output=out, format=ox.RdfFormat.N_QUADS)
    wall = time.perf_counter() - wall
    quads = 0
    with open(out, "rb") as f:
        while block := f.read(1 << 24):
            quads += block.count(b"\n")
    return {"wall_s": round(wall, 3), "quads": quads, "bytes": os.path.getsize(out)}


def floor(nquads: str, store: str) -> dict[str, Any]:
    """Child: bulk-load the N-Quads file into a fresh on-disk Oxigraph store."""
    import pyoxigraph as ox

    shutil.rmtree(store, ignore_errors=True)
    wall, cpu = time.perf_counter(), _cpu()
    st = ox.Store(store)
    st.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    st.flush()
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}


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
    name: str, sources: list[Path], workdir: Path, *, breakdown: bool = True, timeout: float = 3600
) -> dict[str, Any]:
    """Build, export, floor (and the Python-side breakdown) of one corpus; one row of figures."""
    work = workdir / name
    store = work / "kg" / "store"
    nq = work / "graph.nq"
    srcs = [str(s) for s in sources]
    b = in_child("benchmarks.build:build", timeout=timeout, sources=srcs, store=str(store))
    e = in_child("benchmarks.build:export", timeout=timeout, store=str(store), out=str(nq))
    f = in_child(
        "benchmarks.build:floor", timeout=timeout, nquads=str(nq), store=str(work / "floor")
    )
    shutil.rmtree(work / "floor", ignore_errors=True)
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
        "build_s": b["wall_s"],
        "build_cpu_s": b["cpu_s"],
        "docs_per_s": round(b["documents"] / b["wall_s"], 1),
        "triples_per_s": round(e["quads"] / b["wall_s"]),
        "build_peak_rss_mib": b["child_peak_rss_mib"],
        "floor_s": f["wall_s"],
        "floor_cpu_s": f["cpu_s"],
        "floor_triples_per_s": round(e["quads"] / f["wall_s"]),
        "floor_peak_rss_mib": f["child_peak_rss_mib"],
        "ratio": round(b["wall_s"] / f["wall_s"], 2),
        "export_s": e["wall_s"],
        "store": str(store),
        "nquads": str(nq),
    }
    if breakdown:
        p = in_child("benchmarks.build:python_side", timeout=timeout, sources=srcs)
        row["python_read_s"] = p["read_s"]
        row["python_build_encode_s"] = p["build_encode_s"]
        row["python_total_s"] = p["read_build_encode_s"]
    return row
