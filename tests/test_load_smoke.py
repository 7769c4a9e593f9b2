"""A quick run of the load test (``benchmarks/load.py``): 3 clients for 3 s against the real
``kgraph serve``, every named query in turn, zero failed requests. The full run (20 clients for
30 s) is ``python -m benchmarks.load``; its figures are in ``docs/reliability.md``."""

from __future__ import annotations

import importlib
import socket
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.server


def load_benchmark() -> ModuleType:
    pytest.importorskip("kgraph.server", reason="kgraph serve is not there yet")
    if str(ROOT) not in sys.path:  # benchmarks/ is beside the package, not installed with it
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("benchmarks.load")


def test_three_clients_for_three_seconds_fail_nothing() -> None:
    from kgraph.queries import named_queries

    load = load_benchmark()
    report = load.run(clients=3, seconds=3)
    assert report["ok"], report["error_examples"]
    assert report["errors"] == 0 and report["warmup_errors"] == 0
    assert set(report["per_query"]) == set(named_queries())  # every named query was sent
    assert report["requests"] >= 3 * len(named_queries())
    assert report["throughput_rps"] > 0
    lat = report["latency_ms"]
    assert 0 < lat["p50"] <= lat["p95"] <= lat["p99"] <= lat["max"]


def test_a_dead_server_is_a_failed_run() -> None:
    """The test can fail: nothing listening counts every request as an error."""
    load = load_benchmark()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again at once: nothing listens there
    report = load.run(clients=2, seconds=0.5, url=f"http://127.0.0.1:{port}")
    assert not report["ok"]
    assert report["warmup_errors"] == len(report["per_query"]) or report["errors"] > 0
    assert "ConnectionRefusedError" in report["error_kinds"]


@pytest.mark.parametrize("url", ["http://example.org/", "http://10.0.0.1:8000", "ftp://127.0.0.1"])
def test_only_loopback_servers_are_loaded(url: str) -> None:
    load = load_benchmark()
    with pytest.raises(ValueError):
        load.run(clients=1, seconds=0.1, url=url)
