"""``kgraph add`` of a corpus folder with a curation log gives the same sorted N-Quads (every
graph) as a full rebuild with that log: the review is replayed on an update as on a build."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.build import build_store
from kgraph.cli import main
from kgraph.curation import LOG, Act, append
from kgraph.incremental import add_documents
from kgraph.store import open_store
from kgraph.vocab import GRAPH_ONTOLOGY, corpus_dir

from .test_curation import TEXT
from .test_curation_review import proposal_folder

T = "2026-03-04T05:06:07Z"


def nquads(store) -> list[str]:
    """Every quad of the store but the ontology files' (whose blank nodes are new on each load),
    sorted: the data graph with the review's annotations, and the claim summary."""
    tail = f"<{GRAPH_ONTOLOGY}> ."
    return sorted(x for x in store.dump("nq").decode().splitlines() if not x.endswith(tail))


def review(corpus: Path) -> None:
    """Reject one proposal, correct another's polarity, accept one, add a statement, and let two
    curators disagree about the last proposal (contested)."""
    sentences = TEXT.splitlines(keepends=True)
    acts = [
        Act("reject", "new", "kg:ketamine", "actsIn", "kg:prefrontal_cortex", curator="ann",
            time=T, reason="no region is named for this", tags=("not_in_text",)),
        Act("correct", "new", "kg:ketamine", "hasAdverseEffect", "kg:dissociation",
            set={"negated": True}, curator="ann", time=T, tags=("wrong_polarity",)),
        Act("accept", "new", "kg:ketamine", "antagonistOf", "kg:nmda_receptor", curator="ann",
            time=T),
        Act("accept", "new", "kg:esketamine", "treats", "kg:depression", curator="ann", time=T),
        Act("reject", "new", "kg:esketamine", "treats", "kg:depression", curator="bob", time=T,
            reason="a hypothesis", tags=("hypothesis",)),
        Act("add", "new", "kg:ketamine", "hasAdverseEffect", "kg:dissociation",
            quote=sentences[2], set={"subject_text": "Ketamine", "object_text": "dissociation",
                                     "certainty": "Hedged"}, curator="ann", time=T),
    ]  # fmt: skip
    for a in acts:
        append(corpus / LOG, a)


def full(tmp_path: Path, name: str, sources) -> object:
    store = open_store(tmp_path / name / "store")
    build_store(store, sources)
    return store


@pytest.mark.parametrize("before", ["absent", "unreviewed"])
def test_add_with_a_curation_log_equals_a_rebuild(tmp_path, before):
    """The corpus is new to the store, or already there unreviewed (then reviewed and re-added)."""
    corpus = proposal_folder(tmp_path / "corpus")
    base = [corpus_dir()] + ([corpus] if before == "unreviewed" else [])
    store = full(tmp_path, "inc", base)
    review(corpus)
    report = add_documents(store, [corpus])
    assert [Path(d).name for d in report.added] == ["new"]
    rebuilt = full(tmp_path, "full", [corpus_dir(), corpus])
    assert nquads(store) == nquads(rebuilt)
    # the review is there: a rejected assertion, a contested one, an added one
    text = "\n".join(nquads(store))
    for status in ("Rejected", "Corrected", "Accepted", "Contested", "Added"):
        assert f"reviewStatus> <https://w3id.org/kgraph/ontology#{status}>" in text


def test_cli_add_with_a_log_then_a_later_act(tmp_path):
    """`kgraph add` after each act: the store always equals a rebuild with the log so far."""
    corpus = proposal_folder(tmp_path / "corpus")
    store_dir = tmp_path / "store"
    runner = CliRunner()
    r = runner.invoke(main, ["build", "-q", "--store", str(store_dir), str(corpus)])
    assert r.exit_code == 0, r.output
    common = ["--corpus", str(corpus), "--document", "new", "--curator", "ann", "--time", T]
    steps = [
        ["reject", "--subject", "ketamine", "--predicate", "actsIn", "--object",
         "kg:prefrontal_cortex", "--reason", "not said"],
        ["accept", "--subject", "ketamine", "--predicate", "antagonistOf", "--object",
         "NMDA receptor"],
        ["correct", "--subject", "ketamine", "--predicate", "antagonistOf", "--object",
         "NMDA receptor", "--certainty", "Hedged"],
    ]  # fmt: skip
    for n, step in enumerate(steps, start=1):
        r = runner.invoke(main, ["curate", *step, *common])
        assert r.exit_code == 0, r.output
        r = runner.invoke(main, ["add", "--store", str(store_dir), str(corpus)])
        assert r.exit_code == 0, r.output
        store = open_store(store_dir, read_only=True)
        assert nquads(store) == nquads(full(tmp_path, f"full{n}", [corpus])), step[0]
        store.close()


def test_remove_a_reviewed_document_equals_a_rebuild_without_it(tmp_path):
    """Its review goes with it: the annotations, and the curator nothing else names."""
    from kgraph.incremental import remove_documents

    corpus = proposal_folder(tmp_path / "corpus")
    review(corpus)
    store = full(tmp_path, "inc", [corpus_dir(), corpus])
    assert any("/curator/bob>" in x for x in nquads(store))
    remove_documents(store, ["new"])
    assert nquads(store) == nquads(full(tmp_path, "full", [corpus_dir()]))
