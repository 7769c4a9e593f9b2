"""Remote stores that are written to: a failed build changes nothing on the server; HTTP Basic and
Digest authentication; chunked uploads that keep blank nodes whole, through the Graph Store Protocol
and through SPARQL Update; errors that carry the server's message."""

from __future__ import annotations

import json
import socket
import time
import urllib.parse

import pytest
from click.testing import CliRunner

from kgraph.build import build_store
from kgraph.cli import main
from kgraph.errors import FormatError, QueryError, StoreError
from kgraph.store import open_store
from kgraph.store.remote import RemoteStore
from kgraph.vocab import GRAPH_DATA, GRAPH_ONTOLOGY

pytestmark = pytest.mark.server

SERVERS = ["oxigraph_server", "virtuoso_server"]


@pytest.mark.parametrize("server_name", SERVERS, ids=["oxigraph", "virtuoso"])
def test_failed_build_leaves_the_remote_graph_as_it_was(request, server_name, corpus_copy) -> None:
    server = request.getfixturevalue(server_name)
    store = open_store(server.url)
    build_store(store, [corpus_copy])
    before = store.dump("nq")
    ann = corpus_copy / "northwestern-ketamine-neurogenesis.ann"
    lines = ann.read_text().splitlines()
    lines.append("R999\tfrobnicates Arg1:T1 Arg2:T2")  # an unknown relation, last of the corpus
    ann.write_text("\n".join(lines) + "\n")
    with pytest.raises(FormatError, match="frobnicates"):
        build_store(store, [corpus_copy])
    assert store.dump("nq") == before
    graphs = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    assert {g[0].value for g in graphs} == {GRAPH_DATA, GRAPH_ONTOLOGY}
    assert not _staging_graphs(store), "staging graphs are dropped, not only hidden"


def _staging_graphs(store: RemoteStore) -> list[str]:
    """Every graph on the server whose name marks it as kgraph's staging graph (an independent
    look: every graph, filtered here)."""
    body = urllib.parse.urlencode(
        {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}
    ).encode()
    raw, _ = store.http.send(
        store.query_url,
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
    )
    rows = json.loads(raw)["results"]["bindings"]
    return [r["g"]["value"] for r in rows if "-staging-" in r["g"]["value"]]


@pytest.mark.parametrize("server_name", SERVERS, ids=["oxigraph", "virtuoso"])
def test_staging_graphs_of_killed_builds_are_dropped(request, server_name, corpus_copy) -> None:
    """A build killed mid-upload (kill -9: no clean-up runs) leaves staging graphs; the next build
    drops those older than an hour, keeps a concurrent build's young one, and clean_staging()
    drops any on demand."""
    server = request.getfixturevalue(server_name)
    store = open_store(server.url)
    old, unknown = f"{GRAPH_DATA}-staging-1000-aaaa", f"{GRAPH_ONTOLOGY}-staging-bbbb"
    young = f"{GRAPH_DATA}-staging-{int(time.time())}-cccc"
    for g in (old, unknown, young):
        store.update(f"INSERT DATA {{ GRAPH <{g}> {{ <urn:s> <urn:p> <urn:o> }} }}")
    assert {old, unknown, young} <= set(_staging_graphs(store))
    build_store(store, [corpus_copy])
    assert _staging_graphs(store) == [young]
    assert store.clean_staging() == [young]
    assert _staging_graphs(store) == []


def test_cli_build_failure_exits_non_zero_and_keeps_the_graph(oxigraph_server, corpus_copy) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["build", str(corpus_copy), "--store", oxigraph_server.url, "-q"])
    assert ok.exit_code == 0, ok.output
    store = open_store(oxigraph_server.url)
    n = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value
    (corpus_copy / "state-of-ketamine-research-2025.ann").write_text("T1\tGizmo 0 3\tArk\n")
    bad = runner.invoke(main, ["build", str(corpus_copy), "--store", oxigraph_server.url, "-q"])
    assert bad.exit_code == 1
    assert store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value == n


def test_digest_authentication_against_virtuoso(virtuoso_server) -> None:
    store = open_store(virtuoso_server.url)  # http://dba:dba@…/sparql-auth
    assert isinstance(store, RemoteStore) and "dba" not in store.url, "no password in the URL"
    store.replace([f'<http://e/a> <http://e/p> "digest" <{GRAPH_DATA}> .'] * 3, [])
    assert store.query('ASK { <http://e/a> <http://e/p> "digest" }').boolean is True
    assert store.http._auth is not None and store.http._auth._digest is not None
    wrong = RemoteStore(virtuoso_server.url.replace("dba:dba@", "dba:wrong@"))
    with pytest.raises(StoreError, match="401"):
        wrong.replace([f'<http://e/a> <http://e/p> "x" <{GRAPH_DATA}> .'])
    anonymous = RemoteStore(virtuoso_server.url.replace("dba:dba@", ""))
    with pytest.raises(StoreError):
        anonymous.replace([f'<http://e/a> <http://e/p> "x" <{GRAPH_DATA}> .'])
    assert store.query('ASK { <http://e/a> <http://e/p> "digest" }').boolean is True
    basic_only = RemoteStore(virtuoso_server.url, auth="basic")
    with pytest.raises(StoreError, match="401"):
        basic_only.replace([f'<http://e/a> <http://e/p> "x" <{GRAPH_DATA}> .'])


def test_basic_authentication_is_sent_up_front(basic_auth_proxy) -> None:
    base, seen = basic_auth_proxy
    host = base.removeprefix("http://")
    store = open_store(f"http://kg:secret@{host}/query", auth="basic")
    store.replace([f'<http://e/a> <http://e/p> "basic" <{GRAPH_DATA}> .'])
    assert store.query('ASK { <http://e/a> <http://e/p> "basic" }').boolean is True
    assert seen and set(seen) == {"Basic"}, "never a request without credentials"
    seen.clear()
    auto = open_store(f"http://kg:secret@{host}/query")  # answers the challenge
    assert auto.query('ASK { <http://e/a> <http://e/p> "basic" }').boolean is True
    assert seen == ["", "Basic"]
    with pytest.raises(StoreError, match="401"):
        open_store(f"http://kg:nope@{host}/query").query("ASK {}")


@pytest.mark.parametrize("server_name", SERVERS, ids=["oxigraph", "virtuoso"])
@pytest.mark.parametrize("gsp", [True, False], ids=["graph-store", "insert-data"])
def test_chunked_upload_keeps_blank_nodes_whole(request, server_name, gsp) -> None:
    server = request.getfixturevalue(server_name)
    options = {} if gsp else {"gsp_url": ""}
    store = RemoteStore(server.url, chunk_size=7, **options)
    assert (store.gsp_url is not None) is gsp
    g = f"<{GRAPH_DATA}>"
    lines = [f'<http://e/s{i}> <http://e/p> "v{i} \\"é\\"" {g} .' for i in range(40)]
    for i in range(10):  # one blank node per subject, its triples far apart
        lines.insert(i * 4, f"<http://e/s{i}> <http://e/b> _:b{i} {g} .")
        lines.append(f'_:b{i} <http://e/n> "{i}" {g} .')
    store.replace(lines)
    rows = store.query(
        "SELECT ?s ?n WHERE { ?s <http://e/b> ?b . ?b <http://e/n> ?n } ORDER BY ?s"
    ).rows
    assert len(rows) == 10 and {r[1].value for r in rows} == {str(i) for i in range(10)}
    assert store.query('ASK { <http://e/s3> <http://e/p> "v3 \\"é\\"" }').boolean is True


def test_query_errors_carry_the_servers_message(oxigraph_server, virtuoso_server) -> None:
    for url in (oxigraph_server.url, virtuoso_server.url):
        store = open_store(url)
        with pytest.raises(QueryError) as info:
            store.query("SELECT * WHERE {\n  ?s ?p\n}")
        assert "line 3" in str(info.value) or "3:" in str(info.value), str(info.value)


def test_unreachable_server_is_a_store_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    store = open_store(f"http://127.0.0.1:{port}/query", timeout=5)
    with pytest.raises(StoreError, match="cannot reach"):
        store.query("ASK {}")
