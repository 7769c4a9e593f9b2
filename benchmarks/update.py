"""Incremental updates at scale: ``kgraph add`` / ``remove`` of 100 abstracts and ``kgraph diff``.

Run in a child process on a store :mod:`benchmarks.build` made (issue 19): add 100 fresh
synthetic abstracts (new ids) to it, diff the store before and after (two whole stores of that
size), then remove the 100 again, which leaves the graph as it was. Also reports the store's size
on disk per triple and per document (a user sizing a disk for a million abstracts needs it).

The goals (not timed tests): ``add`` under 5 s and under 5% of a full rebuild measured in the same
run; ``diff`` of two 100,000-abstract stores under 30 s.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from . import synthetic

__all__ = ["disk_bytes", "update"]

#: How many abstracts an update adds.
BATCH = 100


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def disk_bytes(folder: Path) -> int:
    """Bytes of the files under ``folder`` (a generation folder; links are not followed).

    >>> disk_bytes(Path(__file__).parent / "gold") > 0
    True
    """
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def update(store: str, first_id: int, workdir: str, batch: int = BATCH) -> dict[str, Any]:
    """Child: add ``batch`` fresh abstracts to ``store``, diff before/after, remove them again."""
    from kgraph.diff import diff
    from kgraph.incremental import add_documents, remove_documents
    from kgraph.store import open_store

    folder = Path(workdir) / f"update-{batch}"
    sources = synthetic.write_corpus(folder, batch, first_pmid=first_id)
    from kgraph.counts import triple_counts

    kg = open_store(store)
    before_gen = kg.current()
    size = disk_bytes(before_gen)
    triples = sum(triple_counts(kg).values())  # data and ontology graphs, as the export counts
    t, c = time.perf_counter(), _cpu()
    added = add_documents(kg, sources, lenient=True)
    add_s, add_cpu = time.perf_counter() - t, _cpu() - c
    after_gen = kg.current()
    t, c = time.perf_counter(), _cpu()
    whole = diff(open_store(before_gen, read_only=True), open_store(after_gen, read_only=True))
    diff_s, diff_cpu = time.perf_counter() - t, _cpu() - c
    t, c = time.perf_counter(), _cpu()
    removed = remove_documents(kg, added.added)
    remove_s, remove_cpu = time.perf_counter() - t, _cpu() - c
    return {
        "abstracts_added": len(added.added),
        "add_s": round(add_s, 3),
        "add_cpu_s": round(add_cpu, 3),
        "add_quads_inserted": added.inserted,
        "add_quads_deleted": added.deleted,
        "add_diff": added.diff.counts(),
        "diff_s": round(diff_s, 3),
        "diff_cpu_s": round(diff_cpu, 3),
        "diff_counts": whole.counts(),
        "diff_agrees": whole.counts() == added.diff.counts(),
        "remove_s": round(remove_s, 3),
        "remove_cpu_s": round(remove_cpu, 3),
        "abstracts_removed": len(removed.removed),
        "store_bytes": size,
        "triples": triples,
        "cpus": os.cpu_count(),
    }
