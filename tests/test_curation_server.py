"""``kgraph serve --allow-curation``: acts POSTed to /curation land in the log as the CLI writes
them; the /review page sends them there."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.curation import LOG
from tests.server.test_http import Server
from tests.test_curation_review import proposal_folder

T = "2026-03-04T05:06:07Z"
TOKEN = "s3cret-token"


@pytest.fixture
def served(tmp_path):
    corpus = proposal_folder(tmp_path / "corpus")
    store = tmp_path / "store"
    r = CliRunner().invoke(main, ["build", "-q", "--store", str(store), str(corpus)])
    assert r.exit_code == 0, r.output
    server = Server(store, "--allow-curation", "--corpus", str(corpus), "--token", TOKEN)
    yield server, corpus
    server.stop()


def test_post_appends_what_the_cli_writes(served, tmp_path):
    server, corpus = served
    other = proposal_folder(tmp_path / "other")
    r = CliRunner().invoke(
        main,
        [
            "curate",
            "reject",
            "--corpus",
            str(other),
            "--document",
            "new",
            "--subject",
            "ketamine",
            "--predicate",
            "actsIn",
            "--object",
            "kg:prefrontal_cortex",
            "--curator",
            "ann",
            "--time",
            T,
            "--reason",
            "no region named",
            "--tag",
            "not_in_text",
        ],
    )
    assert r.exit_code == 0, r.output
    line = (other / LOG).read_text()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    status, _, body = server.post("/curation", line.encode(), "application/json", auth)
    assert status == 201, body
    assert json.loads(body)["line"] == 1
    assert (corpus / LOG).read_text() == line
    # names resolve through the served graph, as everywhere else
    act = {
        "act": "accept",
        "document": "new",
        "subject": "Esketamine",
        "predicate": "treats",
        "object": "depression",
        "curator": "ann",
        "time": T,
    }
    status, _, body = server.post("/curation", json.dumps(act).encode(), "application/json", auth)
    assert status == 201, body
    assert json.loads(body)["act"]["subject"] == "kg:esketamine"
    # refused: no token, a wrong one, an act on no statement
    assert server.post("/curation", line.encode(), "application/json")[0] == 401
    bad = {"Authorization": "Bearer nope"}
    assert server.post("/curation", line.encode(), "application/json", bad)[0] == 401
    act["predicate"] = "antagonistOf"
    status, _, body = server.post("/curation", json.dumps(act).encode(), "application/json", auth)
    assert status == 422 and b"no statement" in body
    assert len((corpus / LOG).read_text().splitlines()) == 2


def test_review_page_is_served_and_posts(served):
    server, _ = served
    status, headers, body = server.get("/review")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b'"post":"/curation"' in body and TOKEN.encode() not in body
    assert b'id="kgraph-review"' in body and b'id="kgraph-data"' in body  # the explorer, reviewing
    # it may send its acts to this server only
    assert "connect-src 'self'" in headers["Content-Security-Policy"]


def test_read_only_server_refuses_acts(tmp_path):
    corpus = proposal_folder(tmp_path / "corpus")
    store = tmp_path / "store"
    CliRunner().invoke(main, ["build", "-q", "--store", str(store), str(corpus)])
    server = Server(store)
    try:
        status, _, _ = server.post("/curation", b"{}", "application/json")
        assert status == 403
    finally:
        server.stop()
    r = CliRunner().invoke(main, ["serve", "--store", str(store), "--allow-curation"])
    assert r.exit_code != 0 and "--allow-curation needs --token and --corpus" in r.output
