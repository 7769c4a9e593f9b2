"""The curation log: strict parsing, replay on build (supersede, contest, orphan), RDF, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.build import build_store
from kgraph.cli import main
from kgraph.curation import LOG, Act, append, read_log
from kgraph.curation.acts import curate
from kgraph.errors import FormatError, KGraphError
from kgraph.store import open_store
from kgraph.vocab import GRAPH_DATA

# Our own sentences (no third-party text).
TEXT = (
    "Ketamine blocks NMDA receptors in the cortex.\n"
    "Esketamine treats depression within hours.\n"
    "Ketamine may cause dissociation in some patients.\n"
)
KGO = "https://w3id.org/kgraph/ontology#"
KG = "https://w3id.org/kgraph/entity/"
T = "2026-01-02T03:04:05Z"


def _at(phrase: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = TEXT.index(phrase, i + 1)
    return i, i + len(phrase)


def make_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "d1.txt").write_text(TEXT, encoding="utf-8")
    mentions = [
        ("T1", "Compound", "Ketamine", 0, "kg:ketamine"),
        ("T2", "Receptor", "NMDA receptors", 0, "kg:nmda_receptor"),
        ("T3", "Enantiomer", "Esketamine", 0, "kg:esketamine"),
        ("T4", "Condition", "depression", 0, "kg:depression"),
        ("T5", "Compound", "Ketamine", 1, "kg:ketamine"),
        ("T6", "AdverseEffect", "dissociation", 0, "kg:dissociation"),
    ]
    lines = []
    for tid, typ, phrase, nth, curie in mentions:
        a, b = _at(phrase, nth)
        lines += [
            f"{tid}\t{typ} {a} {b}\t{phrase}",
            f"N{tid[1:]}\tReference {tid} {curie}\t{phrase}",
        ]
    lines += [
        "R1\tantagonistOf Arg1:T1 Arg2:T2\t",
        "R2\ttreats Arg1:T3 Arg2:T4\t",
        "R3\thasAdverseEffect Arg1:T5 Arg2:T6\t",
        "A1\tCertainty R3 Hedged",
    ]
    (folder / "d1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "manifest.toml").write_text(
        '[[document]]\nid = "d1"\ntitle = "A test"\npublisher = "us"\ndate = "2026"\n'
        'source_type = "ScienceNews"\n',
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def corpus(tmp_path) -> Path:
    return make_corpus(tmp_path / "corpus")


def act(kind: str, s: str, p: str, o: str, **kw) -> Act:
    fields = {"curator": "ann", "time": T, "reason": ""} | kw
    return Act(kind, "d1", s, p, o, **fields)


def build(corpus: Path):
    store = open_store("memory:")
    report = build_store(store, [corpus])
    return store, report


def data(store) -> list[str]:
    tail = f"<{GRAPH_DATA}> ."
    return sorted(x for x in store.dump("nq").decode().splitlines() if x.endswith(tail))


def ask(store, pattern: str) -> bool:
    q = f"PREFIX kgo: <{KGO}> PREFIX kg: <{KG}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
    q += "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX prov: <http://www.w3.org/ns/prov#> "
    return bool(store.query(q + f"ASK {{ {pattern} }}").boolean)


def claim_exists(store, s: str, p: str, o: str) -> bool:
    return ask(
        store,
        f"?c a kgo:Claim ; kgo:claimSubject {s} ; kgo:claimPredicate {p} ; kgo:claimObject {o}",
    )


# -- the log ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"act": "accept", "colour": 1}', "unknown key(s) colour"),
        (
            '{"act": "like", "document": "d", "subject": "kg:a", "predicate": "p", "object": "kg:b", '
            '"curator": "c", "time": "2026-01-01T00:00:00Z"}',
            "act must be one of",
        ),
        (
            '{"act": "reject", "document": "d", "subject": "kg:a", "predicate": "p", "object": "kg:b", '
            '"curator": "c", "time": "yesterday"}',
            "not an ISO 8601",
        ),
        (
            '{"act": "reject", "document": "d", "subject": "kg:a", "predicate": "p", "object": "kg:b", '
            '"curator": "c", "time": "2026-01-01T00:00:00Z", "tags": ["bad"]}',
            "unknown tag(s) bad",
        ),
        (
            '{"act": "correct", "document": "d", "subject": "kg:a", "predicate": "p", "object": "kg:b", '
            '"curator": "c", "time": "2026-01-01T00:00:00Z"}',
            "must set at least one",
        ),
        (
            '{"act": "correct", "document": "d", "subject": "kg:a", "predicate": "p", "object": "kg:b", '
            '"curator": "c", "time": "2026-01-01T00:00:00Z", "set": {"negated": "yes"}}',
            "negated must be true or false",
        ),
        (
            '{"act": "reject", "document": "d", "subject": "kg:a", "predicate": "p", "object": "kg:b", '
            '"curator": "c", "time": "2026-01-01T00:00:00Z", "sentence": [5, 2]}',
            "sentence must be [start, end]",
        ),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path, line, problem):
    log = tmp_path / LOG
    good = act("reject", "kg:ketamine", "antagonistOf", "kg:nmda_receptor").to_json()
    log.write_text(good + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as e:
        read_log(log)
    assert e.value.line == 3 and e.value.path == str(log)
    assert problem in str(e.value)


def test_log_lines_round_trip_and_append_only(tmp_path):
    log = tmp_path / LOG
    a = act("correct", "kg:ketamine", "antagonistOf", "kg:nmda_receptor", set={"negated": True})
    b = act("accept", "kg:esketamine", "treats", "kg:depression", tags=("correct",))
    assert append(log, a) == 1
    assert append(log, b) == 2
    first = log.read_text().splitlines()[0]
    assert read_log(log) == [a, b]
    assert json.loads(first)["set"] == {"negated": True}
    assert log.read_text().splitlines()[0] == first  # earlier lines are never rewritten


def test_malformed_log_stops_the_build_store_unchanged(corpus):
    store, _ = build(corpus)
    before = data(store)
    (corpus / LOG).write_text(act("reject", "kg:a", "treats", "kg:b").to_json() + "\n{oops\n")
    with pytest.raises(FormatError, match=r"curation.jsonl:2: not JSON"):
        build_store(store, [corpus])
    assert data(store) == before


# -- replay ----------------------------------------------------------------------------------


def test_reject_keeps_the_assertion_visible_without_triple_or_claim(corpus):
    store, _ = build(corpus)
    assert ask(store, "kg:ketamine kgo:antagonistOf kg:nmda_receptor")
    append(
        corpus / LOG,
        act(
            "reject",
            "kg:ketamine",
            "antagonistOf",
            "kg:nmda_receptor",
            reason="says cortex only",
            tags=("not_in_text",),
        ),
    )
    store, report = build(corpus)
    assert not ask(store, "kg:ketamine kgo:antagonistOf kg:nmda_receptor")
    assert not claim_exists(store, "kg:ketamine", "kgo:antagonistOf", "kg:nmda_receptor")
    assert ask(
        store,
        "?a a kgo:Assertion ; rdf:subject kg:ketamine ; rdf:predicate kgo:antagonistOf ; "
        "kgo:reviewStatus kgo:Rejected . ?r oa:hasTarget ?a ; oa:motivatedBy oa:assessing ; "
        'oa:hasBody/rdf:value "says cortex only" ; prov:wasAttributedTo/<http://www.w3.org/2000/01/rdf-schema#label> "ann" ; '
        'kgo:reviewTag "not_in_text"',
    )
    assert not report.skipped  # no orphan
    # the other statements are untouched
    assert ask(store, "kg:esketamine kgo:treats kg:depression")


def test_later_act_of_the_same_curator_supersedes(corpus):
    append(corpus / LOG, act("reject", "kg:esketamine", "treats", "kg:depression"))
    append(
        corpus / LOG,
        act("accept", "kg:esketamine", "treats", "kg:depression", time="2026-01-03T00:00:00Z"),
    )
    store, _ = build(corpus)
    assert ask(store, "kg:esketamine kgo:treats kg:depression")
    assert ask(store, "?a rdf:subject kg:esketamine ; kgo:reviewStatus kgo:Accepted")


def test_two_curators_who_disagree_contest_the_statement(corpus):
    append(corpus / LOG, act("reject", "kg:esketamine", "treats", "kg:depression"))
    append(corpus / LOG, act("accept", "kg:esketamine", "treats", "kg:depression", curator="bob"))
    store, _ = build(corpus)
    # as the source has it, marked contested, with both reviews visible
    assert ask(store, "kg:esketamine kgo:treats kg:depression")
    assert ask(store, "?a rdf:subject kg:esketamine ; kgo:reviewStatus kgo:Contested")
    rows = store.query(
        f"SELECT ?who WHERE {{ ?r <http://www.w3.org/ns/oa#hasTarget> ?a . ?a <{KGO}reviewStatus> ?s . "
        "?r <http://www.w3.org/ns/prov#wasAttributedTo>/<http://www.w3.org/2000/01/rdf-schema#label> ?who }"
    ).rows
    assert sorted(r[0].value for r in rows) == ["ann", "bob"]


def test_correct_polarity_and_add(corpus):
    append(
        corpus / LOG,
        act(
            "correct",
            "kg:ketamine",
            "hasAdverseEffect",
            "kg:dissociation",
            set={"negated": True},
            tags=("wrong_polarity",),
        ),
    )
    quote = "Ketamine blocks NMDA receptors in the cortex."
    append(
        corpus / LOG,
        act(
            "add",
            "kg:ketamine",
            "actsIn",
            "kg:prefrontal_cortex",
            quote=quote,
            set={"subject_text": "Ketamine", "object_text": "cortex", "object_type": "BrainRegion"},
        ),
    )
    store, _ = build(corpus)
    assert not ask(store, "kg:ketamine kgo:hasAdverseEffect kg:dissociation")
    assert ask(
        store,
        "?a rdf:subject kg:ketamine ; rdf:predicate kgo:hasAdverseEffect ; kgo:negated true ; "
        "kgo:reviewStatus kgo:Corrected . ?r oa:hasTarget ?a ; oa:motivatedBy oa:editing",
    )
    assert ask(store, "kg:ketamine kgo:actsIn kg:prefrontal_cortex")
    assert ask(store, "?a rdf:object kg:prefrontal_cortex ; kgo:reviewStatus kgo:Added")


def test_orphans_are_reported_with_file_and_line(corpus):
    append(corpus / LOG, act("accept", "kg:esketamine", "treats", "kg:depression"))
    append(
        corpus / LOG, act("reject", "kg:ketamine", "treats", "kg:depression")
    )  # no such statement
    append(corpus / LOG, Act("accept", "nope", "kg:a", "treats", "kg:b", curator="c", time=T))
    _, report = build(corpus)
    assert report.skipped["curation act matches no statement (orphan)"] == 2
    text = "\n".join(report.warnings)
    assert (
        f"{corpus / LOG}:2: document d1: orphan: reject of kg:ketamine treats kg:depression" in text
    )
    assert f"{corpus / LOG}:3: document nope: orphan" in text


def test_quote_finds_the_statement_after_offsets_shift(corpus):
    quote = "Esketamine treats depression within hours."
    append(corpus / LOG, act("reject", "kg:esketamine", "treats", "kg:depression", quote=quote))
    # a new first line moves every offset; the quote still finds the sentence
    txt, ann = corpus / "d1.txt", corpus / "d1.ann"
    head = "A line added on top.\n"
    txt.write_text(head + TEXT)
    lines = []
    for line in ann.read_text().splitlines():
        if line.startswith("T"):
            tid, rest, covered = line.split("\t")
            typ, a, b = rest.split()
            line = f"{tid}\t{typ} {int(a) + len(head)} {int(b) + len(head)}\t{covered}"
        lines.append(line)
    ann.write_text("\n".join(lines) + "\n")
    store, report = build(corpus)
    assert not report.skipped
    assert not ask(store, "kg:esketamine kgo:treats kg:depression")


def test_replay_is_deterministic_and_idempotent(corpus):
    append(corpus / LOG, act("reject", "kg:ketamine", "antagonistOf", "kg:nmda_receptor"))
    append(
        corpus / LOG,
        act(
            "correct",
            "kg:ketamine",
            "hasAdverseEffect",
            "kg:dissociation",
            set={"certainty": "Asserted"},
        ),
    )
    first, _ = build(corpus)
    second, _ = build(corpus)
    assert data(first) == data(second)


# -- making acts (library and CLI give the same lines) -----------------------------------------


def test_cli_and_library_give_the_same_log_lines(tmp_path):
    a, b = make_corpus(tmp_path / "a"), make_corpus(tmp_path / "b")
    curate(
        a,
        "reject",
        document="d1",
        subject="ketamine",
        predicate="antagonistOf",
        object="NMDA receptor",
        curator="ann",
        reason="r",
        tags=["not_in_text"],
        time=T,
    )
    curate(
        a,
        "correct",
        document="d1",
        subject="kg:ketamine",
        predicate="hasAdverseEffect",
        object="kg:dissociation",
        curator="ann",
        changes={"negated": True},
        time=T,
    )
    runner = CliRunner()
    common = ["--corpus", str(b), "--document", "d1", "--curator", "ann", "--time", T]
    r = runner.invoke(
        main,
        [
            "curate",
            "reject",
            *common,
            "--subject",
            "ketamine",
            "--predicate",
            "antagonistOf",
            "--object",
            "NMDA receptor",
            "--reason",
            "r",
            "--tag",
            "not_in_text",
        ],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        main,
        [
            "curate",
            "correct",
            *common,
            "--subject",
            "kg:ketamine",
            "--predicate",
            "hasAdverseEffect",
            "--object",
            "kg:dissociation",
            "--polarity",
            "negated",
        ],
    )
    assert r.exit_code == 0, r.output
    assert (a / LOG).read_text() == (b / LOG).read_text()
    assert data(build(a)[0]) == data(build(b)[0])
    r = runner.invoke(main, ["curate", "list", "--corpus", str(b), "--format", "jsonl"])
    outcomes = [json.loads(x)["outcome"] for x in r.output.splitlines()]
    assert outcomes == ["rejected", "corrected"]


def test_an_act_on_no_statement_is_refused(corpus):
    with pytest.raises(KGraphError, match="no statement kg:esketamine antagonistOf"):
        curate(
            corpus,
            "reject",
            document="d1",
            subject="kg:esketamine",
            predicate="antagonistOf",
            object="kg:nmda_receptor",
            curator="ann",
        )
    assert not (corpus / LOG).exists()


def test_server_post_writes_the_line_the_cli_writes(tmp_path):
    from kgraph.curation.web import post_act

    a, b = make_corpus(tmp_path / "a"), make_corpus(tmp_path / "b")
    curate(
        a,
        "correct",
        document="d1",
        subject="kg:ketamine",
        predicate="hasAdverseEffect",
        object="kg:dissociation",
        curator="ann",
        changes={"negated": True},
        reason="r",
        time=T,
    )
    line = (a / LOG).read_text()
    status, answer = post_act(b, line.encode())
    assert status == 201 and answer["line"] == 1
    assert (b / LOG).read_text() == line
    status, answer = post_act(b, b'{"act": "accept", "document": "d1"}')
    assert (status == 422 and "no entity is called" in answer["error"]) or "lacks" in answer[
        "error"
    ]
    assert len(read_log(b / LOG)) == 1


def test_concurrent_appends_are_whole_lines(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    log = tmp_path / LOG
    acts = [
        act("accept", "kg:ketamine", "antagonistOf", "kg:nmda_receptor", curator=f"c{i}")
        for i in range(40)
    ]
    with ThreadPoolExecutor(8) as pool:
        lines = list(pool.map(lambda x: append(log, x), acts))
    assert sorted(lines) == list(range(1, 41))
    assert sorted(a.curator for a in read_log(log)) == sorted(a.curator for a in acts)


def test_a_reviewed_graph_passes_the_shapes(corpus):
    from kgraph.validate import available, validate

    if not available():
        pytest.skip("pyshacl is not installed")
    append(
        corpus / LOG, act("reject", "kg:ketamine", "antagonistOf", "kg:nmda_receptor", reason="r")
    )
    append(
        corpus / LOG,
        act("correct", "kg:ketamine", "hasAdverseEffect", "kg:dissociation", set={"negated": True}),
    )
    append(corpus / LOG, act("accept", "kg:esketamine", "treats", "kg:depression"))
    append(corpus / LOG, act("reject", "kg:esketamine", "treats", "kg:depression", curator="bob"))
    store, _ = build(corpus)
    report = validate(store)
    assert report.conforms, report.violations
    assert ask(store, "?r kgo:reviewAct kgo:Rejected")  # the shapes saw review annotations


def test_notebook_curate_writes_the_cli_line_and_the_queue_empties(tmp_path):
    from kgraph import load

    from .test_curation_review import proposal_folder

    a, b = proposal_folder(tmp_path / "a"), proposal_folder(tmp_path / "b")
    kg = load(a)
    queue = kg.review_queue()
    assert list(queue["confidence"]) == ["High", "High", "Medium", "Low"]
    for row in queue.to_dict("records"):
        kind = "reject" if row["confidence"] == "Low" else "accept"
        kg.curate(
            kind,
            corpus=a,
            document=row["document"],
            subject=row["subject"],
            predicate=row["predicate"],
            object=row["object"],
            sentence=row["sentence"],
            curator="ann",
            time=T,
        )
        r = CliRunner().invoke(
            main,
            [
                "curate",
                kind,
                "--corpus",
                str(b),
                "--document",
                row["document"],
                "--subject",
                row["subject"],
                "--predicate",
                row["predicate"],
                "--object",
                row["object"],
                "--sentence",
                "{}:{}".format(*row["sentence"]),
                "--curator",
                "ann",
                "--time",
                T,
            ],
        )
        assert r.exit_code == 0, r.output
    assert (a / LOG).read_text() == (b / LOG).read_text()
    kg.build([a])
    assert kg.review_queue().empty
    assert data(kg.store) == data(build(b)[0])
