"""``kgraph add`` / ``remove`` give exactly what a full build of the same inputs gives, and
``kgraph diff`` says what changed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph import delta
from kgraph.build import build_store
from kgraph.cli import main
from kgraph.diff import diff
from kgraph.errors import FormatError, KGraphError
from kgraph.incremental import add_documents, remove_documents
from kgraph.store import open_store
from kgraph.summary import ClaimKey
from kgraph.vocab import GRAPH_DATA, KGO, corpus_dir

from .test_summary import assert_bins_are_fresh, bins

TEXT = "Ketamine blocks NMDA receptors and may increase BDNF in the hippocampus.\n"
MENTIONS = (
    "T1\tCompound 0 8\tKetamine\nN1\tReference T1 kg:ketamine\tketamine\n"
    "T2\tReceptor 16 30\tNMDA receptors\nN2\tReference T2 kg:nmda_receptor\tNMDA receptor\n"
    "T3\tGeneOrProtein 48 52\tBDNF\nN3\tReference T3 kg:bdnf\tBDNF\n"
)
PUBTATOR = Path(__file__).parent / "data" / "pubtator" / "handmade.PubTator.txt"

#: Statements that share claims with each other and with the bundled corpus, in every polarity,
#: certainty, level and kind.
VARIANTS = {
    "plain": "R1\tantagonistOf Arg1:T1 Arg2:T2\t\nA1\tEvidenceLevel R1 Review\n",
    "denied": "R1\tantagonistOf Arg1:T1 Arg2:T2\t\nA1\tNegated R1\nA2\tEvidenceLevel R1 Opinion\n",
    "hedged": "R1\tantagonistOf Arg1:T1 Arg2:T2\t\nA1\tCertainty R1 Hedged\n"
    "A2\tEvidenceLevel R1 Preclinical\n",
    "two": "R1\tantagonistOf Arg1:T1 Arg2:T2\t\nR2\tincreases Arg1:T1 Arg2:T3\t\n"
    "A1\tEvidenceLevel R2 ClinicalPhase2\n",
    "question": "R1\tincreases Arg1:T1 Arg2:T3\t\nA1\tResearchQuestion R1\n",
    "bdnf-denied": "R1\tincreases Arg1:T1 Arg2:T3\t\nA1\tNegated R1\n",
}


def brat(folder: Path, names: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, rel in names.items():
        (folder / f"{name}.txt").write_text(TEXT)
        (folder / f"{name}.ann").write_text(MENTIONS + rel)
    return folder


def data_nquads(store) -> list[str]:
    lines = store.dump("nq").decode().splitlines()
    return sorted(x for x in lines if x.endswith(f"<{GRAPH_DATA}> ."))


def built(tmp: Path, name: str, sources) -> object:
    store = open_store(tmp / name / "store")
    build_store(store, sources, lenient=True)
    return store


@pytest.fixture()
def corpora(tmp_path: Path) -> dict[str, Path]:
    a = brat(tmp_path / "a", {f"a-{k}": v for k, v in VARIANTS.items()})
    b = brat(tmp_path / "b", {f"b-{k}": v for k, v in VARIANTS.items() if k != "two"})
    b_only = brat(tmp_path / "b-only", {"b-only": VARIANTS["bdnf-denied"]})
    return {"a": a, "b": b, "b_only": b_only}


def test_add_equals_a_full_build(tmp_path: Path, corpora) -> None:
    store = built(tmp_path, "inc", [corpus_dir(), corpora["a"]])
    report = add_documents(store, [corpora["b"], PUBTATOR], lenient=True)
    full = built(tmp_path, "full", [corpus_dir(), corpora["a"], corpora["b"], PUBTATOR])
    assert data_nquads(store) == data_nquads(full)
    assert len(report.added) == len(VARIANTS) - 1 + 2
    counts = report.diff.counts()
    assert counts["documents"]["added"] == len(report.added)
    assert counts["statements"]["added"] > 0 and counts["claims"]["changed"] > 0
    # the update's diff is the diff of the whole stores
    whole = diff(built(tmp_path, "before", [corpus_dir(), corpora["a"]]), store)
    assert whole.counts() == counts


def test_remove_equals_a_full_build(tmp_path: Path, corpora) -> None:
    store = built(tmp_path, "inc", [corpus_dir(), corpora["a"], corpora["b"], PUBTATOR])
    ids = [p.stem for p in corpora["b"].glob("*.txt")] + ["PMID:900001", "900002"]
    report = remove_documents(store, ids)
    assert len(report.removed) == len(ids)
    full = built(tmp_path, "full", [corpus_dir(), corpora["a"]])
    assert data_nquads(store) == data_nquads(full)
    assert report.diff.counts()["documents"] == {"added": 0, "removed": len(ids), "changed": 0}


def test_remove_then_add_back_and_replace(tmp_path: Path, corpora) -> None:
    store = built(tmp_path, "inc", [corpus_dir(), corpora["a"]])
    before = data_nquads(store)
    remove_documents(store, ["a-plain", "a-denied", "a-two"])
    add_documents(store, [corpora["a"] / f"a-{k}.ann" for k in ("plain", "denied", "two")])
    assert data_nquads(store) == before  # the same documents again: the same graph
    # a changed file replaces its document: the denial becomes an assertion
    (corpora["a"] / "a-denied.ann").write_text(MENTIONS + VARIANTS["plain"])
    report = add_documents(store, [corpora["a"] / "a-denied.ann"])
    assert data_nquads(store) == data_nquads(built(tmp_path, "full", [corpus_dir(), corpora["a"]]))
    changed = report.diff.statements_changed
    assert [c["negated"] for c in changed.values()] == [[True, False]]
    assert report.diff.counts()["claims"]["changed"] >= 1
    assert "weight" in report.diff.field_counts("claims")  # a denial less: the weight moves


def test_unknown_document_and_bad_file_leave_the_store(tmp_path: Path, corpora) -> None:
    store = built(tmp_path, "inc", [corpus_dir()])
    before = data_nquads(store)
    with pytest.raises(KGraphError, match="no document 'nope'"):
        remove_documents(store, ["nope"])
    bad = brat(tmp_path / "bad", {"bad": "R1\tantagonistOf Arg1:T9 Arg2:T2\t\n"})
    with pytest.raises(FormatError, match=r"bad\.ann"):
        add_documents(store, [bad])
    assert data_nquads(store) == before
    assert len(list((tmp_path / "inc").glob("store.gen-*"))) <= 2


def test_cli_add_remove_diff(tmp_path: Path, corpora) -> None:
    run = CliRunner().invoke
    s1, s2 = str(tmp_path / "s1" / "store"), str(tmp_path / "s2" / "store")
    assert run(main, ["build", "-q", "--store", s1, str(corpus_dir())]).exit_code == 0
    result = run(main, ["add", "--store", s1, str(corpora["b_only"])])
    assert result.exit_code == 0, result.output
    assert "documents: +1 added" in result.output
    assert run(main, ["build", "-q", "--store", s2, str(corpus_dir())]).exit_code == 0
    result = run(main, ["diff", s2, s1, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"]["documents"]["added"] == 1
    assert [d["identifier"] for d in data["documents"]["added"]] == ["b-only"]
    # a store against a corpus folder (built to a temporary store first)
    result = run(main, ["diff", s1, str(corpus_dir())])
    assert result.exit_code == 0, result.output
    assert "documents: +0 added, -1 removed" in result.output
    result = run(main, ["remove", "--store", s1, "b-only"])
    assert result.exit_code == 0, result.output
    assert "no change" in run(main, ["diff", s1, s2]).output


def test_sigkill_during_add_keeps_old_or_new(tmp_path: Path) -> None:
    """``kgraph add`` killed at random points: the store is the old graph or the new, never a mix."""
    big = tmp_path / "big"
    brat(big, {f"d{i:04}": VARIANTS["plain"] for i in range(500)})
    extra = brat(tmp_path / "extra", {f"x{i:04}": VARIANTS["two"] for i in range(500)})
    store = tmp_path / "store"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}

    def kgraph(*args: str) -> subprocess.Popen:
        cmd = [sys.executable, "-m", "kgraph", *args, "--store", str(store)]
        return subprocess.Popen(cmd, cwd=tmp_path, env=env, stderr=subprocess.PIPE)

    assert kgraph("build", "--quiet", str(big)).wait(timeout=300) == 0
    good = data_nquads(open_store(store, read_only=True))
    started = time.perf_counter()
    assert kgraph("add", str(extra)).wait(timeout=300) == 0
    duration = time.perf_counter() - started
    complete = data_nquads(open_store(store, read_only=True))
    assert len(complete) > len(good)
    assert kgraph("remove", *[f"x{i:04}" for i in range(500)]).wait(timeout=300) == 0
    assert data_nquads(open_store(store, read_only=True)) == good
    killed = 0
    for i in range(6):
        proc = kgraph("add", str(extra))
        time.sleep(duration * (0.2 + 0.13 * i))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        state = data_nquads(open_store(store, read_only=True))
        assert state in (good, complete), f"a partial graph after a kill at step {i}"
        if state == complete:
            assert kgraph("remove", *[f"x{i:04}" for i in range(500)]).wait(timeout=300) == 0
    assert killed >= 3, f"only {killed} updates were killed mid-way"
    assert len(list(tmp_path.glob("store.gen-*"))) <= 3
    shutil.rmtree(big)


def test_unique_claims_and_entity_names_follow_the_documents(tmp_path: Path) -> None:
    """A document's unique-claim count falls when another document makes its claim, and an entity
    outside the lexicon keeps the name its first document gave it (as in a build)."""

    def doc(folder: Path, name: str, spelling: str, relation: str) -> Path:
        folder.mkdir(parents=True)
        (folder / f"{name}.txt").write_text(TEXT.replace("Ketamine", spelling))
        mentions = MENTIONS.replace("kg:ketamine\tketamine", "MESH:C999999\tzeta")
        (folder / f"{name}.ann").write_text(mentions.replace("Ketamine", spelling) + relation)
        return folder

    solo = doc(tmp_path / "solo", "solo", "Ketamine", VARIANTS["two"])
    other = doc(tmp_path / "other", "other", "Ketamina", VARIANTS["bdnf-denied"])
    base = built(tmp_path, "base", [corpus_dir(), solo])
    unique = "<https://w3id.org/kgraph/ontology#uniqueClaimCount>"
    solo_unique = [
        x
        for x in data_nquads(base)
        if x.startswith("<https://w3id.org/kgraph/document/solo>") and unique in x
    ]
    store = built(tmp_path, "inc", [corpus_dir(), solo])
    add_documents(store, [other])
    full = data_nquads(built(tmp_path, "full", [corpus_dir(), solo, other]))
    assert data_nquads(store) == full
    assert not set(solo_unique) & set(full), "the shared claim is no longer solo's alone"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    names = [x.split(label)[1] for x in full if "C999999> " + label in x]
    assert [n.split('"')[1] for n in names] == ["Ketamine"]
    remove_documents(store, ["other"])
    assert data_nquads(store) == data_nquads(base)


def test_adds_in_rounds_equal_a_full_build(tmp_path: Path, corpora) -> None:
    """Claims many documents make grow from their stored summary round after round (no re-read
    of their statements); claims one document owned change hands; the result is a full build's."""
    store = built(tmp_path, "inc", [corpus_dir()])
    rounds = [
        [corpora["a"] / f"a-{k}.ann" for k in ("plain", "two")],
        [corpora["a"] / f"a-{k}.ann" for k in ("denied", "hedged", "question", "bdnf-denied")],
        [corpora["b"], PUBTATOR],
        [corpora["b_only"]],
    ]
    for sources in rounds:
        add_documents(store, sources, lenient=True)
    sources = [corpus_dir(), corpora["a"], corpora["b"], PUBTATOR, corpora["b_only"]]
    assert data_nquads(store) == data_nquads(built(tmp_path, "full", sources))


def test_build_prints_its_diff_unless_told_not_to(tmp_path: Path, corpora) -> None:
    run = CliRunner().invoke
    store = str(tmp_path / "s" / "store")
    assert run(main, ["build", "-q", "--store", store, str(corpus_dir())]).exit_code == 0
    result = run(main, ["build", "-q", "--store", store, str(corpus_dir()), str(corpora["b_only"])])
    assert result.exit_code == 0, result.output
    assert "documents: +1 added, -0 removed" in result.output
    result = run(main, ["build", "-q", "--no-diff", "--store", store, str(corpus_dir())])
    assert result.exit_code == 0, result.output
    assert "documents:" not in result.output and "no change" not in result.output


# -- the stored aggregates: each claim's examples, the statement-count bins ----------------------

KETAMINE_NMDA = ClaimKey(
    "https://w3id.org/kgraph/entity/ketamine",
    "https://w3id.org/kgraph/ontology#antagonistOf",
    "https://w3id.org/kgraph/entity/nmda_receptor",
).iri()
#: Ketamine–NMDA antagonism at more strengths than VARIANTS has (clinical phase 3 is the strongest).
STRENGTHS = {
    "phase3": "R1\tantagonistOf Arg1:T1 Arg2:T2\t\nA1\tEvidenceLevel R1 ClinicalPhase3\n",
    "plain": VARIANTS["plain"],
    "hedged": VARIANTS["hedged"],
    "denied-phase2": "R1\tantagonistOf Arg1:T1 Arg2:T2\t\nA1\tNegated R1\n"
    "A2\tEvidenceLevel R1 ClinicalPhase2\n",
    "denied": VARIANTS["denied"],
}


def example_documents(store, claim: str = KETAMINE_NMDA) -> dict[str, str]:
    """The documents of the claim's examples, by kind (``supporting``, ``denying``)."""
    rows = store.query(f"""PREFIX kgo: <https://w3id.org/kgraph/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?kind ?d WHERE {{
          {{ {claim} kgo:exampleStatement ?s BIND("supporting" AS ?kind) }} UNION
          {{ {claim} kgo:exampleDenyingStatement ?s BIND("denying" AS ?kind) }}
          ?s prov:wasDerivedFrom ?d }}""").rows
    return {k.value: d.value.rpartition("/")[2] for k, d in rows}


def test_removing_the_examples_document_picks_the_next_strongest(tmp_path: Path) -> None:
    s = brat(tmp_path / "s", {f"s-{k}": v for k, v in STRENGTHS.items()})
    store = built(tmp_path, "inc", [corpus_dir(), s])
    assert example_documents(store) == {"supporting": "s-phase3", "denying": "s-denied-phase2"}
    remove_documents(store, ["s-phase3", "s-denied-phase2"])
    rest = [s / f"s-{k}.ann" for k in ("plain", "hedged", "denied")]
    assert data_nquads(store) == data_nquads(built(tmp_path, "full", [corpus_dir(), *rest]))
    after = example_documents(store)
    assert after["denying"] == "s-denied" and after["supporting"] not in ("s-phase3", "s-hedged")
    assert_bins_are_fresh(store)


def test_a_stronger_statement_becomes_the_example_of_a_claim_grown_from_its_summary(
    tmp_path: Path, monkeypatch
) -> None:
    s = brat(tmp_path / "s", {f"s-{k}": v for k, v in STRENGTHS.items()})
    weak = [s / f"s-{k}.ann" for k in ("plain", "hedged", "denied")]
    store = built(tmp_path, "inc", [corpus_dir(), *weak])
    assert example_documents(store)["supporting"] != "s-phase3"
    seeded = []
    real_seed = delta._seed

    def seed(summary, old, claim, key):
        done = real_seed(summary, old, claim, key)
        seeded.append((f"<{claim}>", done))
        return done

    monkeypatch.setattr(delta, "_seed", seed)
    add_documents(store, [s / "s-phase3.ann", s / "s-denied-phase2.ann"])
    assert (KETAMINE_NMDA, True) in seeded  # grown from its stored summary, not re-read
    assert example_documents(store) == {"supporting": "s-phase3", "denying": "s-denied-phase2"}
    full = built(
        tmp_path, "full", [corpus_dir(), *weak, s / "s-phase3.ann", s / "s-denied-phase2.ann"]
    )
    assert data_nquads(store) == data_nquads(full)
    # weaker statements added after leave the stored examples where they are
    more = brat(
        tmp_path / "more", {"more-hedged": STRENGTHS["hedged"], "more-denied": VARIANTS["denied"]}
    )
    seeded.clear()
    add_documents(store, [more])
    assert (KETAMINE_NMDA, True) in seeded
    assert example_documents(store) == {"supporting": "s-phase3", "denying": "s-denied-phase2"}
    full = built(
        tmp_path,
        "full2",
        [corpus_dir(), *weak, s / "s-phase3.ann", s / "s-denied-phase2.ann", more],
    )
    assert data_nquads(store) == data_nquads(full)


def test_bins_follow_a_document_removed_and_added_back_with_other_statements(
    tmp_path: Path, corpora
) -> None:
    store = built(tmp_path, "inc", [corpus_dir(), corpora["a"]])
    assert_bins_are_fresh(store)
    before = bins(store)
    assert before[0] >= 1 and before[2] >= 1  # a-question's document makes none; a-two's two

    def moved(base: dict[int, int], **by: int) -> dict[int, int]:
        out = dict(base)
        for n, d in by.items():
            out[int(n[1:])] = out.get(int(n[1:]), 0) + d
        return {n: m for n, m in out.items() if m}

    remove_documents(store, ["a-two"])
    assert bins(store) == moved(before, n2=-1)
    assert_bins_are_fresh(store)
    (corpora["a"] / "a-two.ann").write_text(MENTIONS + VARIANTS["hedged"])  # 2 statements → 1
    add_documents(store, [corpora["a"] / "a-two.ann"])
    assert bins(store) == moved(before, n2=-1, n1=1)
    assert data_nquads(store) == data_nquads(built(tmp_path, "full", [corpus_dir(), corpora["a"]]))
    assert_bins_are_fresh(store)
    # replaced in place by a document of three statements: the bin of 1 loses it, 3 gains it
    (corpora["a"] / "a-two.ann").write_text(MENTIONS + VARIANTS["two"] + VARIANTS["bdnf-denied"]
                                            .replace("R1", "R3").replace("A1", "A3"))  # fmt: skip
    add_documents(store, [corpora["a"] / "a-two.ann"])
    assert bins(store) == moved(before, n2=-1, n3=1)
    assert data_nquads(store) == data_nquads(built(tmp_path, "full2", [corpus_dir(), corpora["a"]]))


def test_an_update_fills_in_what_an_older_store_lacks(tmp_path: Path, monkeypatch) -> None:
    """A store an older kgraph built (no hedged counts, examples or bins): a claim an update
    grows is read from its statements instead of its stored summary, and the bins are counted
    once, so both come out as a rebuild's (the other claims get theirs at the next build)."""
    s = brat(tmp_path / "s", {"s-phase3": STRENGTHS["phase3"]})
    store = built(tmp_path, "inc", [corpus_dir()])
    lacking = (f"<{KGO}{p}>" for p in ("hedgedSupportingStatementCount", "exampleStatement",
                                       "exampleDenyingStatement"))  # fmt: skip
    dropped = (*lacking, "/statement-count-")
    store.replace(x for x in data_nquads(store) if not any(d in x for d in dropped))
    seeded = []
    real_seed = delta._seed
    monkeypatch.setattr(delta, "_seed", lambda *a: seeded.append(real_seed(*a)) or seeded[-1])
    add_documents(store, [s])
    assert seeded and not any(seeded)
    full = built(tmp_path, "full", [corpus_dir(), s])
    claim = [x for x in data_nquads(store) if x.startswith(KETAMINE_NMDA)]
    assert claim == [x for x in data_nquads(full) if x.startswith(KETAMINE_NMDA)]
    assert any(f"<{KGO}exampleStatement>" in x for x in claim)
    assert bins(store) == bins(full)
