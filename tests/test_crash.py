"""Crash safety: a build killed with SIGKILL at any point leaves the last good store intact."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kgraph import open_store

#: Documents in the big folder: enough that a build lasts long enough to be killed mid-way
#: at several points (about 4 s of build on an idle machine).
BIG = 1500
SENTENCE = "Ketamine blocks NMDA receptors and may increase BDNF in the hippocampus.\n"
ANN = (
    "T1\tCompound 0 8\tKetamine\nN1\tReference T1 kg:ketamine\tketamine\n"
    "T2\tReceptor 16 30\tNMDA receptors\nN2\tReference T2 kg:nmda_receptor\tNMDA receptor\n"
    "R1\tantagonistOf Arg1:T1 Arg2:T2\t\nA1\tEvidenceLevel R1 Review\n"
)


def big_brat_folder(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"d{i:05}.txt").write_text(SENTENCE)
        (folder / f"d{i:05}.ann").write_text(ANN)
    return folder


def answers(store_path: Path) -> tuple[int, int]:
    store = open_store(store_path, read_only=True)
    docs = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?d a kgo:Document }").rows[0][0]
    triples = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
    return int(docs.value), int(triples.value)


def kgraph(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kgraph", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    return big_brat_folder(tmp_path_factory.mktemp("big") / "brat", BIG)


def test_sigkill_at_several_points_keeps_the_last_good_store(tmp_path: Path, big: Path) -> None:
    store = tmp_path / "store"
    first = kgraph("build", "--quiet", "--store", str(store), cwd=tmp_path)
    assert first.wait(timeout=120) == 0, first.stderr.read().decode()  # type: ignore[union-attr]
    good = answers(store)
    assert good[0] == 4

    # time one full build of the big folder, then kill builds at random points within that time
    started = time.perf_counter()
    full = kgraph("build", "--quiet", "--store", str(tmp_path / "timing"), str(big), cwd=tmp_path)
    assert full.wait(timeout=300) == 0
    duration = time.perf_counter() - started
    complete = answers(tmp_path / "timing")
    assert complete[0] == BIG
    rng = random.Random(20261121)
    delays = sorted(rng.uniform(0.02, 0.95) * duration for _ in range(8))
    killed = 0
    for delay in [*delays, "mid-load"]:
        proc = kgraph("build", "--quiet", "--store", str(store), str(big), cwd=tmp_path)
        if delay == "mid-load":  # wait until the new generation is being written
            gens = set(tmp_path.glob("store.gen-*"))
            while proc.poll() is None and set(tmp_path.glob("store.gen-*")) <= gens:
                time.sleep(0.005)
        else:
            time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        # Before the swap the old graph must be there; after it (the build finished, or the kill
        # landed while old generations were being removed) the complete new one. Never a mix.
        state = answers(store)
        assert state in (good, complete), f"partial graph {state} after a kill at {delay}"
        if state == complete:
            assert kgraph("build", "--quiet", "--store", str(store), cwd=tmp_path).wait(120) == 0
            assert answers(store) == good
    assert killed >= 5, f"only {killed} builds were killed mid-way"
    # a build after the crashes succeeds and cleans up the half-built generations
    again = kgraph("build", "--quiet", "--store", str(store), str(big), cwd=tmp_path)
    assert again.wait(timeout=300) == 0
    assert answers(store)[0] == BIG
    assert len(list(tmp_path.glob("store.gen-*"))) <= 2


def test_readers_answer_during_a_rebuild_and_then_see_the_new_graph(
    tmp_path: Path, big: Path
) -> None:
    store = tmp_path / "store"
    assert kgraph("build", "--quiet", "--store", str(store), cwd=tmp_path).wait(timeout=120) == 0
    reader = open_store(store, read_only=True)
    before = answers(store)
    proc = kgraph("build", "--quiet", "--store", str(store), str(big), cwd=tmp_path)
    seen = set()
    while proc.poll() is None:
        n = int(
            reader.query("SELECT (COUNT(*) AS ?n) WHERE { ?d a kgo:Document }").rows[0][0].value
        )
        seen.add(n)
        time.sleep(0.05)
    assert proc.returncode == 0
    assert seen <= {before[0], BIG}, "a reader only ever sees a complete graph"
    assert before[0] in seen
    assert answers(store)[0] == BIG
