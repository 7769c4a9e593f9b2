"""Shared fixtures: the bundled corpus built once, paths to test data and to the shared corpora.

Integration tests need a browser (Debian ``chromium``) or SPARQL servers (``oxigraph`` from PyPI,
Debian ``virtuoso-opensource-7``). Without them they skip and say why; with
``KGRAPH_REQUIRE_INTEGRATION`` set (``.ci/run`` sets it in CI) a missing one fails instead, so CI
cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED_CORPORA = ROOT.parent / "shared" / "corpora"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "corpus: reads the real corpora in ../shared/corpora")
    config.addinivalue_line("markers", "browser: drives headless Chromium")
    config.addinivalue_line("markers", "server: starts a SPARQL server")


def require(what: str, available: bool, how: str) -> None:
    """Skip (or, in CI, fail) when an integration dependency is missing."""
    if available:
        return
    message = f"{what} is not available ({how})"
    if os.environ.get("KGRAPH_REQUIRE_INTEGRATION"):
        pytest.fail(message + "; CI must install it (see .ci/run)")
    pytest.skip(message)


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    if not SHARED_CORPORA.is_dir():
        pytest.skip(f"the shared corpora are not at {SHARED_CORPORA}")
    return SHARED_CORPORA


@pytest.fixture(scope="session")
def corpus_kg():
    """The bundled corpus built once into an in-memory store (treat as read-only)."""
    import kgraph

    return kgraph.load()


@pytest.fixture(scope="session")
def corpus_store(corpus_kg):
    return corpus_kg.store


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus, for tests that break it on purpose."""
    dest = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", dest)
    return dest
