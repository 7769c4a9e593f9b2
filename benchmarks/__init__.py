"""kgraph's benchmarks: build, bulk-load floor, named queries, the rdflib baseline and views.

``python -m benchmarks`` (or ``make bench``) runs them all in one go and prints the ratios measured
in that run; see :mod:`benchmarks.__main__`. Every measurement that reports memory runs in a child
process of its own (:func:`in_child`), so its peak resident set size is its own, read from the
kernel's accounting of that child (``wait4``), and nothing one measurement leaves behind (caches,
open stores, imported modules) flatters the next.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["ChildFailed", "in_child", "load_average"]

ROOT = Path(__file__).resolve().parent.parent


class ChildFailed(RuntimeError):
    """A measurement's child process failed, was killed or ran out of time."""


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages (how busy the machine was)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not on Linux
        return []


def in_child(target: str, *, timeout: float | None = None, **kwargs: Any) -> dict[str, Any]:
    """Run ``module:function(**kwargs)`` in a fresh Python process; its returned dict, plus
    ``child_wall_s``, ``child_cpu_s`` and ``child_peak_rss_mib`` (the whole child, start-up
    included) as the kernel counted them."""
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as tmp:
        out = Path(tmp) / "result.json"
        args = json.dumps({"target": target, "kwargs": kwargs, "out": str(out)})
        pypath = os.environ.get("PYTHONPATH", "")
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", "import benchmarks; benchmarks._child_main()", args],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), pypath]))},
        )
        timer = None
        if timeout is not None:
            timer = threading.Timer(timeout, proc.kill)
            timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if timer is not None:
                timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            why = f"exit status {proc.returncode}"
            if proc.returncode < 0 and timeout is not None and wall >= timeout:
                why = f"killed after the {timeout:.0f} s time limit"
            raise ChildFailed(f"{target} failed ({why})")
        result = json.loads(out.read_text())
    result["child_wall_s"] = round(wall, 3)
    result["child_cpu_s"] = round(usage.ru_utime + usage.ru_stime, 3)
    result["child_peak_rss_mib"] = round(usage.ru_maxrss / 1024, 1)  # Linux: KiB
    return result


def _child_main() -> None:
    spec = json.loads(sys.argv[1])
    module, _, name = spec["target"].partition(":")
    func = getattr(importlib.import_module(module), name)
    result = func(**spec["kwargs"])
    result.setdefault("peak_rss_mib", round(peak_rss_kib() / 1024, 1))
    Path(spec["out"]).write_text(json.dumps(result))


def peak_rss_kib() -> int:
    """This process's peak resident set size so far, in KiB (``VmHWM``, else ``ru_maxrss``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:  # pragma: no cover - not on Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
