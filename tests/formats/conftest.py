"""Fixtures of the reader tests: real corpus documents cut at test time (see corpus_cuts.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .corpus_cuts import cut_all, require_corpora


@pytest.fixture(scope="session")
def cuts(tmp_path_factory) -> Path:
    """A folder holding every sample of :data:`corpus_cuts.SAMPLES`, under its usual file name."""
    require_corpora("bc5cdr", "biored")
    return cut_all(tmp_path_factory.mktemp("cuts"))
