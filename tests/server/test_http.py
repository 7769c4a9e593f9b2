"""``kgraph serve`` against real clients: SPARQLWrapper, rdflib's SPARQLStore, urllib and raw
HTTP. Each server is the real command (``python -m kgraph serve``) in a subprocess on a free port
of 127.0.0.1, over a store that ``kgraph build --store`` made from the bundled corpus.

The first tests need no server: the tokenizer that refuses SERVICE and LOAD, content negotiation.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgraph.media import GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES, negotiate
from kgraph.server import ServerConfig
from kgraph.server.pages import query_page
from kgraph.sparql import query_form
from kgraph.sparql import refused as refused_keyword
from tests.server.helpers import Server, _build, raw_get, request

QUERY_PAGE = query_page().html

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SIMPLE = "SELECT ?l WHERE { kg:ketamine rdfs:label ?l }"


# -- no server needed --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sparql, word",
    [
        ("SELECT * WHERE { SERVICE <http://h/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("select * { service silent <http://h/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { SERVICE<http://h/s>{ ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { SERVICE?endpoint { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { SERVICE#comment\n <http://h/s> { ?s ?p ?o } }", "SERVICE"),
        ("PREFIX : <http://h/> SELECT * WHERE { SERVICE:a { ?s ?p ?o } }", "SERVICE"),
        (r"SELECT * WHERE { \u0053ERVICE <http://h/s> { ?s ?p ?o } }", "SERVICE"),
        ('SELECT * WHERE { ?s ?p "x" . SERVICE <http://h/s> { ?s ?p ?o } }', "SERVICE"),
        ("LOAD <http://h/data.ttl>", "LOAD"),
        ("load silent <http://h/data.ttl> INTO GRAPH <http://g>", "LOAD"),
    ],
)
def test_service_and_load_are_found(sparql, word):
    assert refused_keyword(sparql) == word


@pytest.mark.parametrize(
    "sparql",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://h/> { }" }',
        "SELECT * WHERE { ?s ?p '''a LOAD of text''' }",
        "SELECT * WHERE { ?s <http://h/SERVICE> ?o } # SERVICE <http://h/> {}",
        "SELECT ?service ?load WHERE { ?service <urn:x:load> ?load }",
        "PREFIX ex: <http://h/> SELECT * WHERE { ?s ex:service ?o . ?s ex:LOAD ?x }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?s<?o) }",
    ],
)
def test_words_in_strings_iris_comments_and_names_are_not_refused(sparql):
    assert refused_keyword(sparql) is None


def test_query_form():
    assert query_form("PREFIX s: <http://h/> SELECT * { ?s ?p ?o }") == "select"
    assert query_form("BASE <http://h/> DESCRIBE <x>") == "describe"
    assert query_form('# CONSTRUCT\nASK { ?s ?p "SELECT" }') == "ask"
    assert query_form("DELETE WHERE { ?s ?p ?o }") == "update"
    assert query_form("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }") == "update"


def test_negotiate():
    results, graphs = list(RESULT_MEDIA_TYPES), list(GRAPH_MEDIA_TYPES)
    assert negotiate(None, results) == "application/sparql-results+json"
    assert negotiate("*/*", graphs) == "text/turtle"
    assert negotiate("text/*;q=0.5, application/sparql-results+xml;q=0.4", results) == "text/csv"
    assert negotiate("text/tab-separated-values", results) == "text/tab-separated-values"
    assert negotiate("application/n-triples, text/turtle;q=0.1", graphs) == "application/n-triples"
    assert negotiate("text/csv;q=0", results) is None
    assert negotiate("image/png", graphs) is None
    assert negotiate("*/*", results, "text/csv") == "text/csv"


def test_query_page_builds_the_table_with_text_only():
    assert "innerHTML" not in QUERY_PAGE and "outerHTML" not in QUERY_PAGE
    assert "insertAdjacentHTML" not in QUERY_PAGE and "document.write" not in QUERY_PAGE
    assert "textContent" in QUERY_PAGE and "<script src" not in QUERY_PAGE


def test_updates_need_a_token():
    with pytest.raises(Exception, match="--token"):
        ServerConfig(store=Path("x"), allow_update=True)


# -- the running server ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("served") / "store"
    _build(path)
    return path


@pytest.fixture(scope="module")
def server(store) -> Iterator[Server]:
    s = Server(store, "--timeout", "2", "--workers", "2")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def open_server(store) -> Iterator[Server]:
    """A second server: CORS on, a small row limit, updates with a token, its own store."""
    own = store.parent / "own"
    _build(own)
    s = Server(
        own,
        "--cors-origin",
        "https://notebook.example",
        "--max-rows",
        "50",
        "--allow-update",
        "--token",
        "s3cret",
    )
    yield s
    s.stop()


@pytest.mark.server
def test_binds_loopback_by_default(server):
    assert server.host == "127.0.0.1"
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks an interface
        address = probe.getsockname()[0]
    except OSError:
        address = None
    finally:
        probe.close()
    if address and not address.startswith("127."):
        with pytest.raises(OSError):
            socket.create_connection((address, server.port), timeout=2).close()


@pytest.mark.server
def test_foreign_host_names_are_refused(server):
    """A page on another site cannot reach the server through a DNS name rebound to 127.0.0.1."""
    for host in ("evil.example", "evil.example:80", "127.0.0.1.evil.example"):
        status, _, _ = request(server.url + "/health", headers={"Host": host})
        assert status == 421
    assert request(server.url.replace("127.0.0.1", "localhost") + "/health")[0] == 200


@pytest.mark.server
def test_sparqlwrapper_gets_json(server):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(
        "PREFIX kgo: <https://w3id.org/kgraph/ontology#> "
        "SELECT ?d ?t WHERE { ?d a kgo:Document ; kgo:sourceType ?t } ORDER BY ?d"
    )
    client.setReturnFormat(JSON)
    data = client.query().convert()
    assert data["head"]["vars"] == ["d", "t"]
    types = {b["t"]["value"].rsplit("#", 1)[-1] for b in data["results"]["bindings"]}
    assert types == {"ClinicMarketingPage", "OpinionArticle", "ResearchOverview", "ScienceNews"}
    client.setMethod("POST")
    client.setQuery("ASK { kg:ketamine kgo:antagonistOf kg:nmda_receptor }")
    assert client.query().convert()["boolean"] is True


@pytest.mark.server
def test_rdflib_sparqlstore_gets_xml(server):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = Graph(SPARQLStore(server.url + "/sparql", returnFormat="xml"))
    rows = list(
        g.query(
            "SELECT ?l WHERE { <https://w3id.org/kgraph/entity/arketamine> "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        )
    )
    assert [str(r[0]) for r in rows] == ["arketamine"]


@pytest.mark.server
@pytest.mark.parametrize(
    "accept, content_type, check",
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", b"<literal"),
        ("text/csv", "text/csv", b"l\r\nketamine\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", b'?l\n"ketamine"@en\n'),
        ("application/sparql-results+json", "application/sparql-results+json", b'"ketamine"'),
    ],
)
def test_select_formats_by_accept(server, accept, content_type, check):
    status, headers, body = server.sparql(SIMPLE, accept)
    assert status == 200 and headers["Content-Type"].startswith(content_type)
    assert check in body


@pytest.mark.server
def test_graph_formats_by_accept(server):
    construct = "CONSTRUCT { kg:ketamine rdfs:label ?l } WHERE { kg:ketamine rdfs:label ?l }"
    status, headers, body = server.sparql(construct, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    from rdflib import Graph, Literal, URIRef

    g = Graph().parse(data=body.decode(), format="turtle")
    assert (
        URIRef("https://w3id.org/kgraph/entity/ketamine"),
        None,
        Literal("ketamine", lang="en"),
    ) in g
    status, headers, body = server.sparql(construct, "application/n-triples")
    assert status == 200 and headers["Content-Type"] == "application/n-triples"
    assert body.startswith(b"<https://w3id.org/kgraph/entity/ketamine>")
    status, _, body = server.sparql(construct, "image/png")
    assert status == 406 and b"text/turtle" in body
    status, _, _ = server.sparql(SIMPLE, "text/turtle")  # a SELECT has no Turtle form
    assert status == 406


@pytest.mark.server
def test_post_forms(server):
    status, _, body = server.post(
        "/sparql", SIMPLE.encode(), "application/sparql-query", {"Accept": "text/csv"}
    )
    assert status == 200 and body == b"l\r\nketamine\r\n"
    form = urllib.parse.urlencode({"query": SIMPLE}).encode()
    status, _, body = server.post(
        "/sparql", form, "application/x-www-form-urlencoded", {"Accept": "text/csv"}
    )
    assert status == 200 and body == b"l\r\nketamine\r\n"
    status, _, _ = server.post("/sparql", b"x", "text/plain")
    assert status == 415
    status, _, body = server.sparql("SELECT * WHERE { ?s ?p }")
    assert status == 400 and b"1:" in body  # the syntax error says where


@pytest.mark.server
def test_update_is_refused(server):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    status, _, body = server.post("/sparql", update.encode(), "application/sparql-update")
    assert status == 403 and b"read-only" in body
    form = urllib.parse.urlencode({"update": update}).encode()
    status, _, _ = server.post("/sparql", form, "application/x-www-form-urlencoded")
    assert status == 403
    auth = {"Authorization": "Bearer anything"}
    status, _, _ = server.post("/sparql", update.encode(), "application/sparql-update", auth)
    assert status == 403
    status, _, _ = server.sparql(update)  # an update sent as a query
    assert status == 400
    status, _, body = server.sparql("ASK { <urn:a> <urn:b> <urn:c> }", "text/csv")
    assert status == 200 and body.strip() == b"false"  # pyoxigraph's CSV of an ASK


@pytest.mark.server
def test_update_with_token(open_server):
    update = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"
    status, headers, _ = open_server.post("/sparql", update.encode(), "application/sparql-update")
    assert status == 401 and "Bearer" in headers["WWW-Authenticate"]
    wrong = {"Authorization": "Bearer nope"}
    status, _, _ = open_server.post("/sparql", update.encode(), "application/sparql-update", wrong)
    assert status == 403
    ok = {"Authorization": "Bearer s3cret"}
    before = json.loads(open_server.get("/health")[2])["generation"]
    status, _, _ = open_server.post("/sparql", update.encode(), "application/sparql-update", ok)
    assert status == 200
    status, _, body = open_server.sparql("ASK { <urn:a> <urn:b> <urn:c> }", "text/csv")
    assert body.strip() == b"true"
    assert json.loads(open_server.get("/health")[2])["generation"] != before
    load = "LOAD <http://127.0.0.1:9/data.ttl>"
    status, _, body = open_server.post("/sparql", load.encode(), "application/sparql-update", ok)
    assert status == 403 and b"LOAD" in body


@pytest.mark.server
@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
    ],
)
def test_service_and_load_are_refused(server, query):
    status, _, body = server.sparql(query)
    assert status == 403 and b"refused" in body
    status, _, _ = server.post("/sparql", query.encode(), "application/sparql-query")
    assert status == 403


@pytest.mark.server
def test_runaway_query_is_cut_while_others_are_served(server):
    slow: dict = {}

    def run_slow():
        started = time.monotonic()
        slow["answer"] = server.sparql(SLOW)
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.4)  # the slow query is running now
    started = time.monotonic()
    status, _, body = server.sparql(SIMPLE, "text/csv")
    quick = time.monotonic() - started
    assert status == 200 and b"ketamine" in body
    assert quick < 1.0 and thread.is_alive(), "a simple query waited for the slow one"
    thread.join(20)
    status, _, body = slow["answer"]
    assert status == 503 and b"time limit (2 s)" in body
    assert 1.9 < slow["seconds"] < 6
    health = json.loads(server.get("/health")[2])
    assert health["workers_replaced"] >= 1
    assert server.sparql(SIMPLE, "text/csv")[0] == 200  # the replacement worker answers


@pytest.mark.server
def test_result_size_limit(open_server):
    status, _, body = open_server.sparql("SELECT * WHERE { ?s ?p ?o }")
    assert status == 507 and b"--max-rows 50" in body and b"LIMIT" in body
    status, headers, _ = open_server.sparql("SELECT * WHERE { ?s ?p ?o } LIMIT 50")
    assert status == 200 and headers["X-KGraph-Rows"] == "50"
    status, _, _ = open_server.sparql("CONSTRUCT WHERE { ?s ?p ?o }")
    assert status == 507


@pytest.mark.server
@pytest.mark.parametrize(
    "target",
    [
        "/../../etc/passwd",
        "/static/../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/static/%252e%252e%252fetc%252fpasswd",
        "/static/..%5c..%5cetc%5cpasswd",
        "/static//etc/passwd",
        "/static/%2Fetc%2Fpasswd",
        "//etc/passwd",
        "/static/.hidden",
        "/static/explorer.css/../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "http://127.0.0.1/../../etc/passwd",
    ],
)
def test_path_traversal_is_404(server, target):
    assert raw_get(server, target) == 404


@pytest.mark.server
def test_static_files_from_the_package(server):
    status, headers, body = server.get("/static/explorer.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert body == (Path(__file__).parents[2] / "kgraph/views/static/explorer.css").read_bytes()


@pytest.mark.server
def test_body_limit(server):
    # a modest excess is drained before the 413 (kgraph.server.replies), so a client still
    # sending its body reads the answer instead of a broken pipe
    big = b"query=" + b"x" * (1 << 20)
    status, _, body = server.post("/sparql", big, "application/x-www-form-urlencoded")
    assert status == 413 and b"limit" in body
    # a huge announced body is refused without reading it
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 10000000000\r\n\r\nSELECT"
        )
        assert sock.recv(100).startswith(b"HTTP/1.1 413")
    # so is a body without a length
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n6\r\nSELECT\r\n0\r\n\r\n"
        )
        assert sock.recv(100).startswith(b"HTTP/1.1 411")


@pytest.mark.server
def test_html_pages_have_security_headers(server):
    for path in ("/", "/query"):
        status, headers, _ = server.get(path)
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
    assert b"ketamine" in server.get("/")[2]
    status, headers, _ = server.sparql(SIMPLE)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in headers


@pytest.mark.server
def test_open_as_graph(server):
    construct = "CONSTRUCT { ?s kgo:antagonistOf ?o } WHERE { ?s kgo:antagonistOf ?o }"
    status, headers, body = server.get("/graph?" + urllib.parse.urlencode({"query": construct}))
    assert status == 200 and "Content-Security-Policy" in headers
    assert b"NMDA receptor" in body
    select = "SELECT ?s ?p ?o WHERE { ?s kgo:antagonistOf ?o BIND(kgo:antagonistOf AS ?p) }"
    assert server.get("/graph?" + urllib.parse.urlencode({"query": select}))[0] == 200
    status, _, _ = server.get("/graph?" + urllib.parse.urlencode({"query": SIMPLE}))
    assert status == 400


@pytest.mark.server
def test_cors(server, open_server):
    _, headers, _ = server.sparql(SIMPLE)
    assert "Access-Control-Allow-Origin" not in headers
    _, headers, _ = open_server.sparql(SIMPLE)
    assert headers["Access-Control-Allow-Origin"] == "https://notebook.example"
    req = urllib.request.Request(open_server.url + "/sparql", method="OPTIONS")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 204 and "POST" in r.headers["Access-Control-Allow-Methods"]


@pytest.mark.server
def test_named_queries_over_http(server):
    status, _, body = server.get("/queries")
    listed = json.loads(body)
    from kgraph.queries import named_queries

    assert status == 200 and [q["name"] for q in listed] == list(named_queries())
    status, _, body = server.get("/queries/mechanism-chains?compound=arketamine")
    chains = [b["chain"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert status == 200 and "arketamine —involved in→ BDNF–TrkB signaling" in chains
    status, _, body = server.get("/queries/mechanism-chains")
    assert status == 400 and b"compound" in body
    assert server.get("/queries/nope")[0] == 404


@pytest.mark.server
def test_rebuilt_store_is_served_without_restart(tmp_path, corpus_copy):
    store = tmp_path / "rebuilt"
    _build(store)
    s = Server(store)
    try:
        count = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a kgo:Document }"
        assert s.sparql(count, "text/csv")[2] == b"n\r\n4\r\n"
        for name in ("clinic-ketamine-trd-new-hope.txt", "clinic-ketamine-trd-new-hope.ann"):
            (corpus_copy / name).unlink()
        manifest = corpus_copy / "manifest.toml"
        text = manifest.read_text()
        manifest.write_text(text[: text.index('[[document]]\nid = "clinic-')])
        _build(store, corpus_copy)
        assert s.sparql(count, "text/csv")[2] == b"n\r\n3\r\n"
    finally:
        s.stop()


@pytest.mark.server
def test_refuses_to_start_without_a_graph(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kgraph", "serve", "--store", str(tmp_path / "none"), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "kgraph build" in result.stderr


@pytest.mark.server
@pytest.mark.browser
def test_query_page_in_a_browser(server):
    """A person runs a query on /query: a table appears; markup in the data stays text; the page
    runs under its CSP without violations; the explorer page draws without console errors."""
    from tests.conftest import chromium_path, require

    path = chromium_path()
    require("Chromium", path is not None, "apt-get install chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox"], headless=True)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on(
                "console",
                lambda m: (
                    m.type == "error" and "status of 400" not in m.text and errors.append(m.text)
                ),
            )
            page.goto(server.url + "/query")
            page.click("#run")
            page.wait_for_selector("#out table", timeout=15_000)
            assert page.locator("#out tbody tr").count() >= 2
            assert "NMDA receptor" in page.locator("#out").text_content()
            page.select_option("#examples", "document-contributions")
            page.click("#run")
            page.locator("#status", has_text="4 rows").wait_for(timeout=15_000)
            page.fill("#q", 'SELECT ("<img src=x onerror=alert(1)>" AS ?x) WHERE {}')
            page.click("#run")
            page.locator("#out td", has_text="<img").wait_for(timeout=15_000)
            assert page.locator("#out img").count() == 0
            page.fill("#q", "SELECT * WHERE { ?s ?p }")
            page.click("#run")
            page.wait_for_selector("#status.error", timeout=15_000)
            assert "syntax error" in page.locator("#status").text_content()
            link = page.get_attribute("#graph", "href")
            assert link.startswith("/graph?query=SELECT")
            explorer = browser.new_page()
            explorer.on("pageerror", lambda e: errors.append(str(e)))
            explorer.on("console", lambda m: m.type == "error" and errors.append(m.text))
            explorer.goto(server.url + "/")
            explorer.wait_for_selector("canvas", timeout=20_000)
            assert errors == []
        finally:
            browser.close()


@pytest.mark.server
def test_a_busy_port_is_one_clear_line(server):
    result = subprocess.run(
        [sys.executable, "-m", "kgraph", "serve", "--store", str(server_store(server)),
         "--port", str(server.port)],
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert f"cannot listen on 127.0.0.1:{server.port}" in lines[0] and "--port" in lines[0]


def server_store(server) -> Path:
    return Path(server.process.args[server.process.args.index("--store") + 1])


@pytest.mark.server
@pytest.mark.browser
def test_query_page_asks_for_a_named_querys_parameters(server):
    """Run on a named query with a required parameter asks for it (it used to return every row);
    filled in, the query runs with it through /queries/NAME."""
    from tests.conftest import chromium_path, require

    path = chromium_path()
    require("Chromium", path is not None, "apt-get install chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox"], headless=True)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url + "/query")
            page.wait_for_selector("#examples option[value='mechanism-chains']", state="attached")
            page.select_option("#examples", "mechanism-chains")
            field = page.locator("#params input[data-param='compound']")
            assert field.get_attribute("required") is not None
            page.click("#run")
            page.locator("#status.error", has_text="compound").wait_for(timeout=15_000)
            assert page.locator("#out table").count() == 0
            field.fill("arketamine")
            page.click("#run")
            page.wait_for_selector("#out table", timeout=15_000)
            assert "BDNF" in page.locator("#out").text_content()
            page.fill("#q", "ASK { ?s ?p ?o }")  # editing the text leaves the named query
            assert page.locator("#params input").count() == 0
            page.click("#run")
            page.locator("#out p", has_text="true").wait_for(timeout=15_000)
            assert errors == []
        finally:
            browser.close()
