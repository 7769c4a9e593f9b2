"""The review page in headless Chromium: the queue ordered by confidence, the buttons, and the
downloaded lines equal to what ``kgraph curate`` writes for the same acts."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.curation import LOG, read_log
from kgraph.curation.page import review_page
from tests.test_curation import build, data
from tests.test_curation_review import proposal_folder

pytestmark = pytest.mark.browser


def test_review_page(browser, tmp_path):
    corpus = proposal_folder(tmp_path / "corpus")
    store, _ = build(corpus)
    page_file = tmp_path / "review.html"
    page_file.write_text(review_page(store, title="Review: a new abstract"), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, requests = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri())
    page.wait_for_function("document.documentElement.dataset.ready === '1'")
    cards = page.locator("article.card")
    assert cards.count() == 4
    badges = [cards.nth(i).locator(".badge").first.inner_text() for i in range(4)]
    assert badges == ["High confidence", "High confidence", "Medium confidence", "Low confidence"]
    assert (
        "NMDA receptors" in cards.nth(0).inner_text()
        or "NMDA receptors" in cards.nth(1).inner_text()
    )
    page.fill("#curator", "ann")
    by_text = {cards.nth(i).locator(".statement").inner_text(): cards.nth(i) for i in range(4)}
    card = next(c for s, c in by_text.items() if "actsIn" in s)
    card.locator("input.reason").fill("the text names no region for this")
    card.locator("button.reject").click()
    next(c for s, c in by_text.items() if "hasAdverseEffect" in s).locator(
        "button.polarity"
    ).click()
    next(c for s, c in by_text.items() if "antagonistOf" in s).locator("button.accept").click()
    next(c for s, c in by_text.items() if "treats" in s).locator("button.accept").click()
    assert page.locator("article.card.done").count() == 4
    page.screenshot(path=str(tmp_path / "review.png"))
    with page.expect_download() as info:
        page.click("#download")
    lines = open(info.value.path(), encoding="utf-8").read()
    assert errors == [] and [u for u in requests if not u.startswith(("data:", "blob:"))] == [
        page_file.as_uri()
    ]
    acts = [json.loads(x) for x in lines.splitlines()]
    assert [a["act"] for a in acts] == ["reject", "correct", "accept", "accept"]
    # the same acts through the CLI give the same lines (time aside) and the same graph
    (corpus / LOG).write_text(lines, encoding="utf-8")
    other = proposal_folder(tmp_path / "other")
    runner = CliRunner()
    for a in acts:
        args = [
            "curate",
            a["act"],
            "--corpus",
            str(other),
            "--document",
            a["document"],
            "--subject",
            a["subject"],
            "--predicate",
            a["predicate"],
            "--object",
            a["object"],
            "--curator",
            a["curator"],
            "--time",
            a["time"],
            "--reason",
            a["reason"],
            "--quote",
            a["quote"],
        ]
        args += [x for t in a["tags"] for x in ("--tag", t)]
        if a.get("set", {}).get("negated") is not None:
            args += ["--polarity", "negated" if a["set"]["negated"] else "affirmed"]
        r = runner.invoke(main, args)
        assert r.exit_code == 0, r.output
    assert (other / LOG).read_text() == lines
    assert len(read_log(corpus / LOG)) == 4
    assert data(build(corpus)[0]) == data(build(other)[0])


def test_review_page_served_posts_acts(browser, tmp_path):
    from tests.server.test_http import Server

    corpus = proposal_folder(tmp_path / "corpus")
    store = tmp_path / "store"
    r = CliRunner().invoke(main, ["build", "-q", "--store", str(store), str(corpus)])
    assert r.exit_code == 0, r.output
    server = Server(store, "--allow-curation", "--corpus", str(corpus), "--token", "tok")
    try:
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url + "/review")
        page.wait_for_function("document.documentElement.dataset.ready === '1'")
        page.fill("#curator", "ann")
        page.fill("#token", "tok")
        page.locator("article.card").first.locator("button.accept").click()
        page.wait_for_selector("article.card.done")
        shown = page.input_value("#log")
        assert errors == []
        assert (corpus / LOG).read_text() == shown  # the server wrote the line the page shows
        assert json.loads(shown)["act"] == "accept"
    finally:
        server.stop()
