"""The explorer's review mode in headless Chromium: the queue by confidence, accept / reject /
correct on the evidence panel, a new entity added to the lexicon; the downloaded lines equal what
the CLI and the notebook write for the same acts, and the server's POST appends them; a rebuild
shows the result."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph import KnowledgeGraph
from kgraph.cli import main
from kgraph.curation import LOG, read_log
from kgraph.curation.page import review_page
from kgraph.store import open_store
from kgraph.vocab import GRAPH_ONTOLOGY
from tests.test_curation import build, data
from tests.test_curation_lexicon import ENTRY, MINTED, ask, unknown_entity_folder

pytestmark = pytest.mark.browser
KG = "https://w3id.org/kgraph/entity/"


def open_review(browser, url: str, *, width: int = 1280, height: int = 860):
    """The page at url in review mode."""
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.reviewReady === '1'")
    return page, errors


def queued(page, text: str):
    """Open the queue item whose statement reads ``text``; the focused card's review bar."""
    page.locator(".review-queue li button", has_text=text).first.click()
    card = page.locator("#panel .statement.review-focus")
    card.wait_for()
    return card.locator(".review-bar")


def wait_outcome(bar, text: str) -> None:
    bar.locator(".review-outcome", has_text=text).wait_for()


def review_everything(page) -> None:
    """What the issue's walk-through does, in the page: reject one, correct another's polarity,
    correct a third's certainty and level, accept one, add the new entity, accept its claim."""
    page.fill("#review-curator", "ann")
    steps = [  # (queue item, [(field, value) to fill or select], button, outcome)
        ("actsIn", [(".review-reason", "the text names no region for this"),
                    ("select[name=tag]", "not_in_text")], ".review-reject", "rejected"),
        ("hasAdverseEffect", [], ".review-polarity", "corrected"),
        ("Esketamine — treats", [(".review-correct summary", None),
                                 ("select[name=certainty]", "Hedged"),
                                 ("select[name=evidence_level]", "Preclinical")],
         ".review-save", "corrected"),
        ("Ketamine — antagonistOf", [], ".review-accept", "accepted"),
    ]  # fmt: skip
    for item, fields, button, outcome in steps:
        bar = queued(page, item)
        for selector, value in fields:
            target = bar.locator(selector)
            if value is None:
                target.click()
            elif selector.startswith("select"):
                target.select_option(value)
            else:
                target.fill(value)
        bar.locator(button).click()
        wait_outcome(bar, outcome)
    # the entity the lexicon lacks: its panel has the lexicon form
    page.locator(".review-entities button", has_text="Zorbamine").click()
    form = page.locator("#panel .review-entity")
    form.wait_for()
    form.locator("input").nth(0).fill(ENTRY["label"])
    form.locator("input").nth(1).fill("; ".join(ENTRY["synonyms"]))
    form.locator("input").nth(2).fill(", ".join(ENTRY["identifiers"]))
    form.locator("input").nth(4).fill("a new drug in this abstract")
    form.locator(".review-add-entity").click()
    form.locator(".review-outcome", has_text="kg:zorbamine").wait_for()
    bar = queued(page, "Zorbamine — antagonistOf")
    bar.locator(".review-accept").click()
    wait_outcome(bar, "accepted")


def cli_args(a: dict, corpus: Path) -> list[str]:
    """``kgraph curate …`` for an act of the log."""
    if a["act"] == "add-entity":
        s = a["set"]
        args = ["curate", "add-entity", "--corpus", str(corpus), "--document", a["document"],
                "--subject", a["subject"], "--class", a["object"].removeprefix("kgo:"),
                "--label", s["label"], "--entity", s["entity"]]  # fmt: skip
        args += [x for v in s.get("synonyms", []) for x in ("--synonym", v)]
        args += [x for v in s.get("identifiers", []) for x in ("--identifier", v)]
    else:
        args = ["curate", a["act"], "--corpus", str(corpus), "--document", a["document"],
                "--subject", a["subject"], "--predicate", a["predicate"], "--object", a["object"],
                "--quote", a["quote"]]  # fmt: skip
        flags = {
            "certainty": "--certainty",
            "evidence_level": "--level",
            "predicate": "--set-predicate",
        }
        for k, v in a.get("set", {}).items():
            args += (
                ["--polarity", "negated" if v else "affirmed"] if k == "negated" else [flags[k], v]
            )
    args += ["--curator", a["curator"], "--time", a["time"], "--reason", a["reason"]]
    return args + [x for t in a["tags"] for x in ("--tag", t)]


def test_review_mode_offline_and_every_surface(browser, tmp_path):
    corpus = unknown_entity_folder(tmp_path / "corpus")
    clean = tmp_path / "clean"
    shutil.copytree(corpus, clean)
    store, _ = build(corpus)
    page_file = tmp_path / "explorer.html"
    page_file.write_text(review_page(store, title="kgraph review: two new abstracts"), "utf-8")
    page, errors = open_review(browser, page_file.as_uri())
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    # the queue, most confident first, and the new entity
    badges = page.locator(".review-queue .review-confidence").all_inner_texts()
    assert badges == ["High confidence"] * 2 + ["Medium confidence"] + ["Low confidence"] * 3
    assert page.locator(".review-entities li").all_inner_texts() == ["Zorbamine (Compound)"]
    review_everything(page)
    assert page.locator(".review-queue li.review-done").count() == 5
    if os.environ.get("KGRAPH_SCREENSHOTS"):  # docs/review-mode.png
        bar = queued(page, "Esketamine — treats")
        bar.locator(".review-correct summary").click()
        page.screenshot(path=os.environ["KGRAPH_SCREENSHOTS"])
    # leaving review mode takes the buttons off the open panel; coming back puts them on again
    page.click("#review-toggle")
    assert page.locator("#panel .review-bar").count() == 0 and page.is_hidden("#review")
    page.click("#review-toggle")
    page.locator("#panel .review-bar").first.wait_for()
    with page.expect_download() as info:
        page.click("#review-download")
    lines = Path(info.value.path()).read_text(encoding="utf-8")
    assert errors == [] and not [u for u in requests if not u.startswith(("data:", "blob:"))]
    acts = [json.loads(x) for x in lines.splitlines()]
    assert [a["act"] for a in acts] == [
        "reject",
        "correct",
        "correct",
        "accept",
        "add-entity",
        "accept",
    ]
    assert acts[1]["set"] == {"negated": True} and acts[1]["tags"] == ["wrong_polarity"]
    assert acts[2]["set"] == {"certainty": "Hedged", "evidence_level": "Preclinical"}
    assert acts[4]["set"] == {"entity": "kg:zorbamine", **ENTRY} and acts[4]["subject"] == MINTED
    assert acts[5]["subject"] == MINTED  # named before the entity joined the lexicon: still applies
    (corpus / LOG).write_text(lines, encoding="utf-8")
    # the same acts through the CLI, and through the notebook: the same bytes
    cli = tmp_path / "cli"
    shutil.copytree(clean, cli)
    runner = CliRunner()
    for a in acts:
        r = runner.invoke(main, cli_args(a, cli))
        assert r.exit_code == 0, r.output
    notebook = tmp_path / "notebook"
    shutil.copytree(clean, notebook)
    kg = KnowledgeGraph(build(clean)[0])
    for a in acts:
        fields = {k: a[k] for k in ("document", "subject", "predicate", "object", "curator",
                                    "time", "reason", "tags")}  # fmt: skip
        fields |= {"quote": a.get("quote"), "sentence": a.get("sentence"), "changes": a.get("set")}
        kg.curate(a["act"], corpus=notebook, **fields)
    assert (cli / LOG).read_text(encoding="utf-8") == lines
    assert (notebook / LOG).read_text(encoding="utf-8") == lines
    assert len(read_log(corpus / LOG)) == 6
    # ... and the same graph; the rebuild shows the review
    rebuilt = build(corpus)[0]
    assert data(rebuilt) == data(build(cli)[0]) == data(build(notebook)[0])
    assert ask(rebuilt, "kg:ketamine kgo:antagonistOf kg:nmda_receptor")
    assert ask(rebuilt, "kg:zorbamine kgo:antagonistOf kg:nmda_receptor")
    assert not ask(rebuilt, "kg:ketamine kgo:actsIn kg:prefrontal_cortex")
    assert ask(rebuilt, f"GRAPH <{GRAPH_ONTOLOGY}> {{ kg:zorbamine a kgo:Compound }}")
    page_file.write_text(review_page(rebuilt), "utf-8")
    page, errors = open_review(browser, page_file.as_uri())
    assert page.locator(".review-queue li").all_inner_texts() == [
        "Low confidence Zorbamine — treats → depression"  # the words of the text
    ]
    assert page.locator(".review-entities li").count() == 0  # a lexicon entity now
    assert errors == []


def test_review_mode_served_posts_acts(browser, tmp_path):
    from tests.server.helpers import Server

    corpus = unknown_entity_folder(tmp_path / "corpus")
    store = tmp_path / "store"
    r = CliRunner().invoke(main, ["build", "-q", "--store", str(store), str(corpus)])
    assert r.exit_code == 0, r.output
    server = Server(store, "--allow-curation", "--corpus", str(corpus), "--token", "tok")
    try:
        page, errors = open_review(browser, server.url + "/review")
        page.fill("#review-curator", "ann")
        page.fill("#review-token", "wrong")
        bar = queued(page, "Ketamine — antagonistOf")
        bar.locator(".review-accept").click()
        page.locator(".review-status.bad", has_text="refused").wait_for()
        assert not (corpus / LOG).exists() and page.input_value("#review-log") == ""
        page.fill("#review-token", "tok")
        bar.locator(".review-accept").click()
        page.locator(".review-status", has_text="line 1").wait_for()
        bar = queued(page, "actsIn")
        bar.locator(".review-reject").click()
        page.locator(".review-status", has_text="line 2").wait_for()
        shown = page.input_value("#review-log")
        assert errors == []
        assert (corpus / LOG).read_text(encoding="utf-8") == shown  # the lines the page shows
        assert [json.loads(x)["act"] for x in shown.splitlines()] == ["accept", "reject"]
    finally:
        server.stop()
    # the same acts through the CLI write the same lines and give the same graph
    cli = unknown_entity_folder(tmp_path / "cli")
    for a in map(json.loads, shown.splitlines()):
        r = CliRunner().invoke(main, cli_args(a, cli))
        assert r.exit_code == 0, r.output
    assert (cli / LOG).read_text(encoding="utf-8") == shown
    assert data(build(cli)[0]) == data(build(corpus)[0])
    # a rebuild shows the result
    r = CliRunner().invoke(main, ["build", "-q", "--store", str(store), str(corpus)])
    assert r.exit_code == 0, r.output
    rebuilt = open_store(store, read_only=True)
    assert ask(rebuilt, "kg:ketamine kgo:antagonistOf kg:nmda_receptor")
    assert ask(rebuilt, "?a rdf:predicate kgo:actsIn ; kgo:reviewStatus kgo:Rejected")


def test_a_proposal_outside_the_view_is_reviewed_on_its_own_card(browser, tmp_path):
    from kgraph.views import render_html

    corpus = unknown_entity_folder(tmp_path / "corpus")
    store, _ = build(corpus)
    out = tmp_path / "focus.html"
    out.write_text(render_html(store, focus="esketamine", depth=1, review=True), "utf-8")
    page, errors = open_review(browser, out.as_uri())
    page.fill("#review-curator", "ann")
    bar = queued(page, "Ketamine — antagonistOf")  # not drawn: esketamine's neighbourhood only
    assert page.locator("#panel h3", has_text="not drawn in this view").count() == 1
    bar.locator(".review-accept").click()
    wait_outcome(bar, "accepted")
    # leaving review mode and coming back keeps the proposal's card, without and then with its bar
    page.click("#review-toggle")
    assert page.locator("#panel .review-bar").count() == 0
    assert page.locator("#panel .review-focus", has_text="Ketamine").count() == 1
    page.click("#review-toggle")
    wait_outcome(page.locator("#panel .review-focus .review-bar"), "accepted")
    [line] = page.input_value("#review-log").splitlines()
    r = CliRunner().invoke(main, cli_args(json.loads(line), corpus))
    assert r.exit_code == 0, r.output
    assert (corpus / LOG).read_text(encoding="utf-8") == line + "\n"  # what the CLI writes
    assert errors == []
