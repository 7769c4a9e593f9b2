"""Review of proposals: ``kgraph curate diff`` of a folder reviewed in brat, and the walk-through
of the issue (propose, reject one, correct another's polarity, accept the rest, rebuild)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from kgraph.cli import main
from kgraph.curation import LOG, read_log
from kgraph.curation.diff import diff_folders
from kgraph.curation.queue import review_queue

from .test_curation import TEXT, _at, ask, build, data

T = "2026-02-03T04:05:06Z"


def proposal_folder(folder: Path) -> Path:
    """What ``kgraph annotate`` writes: every relation marked Proposed, with a confidence."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "new.txt").write_text(TEXT, encoding="utf-8")
    mentions = [
        ("T1", "Compound", "Ketamine", 0, "kg:ketamine"),
        ("T2", "Receptor", "NMDA receptors", 0, "kg:nmda_receptor"),
        ("T3", "Enantiomer", "Esketamine", 0, "kg:esketamine"),
        ("T4", "Condition", "depression", 0, "kg:depression"),
        ("T5", "Compound", "Ketamine", 1, "kg:ketamine"),
        ("T6", "AdverseEffect", "dissociation", 0, "kg:dissociation"),
        ("T7", "BrainRegion", "cortex", 0, "kg:prefrontal_cortex"),
    ]
    lines = []
    for tid, typ, phrase, nth, curie in mentions:
        a, b = _at(phrase, nth)
        lines += [
            f"{tid}\t{typ} {a} {b}\t{phrase}",
            f"N{tid[1:]}\tReference {tid} {curie}\t{phrase}",
        ]
    relations = [
        ("R1", "antagonistOf", "T1", "T2", "High"),
        ("R2", "treats", "T3", "T4", "High"),
        ("R3", "hasAdverseEffect", "T5", "T6", "Medium"),
        ("R4", "actsIn", "T1", "T7", "Low"),
    ]
    n = 0
    for rid, typ, s, o, conf in relations:
        lines.append(f"{rid}\t{typ} Arg1:{s} Arg2:{o}\t")
        lines.append(f"A{(n := n + 1)}\tProposed {rid}")
        lines.append(f"A{(n := n + 1)}\tConfidence {rid} {conf}")
        lines.append(f"#{rid[1:]}\tAnnotatorNotes {rid}\trule=test-{rid}")
    (folder / "new.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "manifest.toml").write_text(
        '[[document]]\nid = "new"\ntitle = "A new abstract"\npublisher = "us"\ndate = "2026"\n'
        'source_type = "PeerReviewedArticle"\n',
        encoding="utf-8",
    )
    return folder


def review_in_brat(proposed: Path, reviewed: Path) -> None:
    """What a reviewer does in brat: delete R4, negate R3, and clear every Proposed mark."""
    shutil.copytree(proposed, reviewed)
    ann = reviewed / "new.ann"
    out = []
    for line in ann.read_text().splitlines():
        ident, _, rest = line.partition("\t")
        if "R4" in rest.split() or ident == "R4" or "Proposed" in rest:
            continue
        out.append(line)
    out.append("A99\tNegated R3")
    ann.write_text("\n".join(out) + "\n")


def test_diff_turns_a_review_into_acts(tmp_path):
    proposed = proposal_folder(tmp_path / "proposed")
    review_in_brat(proposed, tmp_path / "reviewed")
    acts = diff_folders(proposed, tmp_path / "reviewed", curator="ann", time=T)
    got = sorted(
        (a.act, a.subject, a.predicate, a.object, tuple(sorted(a.set.items()))) for a in acts
    )
    assert got == [
        ("accept", "kg:esketamine", "treats", "kg:depression", ()),
        ("accept", "kg:ketamine", "antagonistOf", "kg:nmda_receptor", ()),
        ("correct", "kg:ketamine", "hasAdverseEffect", "kg:dissociation", (("negated", True),)),
        ("reject", "kg:ketamine", "actsIn", "kg:prefrontal_cortex", ()),
    ]
    assert all(a.quote and a.sentence for a in acts)


def test_walk_through_propose_review_rebuild(tmp_path):
    """The issue's acceptance: reject one, correct another's polarity, accept the rest."""
    corpus = proposal_folder(tmp_path / "corpus")
    store, _ = build(corpus)
    before = data(store)
    # unreviewed proposals: marked assertions, no direct triple, no claim
    assert not ask(store, "kg:ketamine kgo:antagonistOf kg:nmda_receptor")
    assert ask(
        store, "?a rdf:predicate kgo:antagonistOf ; kgo:proposed true ; kgo:confidence kgo:High"
    )
    assert [row["confidence"] for row in review_queue(store)] == ["High", "High", "Medium", "Low"]
    runner = CliRunner()
    common = ["--corpus", str(corpus), "--document", "new", "--curator", "ann", "--time", T]

    def curate(*args: str) -> None:
        r = runner.invoke(main, ["curate", *args, *common])
        assert r.exit_code == 0, r.output

    curate(
        "reject",
        "--subject",
        "ketamine",
        "--predicate",
        "actsIn",
        "--object",
        "kg:prefrontal_cortex",
        "--reason",
        "the text names no region for this",
        "--tag",
        "not_in_text",
    )
    curate(
        "correct",
        "--subject",
        "ketamine",
        "--predicate",
        "hasAdverseEffect",
        "--object",
        "dissociation",
        "--polarity",
        "negated",
        "--tag",
        "wrong_polarity",
    )
    curate(
        "accept",
        "--subject",
        "ketamine",
        "--predicate",
        "antagonistOf",
        "--object",
        "kg:nmda_receptor",
    )
    curate("accept", "--subject", "esketamine", "--predicate", "treats", "--object", "depression")
    store, report = build(corpus)
    assert not report.skipped
    # exactly the accepted and corrected claims
    assert ask(store, "kg:ketamine kgo:antagonistOf kg:nmda_receptor")
    assert ask(store, "kg:esketamine kgo:treats kg:depression")
    assert not ask(store, "kg:ketamine kgo:hasAdverseEffect kg:dissociation")  # now negated
    assert ask(
        store,
        "?a rdf:predicate kgo:hasAdverseEffect ; kgo:negated true ; kgo:reviewStatus kgo:Corrected",
    )
    assert not ask(store, "kg:ketamine kgo:actsIn kg:prefrontal_cortex")
    # the rejected one stays visible, with its reason
    assert ask(
        store,
        "?a rdf:predicate kgo:actsIn ; kgo:reviewStatus kgo:Rejected . "
        '?r oa:hasTarget ?a ; oa:hasBody/rdf:value "the text names no region for this"',
    )
    assert review_queue(store) == []  # nothing left to review
    again, _ = build(corpus)
    assert data(again) == data(store) != before
    # the same review done in brat and diffed gives the same graph
    other = proposal_folder(tmp_path / "other")
    review_in_brat(other, tmp_path / "other-reviewed")
    r = runner.invoke(
        main,
        [
            "curate",
            "diff",
            str(other),
            str(tmp_path / "other-reviewed"),
            "--curator",
            "ann",
            "--append-to",
            str(other),
        ],
    )
    assert r.exit_code == 0, r.output
    assert len(read_log(other / LOG)) == 4
    lines = [json.loads(x) for x in (other / LOG).read_text().splitlines()]
    assert {x["act"] for x in lines} == {"accept", "reject", "correct"}


ABSTRACT = (  # our own words
    "Esketamine nasal spray treats treatment-resistant depression in adults.\n"
    "In mice, ketamine blocks NMDA receptors in the hippocampus.\n"
    "Ketamine does not cause addiction at the doses used in clinics.\n"
    "Arketamine may reduce depressive symptoms with less dissociation than esketamine.\n"
)


def test_walk_through_with_kgraph_annotate(tmp_path):
    """Annotate a new abstract, reject the least confident proposal, correct another's polarity,
    accept the rest, rebuild: exactly the accepted and corrected claims, the rejected one visible."""
    src = tmp_path / "abstract.txt"
    src.write_text(ABSTRACT, encoding="utf-8")
    corpus = tmp_path / "proposed"
    runner = CliRunner()
    r = runner.invoke(
        main,
        [
            "annotate",
            str(src),
            "-o",
            str(corpus),
            "--title",
            "A new abstract",
            "--source-type",
            "PeerReviewedArticle",
            "--date",
            "2026",
        ],
    )
    assert r.exit_code == 0, r.output
    store, _ = build(corpus)
    queue = review_queue(store)
    assert len(queue) >= 3
    direct = "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/kgraph/graph/data> { ?s ?p ?o . ?a <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o } }"
    assert store.query(direct).rows == []  # proposals are not claims
    rejected, flipped, accepted = queue[-1], queue[0], queue[1:-1]

    def act(kind: str, row: dict, *extra: str) -> None:
        args = [
            "curate",
            kind,
            "--corpus",
            str(corpus),
            "--document",
            row["document"],
            "--subject",
            row["subject"],
            "--predicate",
            row["predicate"],
            "--object",
            row["object"],
            "--quote",
            row["quote"],
            "--curator",
            "ann",
            "--time",
            T,
            *extra,
        ]
        r = runner.invoke(main, args)
        assert r.exit_code == 0, r.output

    act("reject", rejected, "--reason", "not what the sentence says", "--tag", "wrong_relation")
    act("correct", flipped, "--polarity", "affirmed" if flipped["negated"] else "negated")
    for row in accepted:
        act("accept", row)
    store, report = build(corpus)
    assert not report.skipped
    assert review_queue(store) == []

    for row in accepted:
        assert ask(
            store,
            f"?a kgo:reviewStatus kgo:Accepted ; kgo:subjectText {json.dumps(row['subject_text'])}",
        )
        if not row["negated"] and row["comparison"] != "Less":  # an accepted claim's triple
            s, p, o = (f"<{store_iri(row[k])}>" for k in ("subject", "predicate", "object"))
            assert ask(store, f"{s} {p} {o}")
    assert ask(
        store,
        "?a kgo:reviewStatus kgo:Corrected ; kgo:negated "
        + ("false" if flipped["negated"] else "true"),
    )
    assert ask(
        store,
        "?a kgo:reviewStatus kgo:Rejected . FILTER NOT EXISTS { ?a kgo:aboutClaim ?c } "
        '?r oa:hasTarget ?a ; oa:hasBody/rdf:value "not what the sentence says"',
    )
    again, _ = build(corpus)
    assert data(again) == data(store)


def store_iri(name: str) -> str:
    from kgraph.vocab import KGO, expand

    return name if "://" in name else (str(KGO) + name if ":" not in name else expand(name))


def test_view_review_and_curate_page_write_the_explorer_in_review_mode(tmp_path):
    corpus = proposal_folder(tmp_path / "corpus")
    store = tmp_path / "store"
    runner = CliRunner()
    r = runner.invoke(main, ["build", "-q", "--store", str(store), str(corpus)])
    assert r.exit_code == 0, r.output
    for args in (["view", "--review"], ["curate", "page"]):
        out = tmp_path / f"{args[0]}.html"
        r = runner.invoke(main, [*args, "--store", str(store), "-o", str(out)])
        assert r.exit_code == 0, r.output
        page = out.read_text(encoding="utf-8")
        assert 'id="kgraph-data"' in page and 'id="kgraph-review"' in page
        block = page.split('id="kgraph-review">', 1)[1].split("</script>", 1)[0]
        data_ = json.loads(block)
        assert [q["confidence"] for q in data_["queue"]] == ["High", "High", "Medium", "Low"]
        assert all(q["k"] is not None for q in data_["queue"])  # each drawn: its card has buttons
        assert data_["post"] is None and "connect-src &#39;none&#39;" in page
    plain = tmp_path / "plain.html"
    runner.invoke(main, ["view", "--store", str(store), "-o", str(plain)])
    assert 'id="kgraph-review"' not in plain.read_text(encoding="utf-8")
