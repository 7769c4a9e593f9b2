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


# -- a hand-written corpus with every qualifier of the annotation scheme (corpus/README.md) --------

#: Sentences written for the tests, one claim per line.
QUALIFIED_LINES = (
    "Arketamine caused less dissociation than esketamine in the trial.",
    "Arketamine blocks NMDA receptors only weakly.",
    "Hydroxynorketamine has an antidepressant effect independently of NMDA receptors.",
    "Ketamine has an antidepressant effect through blocking NMDA receptors.",
    "Studies are tracking whether ketamine harms the bladder.",
    "Esketamine relieves depression within hours.",
)

#: Mentions: id → (line index, type, covered text, normalisation or None).
QUALIFIED_MENTIONS = {
    "T1": (0, "Enantiomer", "Arketamine", "kg:arketamine"),
    "T2": (0, "AdverseEffect", "dissociation", "kg:dissociation"),
    "T3": (0, "Enantiomer", "esketamine", "kg:esketamine"),
    "T4": (1, "Enantiomer", "Arketamine", "kg:arketamine"),
    "T5": (1, "Receptor", "NMDA receptors", "kg:nmda_receptor"),
    "T6": (2, "Metabolite", "Hydroxynorketamine", "kg:hydroxynorketamine"),
    "T7": (2, "TherapeuticOutcome", "antidepressant effect", "kg:antidepressant_effect"),
    "T8": (2, "Receptor", "NMDA receptors", "kg:nmda_receptor"),
    "T9": (3, "Compound", "Ketamine", "kg:ketamine"),
    "T10": (3, "TherapeuticOutcome", "antidepressant effect", "kg:antidepressant_effect"),
    "T11": (3, "Receptor", "NMDA receptors", "kg:nmda_receptor"),
    "T12": (4, "Compound", "ketamine", "kg:ketamine"),
    "T13": (4, "AdverseEffect", "harms the bladder", None),
    "T14": (5, "Enantiomer", "Esketamine", "kg:esketamine"),
    "T15": (5, "Condition", "depression", "kg:depression"),
}

#: The relations, attributes and notes (brat lines after the T and N lines).
QUALIFIED_ANN = """\
R1\thasAdverseEffect Arg1:T1 Arg2:T2
A1\tComparison R1 Less
R2\tcomparator Arg1:T1 Arg2:T3
A2\tEvidenceLevel R1 ClinicalPhase2
R3\tantagonistOf Arg1:T4 Arg2:T5
A3\tDegree R3 Weak
A4\tEvidenceLevel R3 Preclinical
#1\tAnnotatorNotes R3\tweaker, not absent: the source contrasts it with esketamine
R4\thasOutcome Arg1:T6 Arg2:T7
A5\tMediation R4 Independent
R5\tmediator Arg1:T6 Arg2:T8
A6\tEvidenceLevel R4 Preclinical
A7\tCertainty R4 Hedged
R6\thasOutcome Arg1:T9 Arg2:T10
A8\tMediation R6 Through
R7\tmediator Arg1:T9 Arg2:T11
A9\tEvidenceLevel R6 Opinion
R8\thasAdverseEffect Arg1:T12 Arg2:T13
A10\tResearchQuestion R8
A11\tEvidenceLevel R8 ClinicalStudy
R9\ttreats Arg1:T14 Arg2:T15
A12\tProposed R9
A13\tConfidence R9 Medium
A14\tEvidenceLevel R9 ClinicalPhase3
#2\tAnnotatorNotes R9\trule=treat-verb; cue=relieves
"""


def write_qualified_corpus(folder: Path) -> Path:
    """Write the hand-written corpus (``manifest.toml`` + ``qualified.txt``/``.ann``) to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join(line + "\n" for line in QUALIFIED_LINES)
    starts = [0]
    for line in QUALIFIED_LINES:
        starts.append(starts[-1] + len(line) + 1)
    ann = []
    for tid, (n, type_, covered, concept) in QUALIFIED_MENTIONS.items():
        start = starts[n] + QUALIFIED_LINES[n].index(covered)
        ann.append(f"{tid}\t{type_} {start} {start + len(covered)}\t{covered}")
        if concept:
            ann.append(f"N{tid[1:]}\tReference {tid} {concept}\t{covered}")
    (folder / "qualified.txt").write_text(text, encoding="utf-8")
    (folder / "qualified.ann").write_text("\n".join(ann) + "\n" + QUALIFIED_ANN, encoding="utf-8")
    (folder / "manifest.toml").write_text(
        '[[document]]\nid = "qualified"\ntitle = "Qualified statements (test)"\n'
        'publisher = "kgraph tests"\ndate = "2026-01-01"\nsource_type = "ResearchOverview"\n',
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="session")
def qualified_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written corpus with each qualifier, a question, notes and a proposal."""
    return write_qualified_corpus(tmp_path_factory.mktemp("qualified"))


@pytest.fixture(scope="session")
def qualified_store(qualified_corpus: Path):
    """``qualified_corpus`` built into an in-memory store (treat as read-only)."""
    from kgraph import build_store, open_store

    store = open_store("memory:")
    build_store(store, [qualified_corpus])
    return store
