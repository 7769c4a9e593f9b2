"""The W3C SPARQL 1.1 Protocol tests, run against ``kgraph serve`` read-only and with updates.

The cases follow the test manifest of the SPARQL 1.1 Protocol (w3c/rdf-tests,
``sparql/sparql11/protocol/manifest.ttl``, W3C Test Suite licence): each case below is one test of
that manifest, its requests and what the response must be, written out here rather than copied.
The three data graphs are one triple each. Two deviations, both ours to choose: an update carries
this server's Bearer token (the manifest sends none; without it the answer is 401), and the
read-only server must answer every update with 403 and change nothing.

Beyond the manifest, the issue's list: a Service Description at ``GET /sparql``, CONSTRUCT asked
for with only a results media type is 406, ASK in CSV and TSV agree, PUT/DELETE get a plain 405.
"""

from __future__ import annotations

import json
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import rdflib

from kgraph.vocab import GRAPH_DATA
from tests.server.helpers import Server, request, store_of

pytestmark = pytest.mark.server

TOKEN = "w3c"
KASEI = "http://kasei.us/2009/09/sparql/data/"
DOC = "http://xmlns.com/foaf/0.1/Document"
RESULT_TYPES = ("application/sparql-results+xml", "application/sparql-results+json")
TABULAR_TYPES = (*RESULT_TYPES, "text/csv", "text/tab-separated-values")
RDF_TYPES = ("application/rdf+xml", "text/turtle", "application/n-triples")


@dataclass
class Req:
    method: str
    path: str  # after /sparql/
    body: str | None = None
    content_type: str | None = None
    status: int = 2  # the class: 2 for 2xx, 4 for 4xx
    boolean: bool | None = None
    format: str | None = None  # "boolean", "tabular", "RDF"
    update: bool = False


@dataclass
class Case:
    name: str
    requests: list[Req] = field(default_factory=list)

    @property
    def updates(self) -> bool:
        return any(r.update for r in self.requests)


def q(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def g(n: int) -> str:
    return q(f"{KASEI}data{n}.rdf")


D1, D2, D3 = (f"<{KASEI}data{n}.rdf>" for n in (1, 2, 3))


FORM, QUERY, UPDATE = (
    "application/x-www-form-urlencoded",
    "application/sparql-query",
    "application/sparql-update",
)
ASK_DEFAULT = f"ASK {{ {D1} a ?type . {D2} a ?type . }}"
ASK_NAMED = f"ASK {{ GRAPH ?g1 {{ {D1} a ?type }} GRAPH ?g2 {{ {D2} a ?type }} }}"
PREFIXES = "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"


def _dataset_update(target: str, using: str, clear: str = "DROP ALL") -> Case:
    """The four update-with-protocol-dataset tests share a shape: refill the graphs, copy what the
    WHERE finds (with the protocol's dataset) into ``target``, then ASK for it."""
    refill = (
        f"{PREFIXES}{clear} ;\nINSERT DATA {{\n"
        f"  GRAPH <{KASEI}data1.rdf> {{ <{KASEI}data1.rdf> a foaf:Document }}\n"
        f"  GRAPH <{KASEI}data2.rdf> {{ <{KASEI}data2.rdf> a foaf:Document }}\n"
        f"  GRAPH <{KASEI}data3.rdf> {{ <{KASEI}data3.rdf> a foaf:Document }}\n}} ;\n"
    )
    if "named" in using and "graph-uri=" in using.split("&")[0] and "using-graph" in using:
        body = (  # both: the default graph from data1, the named graph data2
            f"INSERT {{ GRAPH <{target}> {{ ?s <http://example.org/in> ?in }} }} WHERE {{ "
            f'{{ ?s a foaf:Document BIND("default" AS ?in) }} UNION '
            f"{{ GRAPH ?g {{ ?s a foaf:Document }} BIND(?g AS ?in) }} }}"
        )
        check = (
            f'ASK {{ GRAPH <{target}> {{ <{KASEI}data1.rdf> <http://example.org/in> "default" . '
            f"<{KASEI}data2.rdf> <http://example.org/in> <{KASEI}data2.rdf> . "
            f"FILTER NOT EXISTS {{ <{KASEI}data3.rdf> ?p ?o }} }} }}"
        )
    elif "named" in using:
        body = (
            f"INSERT {{ GRAPH <{target}> {{ ?s a dc:BibliographicResource }} }} "
            f"WHERE {{ GRAPH ?g {{ ?s a foaf:Document }} }}"
        )
        check = (
            f"ASK {{ GRAPH <{target}> {{ <{KASEI}data1.rdf> a dc:BibliographicResource . "
            f"<{KASEI}data2.rdf> a dc:BibliographicResource . "
            f"FILTER NOT EXISTS {{ <{KASEI}data3.rdf> ?p ?o }} }} }}"
        )
    else:
        body = (
            f"INSERT {{ GRAPH <{target}> {{ ?s a dc:BibliographicResource }} }} "
            f"WHERE {{ ?s a foaf:Document }}"
        )
        expected = ["data1.rdf"] + (["data2.rdf"] if "data2" in urllib.parse.unquote(using) else [])
        check = (
            f"PREFIX dc: <http://purl.org/dc/terms/> ASK {{ GRAPH <{target}> {{ "
            + " ".join(f"<{KASEI}{e}> a dc:BibliographicResource ." for e in expected)
            + f" FILTER NOT EXISTS {{ <{KASEI}data3.rdf> ?p ?o }} }} }}"
        )
    if "PREFIX dc:" not in check:
        check = "PREFIX dc: <http://purl.org/dc/terms/> " + check
    return Case(
        "",
        [
            Req("POST", "?" + using, refill + body, UPDATE, update=True),
            Req("POST", "", check, QUERY, boolean=True, format="boolean"),
        ],
    )


def _cases() -> list[Case]:
    cases = [
        Case("query_post_form", [Req("POST", f"?default-graph-uri={q(KASEI + 'data0.rdf')}",
             "query=ASK%20%7B%7D", FORM, boolean=True, format="boolean")]),
        Case("query_dataset_default_graphs_get", [Req(
            "GET", f"?query={q(ASK_DEFAULT)}&default-graph-uri={g(1)}&default-graph-uri={g(2)}",
            boolean=True, format="boolean")]),
        Case("query_dataset_default_graphs_post", [Req(
            "POST", f"?default-graph-uri={g(1)}&default-graph-uri={g(2)}", ASK_DEFAULT, QUERY,
            boolean=True, format="boolean")]),
        Case("query_dataset_named_graphs_post", [Req(
            "POST", f"?named-graph-uri={g(1)}&named-graph-uri={g(2)}", ASK_NAMED, QUERY,
            boolean=True, format="boolean")]),
        Case("query_dataset_named_graphs_get", [Req(
            "GET", f"?query={q(ASK_NAMED)}&named-graph-uri={g(1)}&named-graph-uri={g(2)}",
            boolean=True, format="boolean")]),
        Case("query_dataset_full", [Req(
            "POST", f"?default-graph-uri={g(3)}&named-graph-uri={g(1)}&named-graph-uri={g(2)}",
            f"ASK {{ {D3} a ?type GRAPH ?g1 {{ {D1} a ?type }} GRAPH ?g2 {{ {D2} a ?type }} }}",
            QUERY, boolean=True, format="boolean")]),
        Case("query_multiple_dataset", [Req(
            "POST", f"?named-graph-uri={g(1)}&named-graph-uri={g(2)}",
            f"ASK FROM {D3} {{ GRAPH ?g1 {{ {D1} a ?type }} GRAPH ?g2 {{ {D2} a ?type }} }}",
            QUERY, boolean=True, format="boolean")]),
        Case("query_get", [Req("GET", f"?query={q('ASK {}')}&default-graph-uri="
             f"{q(KASEI + 'data0.rdf')}", boolean=True, format="boolean")]),
        Case("query_content_type_select", [Req("POST", "", "SELECT (1 AS ?value) {}", QUERY,
             format="tabular")]),
        Case("query_content_type_ask", [Req("POST", "", "ASK {}", QUERY, format="boolean")]),
        Case("query_content_type_describe", [Req("POST", "", "DESCRIBE <http://example.org/>",
             QUERY, format="RDF")]),
        Case("query_content_type_construct", [Req("POST", "", "CONSTRUCT { <s> <p> 1 } WHERE {}",
             QUERY, format="RDF")]),
        Case("query_post_direct", [Req("POST", "", "ASK {}", QUERY, boolean=True,
             format="boolean")]),
        Case("bad_query_method", [Req("PUT", f"?query={q('ASK {}')}", None, FORM, status=4)]),
        Case("bad_multiple_queries", [Req("GET", f"?query={q('ASK {}')}&query="
             f"{q('SELECT * {}')}", status=4)]),
        Case("bad_query_wrong_media_type", [Req("POST", "", "ASK {}", "text/plain", status=4)]),
        Case("bad_query_missing_form_type", [Req("POST", "", "query=ASK%20%7B%7D", None,
             status=4)]),
        Case("bad_query_missing_direct_type", [Req("POST", "", "ASK {}", None, status=4)]),
        Case("bad_query_non_utf8", [Req("POST", "", "ASK {}", QUERY + "; charset=UTF-16",
             status=4)]),
        Case("bad_query_syntax", [Req("GET", f"?query={q('ASK {')}", status=4)]),
        Case("bad_update_get", [Req("GET", f"?update={q('CLEAR ALL')}", status=4)]),
        Case("bad_multiple_updates", [Req("POST", "", "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
             FORM, status=4, update=True)]),
        Case("bad_update_wrong_media_type", [Req("POST", "", "CLEAR NAMED", "text/plain",
             status=4)]),
        Case("bad_update_missing_form_type", [Req("POST", "", "update=CLEAR%20NAMED", None,
             status=4)]),
        Case("bad_update_non_utf8", [Req("POST", "", "CLEAR NAMED", UPDATE + "; charset=UTF-16",
             status=4, update=True)]),
        Case("bad_update_syntax", [Req("POST", "", "update=CLEAR%20XYZ", FORM, status=4,
             update=True)]),
        Case("bad_update_dataset_conflict", [Req(
            "POST", f"?using-named-graph-uri={q('http://example/people')}",
            "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
            "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }"
            "\nWHERE { ?person foaf:givenName 'Bill' }", UPDATE, status=4, update=True)]),
        Case("update_post_form", [Req("POST", "", "update=CLEAR+ALL", FORM, update=True)]),
        Case("update_post_direct", [Req("POST", "", "CLEAR ALL", UPDATE, update=True)]),
        Case("update_base_uri", [
            Req("POST", "", "CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;\n"
                "INSERT DATA { GRAPH <http://example.org/protocol-base-test/> { "
                "<http://example.org/s> <http://example.org/p> <test> } }", UPDATE, update=True),
            Req("POST", "", "ASK { GRAPH <http://example.org/protocol-base-test/> { "
                "<http://example.org/s> <http://example.org/p> ?o "
                'FILTER (isIRI(?o) && STR(?o) != "test") } }', QUERY, boolean=True,
                format="boolean"),
        ]),
    ]  # fmt: skip
    for name, using, clear in [
        ("update_dataset_default_graph", f"using-graph-uri={g(1)}", "CLEAR ALL"),
        ("update_dataset_default_graphs", f"using-graph-uri={g(1)}&using-graph-uri={g(2)}", ""),
        (
            "update_dataset_named_graphs",
            f"using-named-graph-uri={g(1)}&using-named-graph-uri={g(2)}",
            "",
        ),
        ("update_dataset_full", f"using-graph-uri={g(1)}&using-named-graph-uri={g(2)}", ""),
    ]:
        case = _dataset_update(
            f"http://example.org/protocol-{name.replace('_', '-')}-test/",
            using,
            clear or "DROP ALL",
        )
        case.name = name
        cases.append(case)
    return cases


CASES = _cases()


# -- the servers -----------------------------------------------------------------------------------


def _data() -> list[str]:
    lines = [f"<{KASEI}data{n}.rdf> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{DOC}>"
             for n in (1, 2, 3)]  # fmt: skip
    quads = [f"{line} <{KASEI}data{n}.rdf> ." for n, line in zip((1, 2, 3), lines, strict=True)]
    return [*quads, f"<urn:kgraph:marker> <urn:p> <urn:o> <{GRAPH_DATA}> ."]


@pytest.fixture(scope="module")
def read_only(tmp_path_factory) -> Iterator[Server]:
    store = store_of(tmp_path_factory.mktemp("w3c-ro") / "store", _data())
    s = Server(store)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def writable(tmp_path_factory) -> Iterator[Server]:
    store = store_of(tmp_path_factory.mktemp("w3c-rw") / "store", _data())
    s = Server(store, "--allow-update", "--token", TOKEN)
    yield s
    s.stop()


def send(server: Server, req: Req, *, token: bool) -> tuple[int, dict, bytes]:
    headers = {}
    if req.content_type:
        headers["Content-Type"] = req.content_type
    if token:
        headers["Authorization"] = f"Bearer {TOKEN}"
    data = req.body.encode() if req.body is not None else None
    if req.method == "POST" and data is not None and req.content_type is None:
        headers["Content-Type"] = ""  # urllib would add a form type itself
    import urllib.request

    r = urllib.request.Request(
        server.url + "/sparql/" + req.path, data=data, headers=headers, method=req.method
    )
    try:
        with urllib.request.urlopen(r, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def check(req: Req, status: int, headers: dict, body: bytes) -> None:
    assert status // 100 == req.status or (req.status == 2 and status // 100 == 3), (status, body)
    if req.status != 2 or req.format is None:
        return
    media = headers.get("Content-Type", "").split(";")[0].strip()
    if req.format == "RDF":
        assert media in RDF_TYPES, media
        fmt = {"application/rdf+xml": "xml", "text/turtle": "turtle"}.get(media, "nt")
        rdflib.Graph().parse(data=body.decode(), format=fmt)
        return
    allowed = RESULT_TYPES if req.format == "boolean" else TABULAR_TYPES
    assert media in allowed, media
    if req.boolean is not None:
        if media.endswith("json"):
            found = json.loads(body)["boolean"]
        else:
            root = ET.fromstring(body)
            found = root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
        assert found is req.boolean


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_protocol_with_updates(writable, case):
    for req in case.requests:
        check(req, *send(writable, req, token=req.update))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_protocol_read_only(read_only, case):
    """Queries as in the manifest; every update refused (403 or another 4xx) with nothing changed."""
    for req in case.requests:
        status, headers, body = send(read_only, req, token=req.update)
        if case.updates:
            assert status // 100 == 4, (status, body)
            if req.method == "POST" and req.content_type in (UPDATE, FORM) and status == 403:
                assert b"read-only" in body
            break  # the check after an update expects the update's effect
        check(req, status, headers, body)
    assert request(read_only.url + "/sparql?query=" + q("ASK { <urn:kgraph:marker> ?p ?o }"))[2]


# -- beyond the manifest -----------------------------------------------------------------------------


def test_service_description(read_only, writable):
    for server, update in ((read_only, False), (writable, True)):
        status, headers, body = server.get("/sparql", {"Accept": "text/turtle"})
        assert status == 200 and headers["Content-Type"].startswith("text/turtle")
        sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
        graph = rdflib.Graph().parse(data=body.decode(), format="turtle")
        (service,) = graph.subjects(rdflib.RDF.type, sd.Service)
        assert str(graph.value(service, sd.endpoint)) == server.url + "/sparql"
        languages = set(graph.objects(service, sd.supportedLanguage))
        assert (sd.SPARQL11Update in languages) is update and sd.SPARQL11Query in languages
        formats = {str(f) for f in graph.objects(service, sd.resultFormat)}
        assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats


def test_construct_with_only_a_results_type_is_406(read_only):
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    status, _, body = read_only.sparql(construct, "application/sparql-results+json")
    assert status == 406 and b"text/turtle" in body
    status, _, _ = read_only.sparql(construct, "application/sparql-results+json, */*;q=0.1")
    assert status == 200


def test_ask_in_csv_and_tsv_agree(read_only):
    for query, word in (("ASK { ?s ?p ?o }", b"true"), ("ASK { <urn:no> ?p ?o }", b"false")):
        csv_body = read_only.sparql(query, "text/csv")[2]
        tsv_body = read_only.sparql(query, "text/tab-separated-values")[2]
        assert csv_body.strip() == tsv_body.strip() == word


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_graph_store_methods_are_405_in_plain_text(read_only, method):
    import urllib.request

    r = urllib.request.Request(
        read_only.url + "/sparql?graph=" + q("urn:g"), data=b"", method=method
    )
    try:
        urllib.request.urlopen(r, timeout=10)
        raise AssertionError("expected 405")
    except urllib.error.HTTPError as e:
        assert e.code == 405
        assert e.headers["Content-Type"].startswith("text/plain")
        assert "POST" in e.headers["Allow"] and b"Graph Store" in e.read()


def test_relative_iris_resolve_against_the_endpoint(read_only):
    status, _, body = read_only.sparql("SELECT (STR(<s>) AS ?iri) WHERE {}", "text/csv")
    assert status == 200 and body.split()[1] == (read_only.url + "/s").encode()
