"""Escaping everywhere: hostile text survives every output intact (the exact string, once parsed
back) and inert (it creates no element, attribute or script).

One small kgraph corpus (``manifest.toml`` + a brat pair, CRLF line ends) carries markup
(``<img src=x onerror=…>``, ``</script><script>…``, ``" onmouseover="x``), quotes, backslashes,
a newline in the title (a TOML escape), Arabic and Hebrew, U+202E (right-to-left override),
emoji and astral characters, in the document's title, publisher and author, in entity labels
(external MeSH CURIEs and text-grounded mentions, whose label is the mention text) and in the
evidence sentences. It is built with the CLI, then checked in: the N-Quads, N-Triples, Turtle,
TriG and JSON-LD exports (parsed with rdflib), the SPARQL results as CSV, TSV, JSON and XML
(``kgraph query --format``), the KGX, GraphML and Web Annotation exports, the HTML explorer and
the notebook display (parsed with ``html.parser``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from kgraph.cli import main

TITLE = (
    "Title <img src=x onerror=alert(1)> \"double\" 'single' back\\slash\n"
    "second line </script><script>alert(1)</script> \u202eRTL עברית العربية 😀 \U0001d518"
)
PUBLISHER = 'Pub <b>bold</b> & "amp" " onmouseover="x =cmd|\' /C calc\'!A0'
AUTHOR = "O'Brien \\ <Author>\tTab"

# the text: CRLF line ends; emoji (one a ZWJ sequence of several code points) before mentions
L1 = '😀🧪 <img src=x onerror=alert(1)> blocks the "onmouseover="x receptor.\r\n'
L2 = "كيتامين \u202e</script><script>alert(1)</script> treats O'Brien's \\ \"depression\" 𝔘.\r\n"
L3 = "עברית 👩\u200d🔬 text: ketamine may block NMDA receptors.\r\n"
TEXT = L1 + L2 + L3
SENTENCES = [line.removesuffix("\r\n") for line in (L1, L2, L3)]

#: (id, type, covered text, line, concept or None)
MENTIONS = [
    ("T1", "Compound", "<img src=x onerror=alert(1)>", L1, "MESH:D000001"),
    ("T2", "Receptor", '"onmouseover="x receptor', L1, "MESH:D000002"),
    ("T3", "Compound", "كيتامين \u202e</script><script>alert(1)</script>", L2, None),
    ("T4", "Condition", "O'Brien's \\ \"depression\" 𝔘", L2, "MESH:D000003"),
    ("T5", "Compound", "ketamine", L3, "kg:ketamine"),
    ("T6", "Receptor", "NMDA receptors", L3, "kg:nmda_receptor"),
]
RELATIONS = [("R1", "antagonistOf", "T1", "T2"), ("R2", "treats", "T3", "T4")]
RELATIONS += [("R3", "antagonistOf", "T5", "T6")]
#: Entity labels that come from the data (the two lexicon entities have the ontology's labels).
LABELS = [m[2] for m in MENTIONS[:4]]
DOCUMENT_FIELDS = [TITLE, PUBLISHER, AUTHOR]
EVERYTHING = [*DOCUMENT_FIELDS, *LABELS, *SENTENCES]


def toml_string(value: str) -> str:
    """A TOML basic string: ``\\``, ``"`` and control characters escaped, the rest as UTF-8."""
    out = []
    for c in value:
        if c in '\\"':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def write_corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "manifest.toml").write_text(
        "[[document]]\n"
        'id = "hostile-doc"\n'
        f"title = {toml_string(TITLE)}\n"
        f"publisher = {toml_string(PUBLISHER)}\n"
        f"author = {toml_string(AUTHOR)}\n"
        'date = "2026-01-15"\n'
        'source_type = "ScienceNews"\n'
        'url = "https://example.org/a?b=1&c=%3Cx%3E"\n',
        encoding="utf-8",
    )
    (folder / "hostile-doc.txt").write_bytes(TEXT.encode("utf-8"))  # keep the CRLFs
    ann = []
    for k, (tid, mtype, covered, line, concept) in enumerate(MENTIONS, 1):
        start = TEXT.index(line) + line.index(covered)  # code points, as Python counts them
        ann.append(f"{tid}\t{mtype} {start} {start + len(covered)}\t{covered}")
        if concept:
            ann.append(f"N{k}\tReference {tid} {concept}\t{covered}")
    for k, (rid, rtype, subject, obj) in enumerate(RELATIONS, 1):
        ann.append(f"{rid}\t{rtype} Arg1:{subject} Arg2:{obj}\t")
        ann.append(f"A{k}\tEvidenceLevel {rid} Review")
    ann.append("A9\tCertainty R3 Hedged")
    (folder / "hostile-doc.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    return folder


def kgraph(*args: str) -> bytes:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile corpus built (strictly: every type and relation must be known) into a store."""
    root = tmp_path_factory.mktemp("escaping")
    corpus = write_corpus(root / "corpus")
    store = root / "store"
    kgraph("build", str(corpus), "--store", str(store), "--quiet", "--no-validate")
    return store


# ---------------------------------------------------------------------------------------------
# RDF exports


def literals(graph: rdflib.Graph | rdflib.Dataset) -> set[str]:
    return {str(o) for o in graph.objects() if isinstance(o, rdflib.Literal)}


def check_rdf(graph: rdflib.Graph | rdflib.Dataset) -> None:
    found = literals(graph)
    missing = [s for s in EVERYTHING if s not in found]
    assert not missing, f"not intact: {missing!r}"
    dcterms = rdflib.namespace.DCTERMS
    titles = {str(t) for t in graph.objects(None, dcterms.title)}
    assert TITLE in titles
    labels = {str(lbl) for lbl in graph.objects(None, rdflib.RDFS.label)}
    assert set(LABELS) <= labels
    # every quote selector quotes the text its position selector points at, in code points
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    checked = 0
    for target in set(graph.subjects(oa.hasSelector, None)):
        position = quote = None
        for selector in graph.objects(target, oa.hasSelector):
            kinds = set(graph.objects(selector, rdflib.RDF.type))
            if oa.TextPositionSelector in kinds:
                position = selector
            if oa.TextQuoteSelector in kinds:
                quote = selector
        assert position is not None and quote is not None
        start = int(graph.value(position, oa.start))  # type: ignore[arg-type]
        end = int(graph.value(position, oa.end))  # type: ignore[arg-type]
        assert TEXT[start:end] == str(graph.value(quote, oa.exact))
        assert TEXT[max(0, start - 32) : start] == str(graph.value(quote, oa.prefix))  # CRLFs
        assert TEXT[end : end + 32] == str(graph.value(quote, oa.suffix))
        checked += 1
    assert checked == len(RELATIONS)


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [("nq", "nquads"), ("trig", "trig"), ("nt", "nt"), ("ttl", "turtle"), ("jsonld", "json-ld")],
)
def test_rdf_exports_keep_every_string_exactly(built: Path, fmt: str, rdflib_format: str) -> None:
    data = kgraph("export", "--store", str(built), "--format", fmt)
    graph: rdflib.Graph | rdflib.Dataset
    graph = rdflib.Dataset() if fmt in ("nq", "trig", "jsonld") else rdflib.Graph()
    graph.parse(data=data, format=rdflib_format)
    if isinstance(graph, rdflib.Dataset):
        union = rdflib.Graph()
        for triple in graph.quads():
            union.add(triple[:3])
        graph = union
    check_rdf(graph)


# ---------------------------------------------------------------------------------------------
# SPARQL results

LITERALS_QUERY = "SELECT ?v WHERE { GRAPH ?g { ?s ?p ?v } FILTER(isLiteral(?v)) }"
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_TSV_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@[\w-]+|\^\^<[^>]*>)?$', re.DOTALL)


def unescape_turtle(body: str) -> str:
    def one(m: re.Match[str]) -> str:
        s = m.group(0)
        if s[1] in "uU":
            return chr(int(s[2:], 16))
        return _ECHAR[s[1]]

    return re.sub(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", one, body)


def tsv_values(data: str) -> set[str]:
    out = set()
    lines = data.split("\n")
    assert lines[0] == "?v"
    for line in lines[1:]:
        if not line:
            continue
        assert "\t" not in line and "\r" not in line  # a value never breaks the table
        m = _TSV_LITERAL.match(line)
        if m:
            out.add(unescape_turtle(m.group(1)))
    return out


def result_values(fmt: str, data: bytes) -> set[str]:
    text = data.decode("utf-8")
    if fmt == "csv":
        # SPARQL 1.1 CSV writes an empty string as an empty field: in a one-column table that is
        # an empty line, which csv.reader reads as [] (pyoxigraph writes it so)
        rows = [row or [""] for row in csv.reader(io.StringIO(text, newline=""))]
        assert rows[0] == ["v"]
        assert all(len(row) == 1 for row in rows[1:])  # a value never breaks the table
        return {row[0] for row in rows[1:]}
    if fmt == "tsv":
        return tsv_values(text)
    if fmt == "json":
        bindings = json.loads(text)["results"]["bindings"]
        return {b["v"]["value"] for b in bindings}
    root = ET.fromstring(data)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert {el.tag for el in root.iter()} <= {
        f"{ns}{t}" for t in ("sparql", "head", "variable", "results", "result", "binding")
    } | {f"{ns}literal", f"{ns}uri", f"{ns}bnode"}
    return {el.text or "" for el in root.iter(f"{ns}literal")}


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_sparql_results_keep_every_string_exactly(built: Path, fmt: str) -> None:
    data = kgraph("query", LITERALS_QUERY, "--store", str(built), "--format", fmt)
    found = result_values(fmt, data)
    missing = [s for s in EVERYTHING if s not in found]
    assert not missing, f"{fmt}: not intact: {missing!r}"


# ---------------------------------------------------------------------------------------------
# KGX, GraphML, Web Annotations


def strings_in(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v)


def test_kgx_keeps_labels_and_quotes(built: Path, tmp_path: Path) -> None:
    kgraph("export", "--store", str(built), "--format", "kgx", "-o", f"{tmp_path}/kgx/")
    nodes = [json.loads(line) for line in (tmp_path / "kgx" / "nodes.jsonl").open()]
    edges = [json.loads(line) for line in (tmp_path / "kgx" / "edges.jsonl").open()]
    names = {n.get("name") for n in nodes}
    assert set(LABELS) <= names, names
    found = set(strings_in(edges))
    for sentence in SENTENCES:
        assert any(sentence == s or sentence in s for s in found), sentence


def test_graphml_is_xml_with_exact_labels_and_no_element_from_data(
    built: Path, tmp_path: Path
) -> None:
    out = tmp_path / "g.graphml"
    kgraph("export", "--store", str(built), "--format", "graphml", "-o", str(out))
    root = ET.parse(out).getroot()
    local = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert local <= {"graphml", "key", "default", "graph", "node", "edge", "data"}, local
    texts = {el.text for el in root.iter() if el.text}
    assert set(LABELS) <= texts, [label for label in LABELS if label not in texts]


def test_web_annotations_quote_the_text_exactly(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "wa.jsonld"
    kgraph("export", "--store", str(built), "--format", "wa", "-o", str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    found = set(strings_in(document))
    assert set(SENTENCES) <= found, [s for s in SENTENCES if s not in found]
    from kgraph.export import offline_context

    graph = rdflib.Graph().parse(data=json.dumps(offline_context(document)), format="json-ld")
    assert set(SENTENCES) <= literals(graph)


# ---------------------------------------------------------------------------------------------
# HTML: the explorer and the notebook display


class Page(HTMLParser):
    """Every element and attribute of a page, the text of each element, the script bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs
        if tag not in ("meta", "link", "br", "input", "img", "hr"):
            self._open.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._open:
            return
        tag, attrs = self._open[-1]
        if tag == "script":
            self.scripts.append((attrs, data))
        self.text.setdefault(tag, []).append(data)

    def check_inert(self) -> None:
        """Nothing the data holds became markup: no image, no handler, no extra script."""
        assert "img" not in self.tags
        handlers = [name for name, _ in self.attributes if name.startswith("on")]
        assert not handlers, handlers
        links = [v for n, v in self.attributes if n in ("href", "src", "action") and v]
        assert not [v for v in links if v.strip().lower().startswith(("javascript:", "data:"))]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def check_explorer(html: str, title: str) -> None:
    page = parse(html)
    page.check_inert()
    assert page.tags.count("script") == 3  # the data block, vis-network, the explorer
    assert page.text["title"] == [title]  # intact after the parser unescapes it
    assert page.text["h1"] == [title]
    [data] = [body for attrs, body in page.scripts if attrs.get("type") == "application/json"]
    assert "<" not in data and ">" not in data  # nothing in the block can close it
    found = set(strings_in(json.loads(data)))
    missing = [s for s in [*DOCUMENT_FIELDS[:2], *LABELS] if s not in found]
    assert not missing, f"not intact in the page data: {missing!r}"
    assert any(SENTENCES[1] in s for s in found)


def test_explorer_page_is_inert_and_exact(built: Path) -> None:
    from kgraph import open_store
    from kgraph.views import render_html

    html = render_html(open_store(built, read_only=True), title=TITLE)
    check_explorer(html, TITLE)
    assert "<img src=x" not in html and "</script><script>alert" not in html


def test_explorer_from_the_cli_is_inert_and_exact(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    kgraph("view", "--store", str(built), "-o", str(out))
    html = out.read_text(encoding="utf-8")
    page = parse(html)
    page.check_inert()
    check_explorer(html, page.text["title"][0])


def test_notebook_display_is_inert_and_exact(built: Path) -> None:
    from kgraph import KnowledgeGraph, open_store

    kg = KnowledgeGraph(open_store(built, read_only=True))
    page = parse(kg._repr_html_())
    page.check_inert()
    cells = set(page.text.get("td", []))
    assert TITLE in cells and PUBLISHER in cells
    view = parse(kg.view(title=TITLE, standalone=True)._repr_html_())
    view.check_inert()
    assert view.tags == ["iframe"]
    [srcdoc] = [v for name, v in view.attributes if name == "srcdoc"]
    assert srcdoc is not None and dict(view.attributes)["title"] == TITLE
    inner = parse(srcdoc)
    inner.check_inert()
    assert inner.text["title"] == [TITLE]
    [data] = [body for attrs, body in inner.scripts if attrs.get("type") == "application/json"]
    assert set(LABELS) <= set(strings_in(json.loads(data)))


# ---------------------------------------------------------------------------------------------
# The same pages served by ``kgraph serve``, and what it says back about hostile requests


class Served:
    """``python -m kgraph serve`` over the hostile store, on a free loopback port."""

    def __init__(self, store: Path) -> None:
        cmd = [sys.executable, "-m", "kgraph", "serve", "--store", str(store), "--port", "0"]
        self.process = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        assert self.process.stderr is not None
        line = self.process.stderr.readline().decode()
        m = re.search(r"(http://[\d.]+:\d+)/", line)
        if m is None:
            self.stop()
            raise RuntimeError(f"kgraph serve did not start: {line}")
        self.url = m.group(1)
        threading.Thread(target=self.process.stderr.read, daemon=True).start()  # drain the log

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[Served]:
    pytest.importorskip("kgraph.server", reason="kgraph serve is not there yet")
    server = Served(built)
    yield server
    server.stop()


HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(1)>" onmouseover="x'


def check_response(status: int, headers: dict[str, str], body: bytes) -> Page | None:
    """A response is inert: HTML carries a CSP and no element from data; the rest is not HTML."""
    assert headers.get("X-Content-Type-Options") == "nosniff"
    kind = headers.get("Content-Type", "")
    if not kind.startswith("text/html"):
        assert kind.startswith(("text/plain", "application/")), kind
        return None
    assert "default-src 'none'" in headers.get("Content-Security-Policy", "")
    page = parse(body.decode("utf-8"))
    page.check_inert()
    return page


@pytest.mark.server
def test_served_explorer_is_inert_and_exact(served: Served) -> None:
    status, headers, body = served.get("/")
    assert status == 200
    page = check_response(status, headers, body)
    assert page is not None
    check_explorer(body.decode("utf-8"), page.text["title"][0])


@pytest.mark.server
@pytest.mark.parametrize(
    "path",
    [
        "/graph?query={q}",
        "/query?query={q}",
        "/sparql?query={q}",
        "/queries/claims-about?entity={q}",
        "/queries/{q}",
        "/static/{q}",
        "/{q}",
    ],
)
def test_hostile_requests_are_answered_inertly(served: Served, path: str) -> None:
    """What a request says comes back (in an error message, a prefilled form) as text only: the
    page has the same elements as for a harmless request."""
    quoted = urllib.parse.quote(HOSTILE, safe="")
    hostile = served.get(path.format(q=quoted))
    harmless = served.get(path.format(q=urllib.parse.quote("harmless text", safe="")))
    page = check_response(*hostile)
    if page is not None:
        other = check_response(*harmless)
        assert other is not None and page.tags == other.tags
        assert [name for name, _ in page.attributes] == [name for name, _ in other.attributes]


@pytest.mark.server
def test_served_graph_of_hostile_labels_is_inert(served: Served) -> None:
    query = (
        "CONSTRUCT { ?a ?p ?b } WHERE { ?a ?p ?b . ?a rdfs:label ?l "
        'FILTER(CONTAINS(?l, "<img") || CONTAINS(?l, "</script>")) }'
    )
    status, headers, body = served.get("/graph?query=" + urllib.parse.quote(query, safe=""))
    assert status == 200, body[:300]
    page = check_response(status, headers, body)
    assert page is not None
    [data] = [b for attrs, b in page.scripts if attrs.get("type") == "application/json"]
    found = set(strings_in(json.loads(data)))
    assert LABELS[0] in found and LABELS[2] in found
