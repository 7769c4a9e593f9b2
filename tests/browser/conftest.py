"""Headless Chromium for the browser tests (one per test module)."""

from __future__ import annotations

import pytest

from benchmarks.views import BROWSER_ARGS
from tests.conftest import chromium_path, require

ARGS = BROWSER_ARGS  # the benchmark opens pages the same way


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    require("Chromium", path is not None, "apt-get install chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=ARGS, headless=True)
        yield b
        b.close()
