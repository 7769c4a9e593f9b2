"""A SPARQL 1.1 server as a store: Query, Update and Graph Store protocols over HTTP (stdlib only).

``open_store("http://127.0.0.1:7878/query")`` (Oxigraph server), ``open_store(
"http://127.0.0.1:8890/sparql-auth")`` (Virtuoso) or any SPARQL 1.1 endpoint gives a
:class:`RemoteStore` that answers like the embedded store and that ``kgraph build`` can replace.

**Endpoints.** One URL names the server; the update and Graph Store (GSP) endpoints are derived by
convention unless given (``update_url=``, ``gsp_url=``, or ``$KGRAPH_STORE_UPDATE`` /
``$KGRAPH_STORE_GSP``; an empty ``gsp_url`` turns the GSP off):

=============================== ============================ ===================================
the URL ends in                 update endpoint              Graph Store endpoint
=============================== ============================ ===================================
``/`` or nothing (Oxigraph)     ``/update``                  ``/store``
``/query`` (Oxigraph, Fuseki)   ``…/update``                 ``…/store``
``/sparql`` (Virtuoso)          the same URL                 ``…/sparql-graph-crud``
``/sparql-auth`` (Virtuoso)     the same URL                 ``…/sparql-graph-crud-auth``
anything else                   the same URL                 none: uploads use ``INSERT DATA``
=============================== ============================ ===================================

>>> endpoints("http://127.0.0.1:7878/query")
('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
>>> endpoints("http://127.0.0.1:8890/sparql-auth")[2]
'http://127.0.0.1:8890/sparql-graph-crud-auth'

**Authentication.** ``user``/``password`` (or ``http://user:password@host/…``, or
``$KGRAPH_STORE_USER`` / ``$KGRAPH_STORE_PASSWORD``) with ``auth="basic"`` (sent up front),
``"digest"`` (RFC 7616: MD5 or SHA-256, ``qop=auth``, the nonce reused with a counter so large
uploads are not sent twice) or ``"auto"`` (answer whichever challenge the server sends; the default,
``$KGRAPH_STORE_AUTH`` overrides). Virtuoso's ``/sparql-auth`` wants Digest.

**Queries** are sent as the SPARQL 1.1 Protocol's POST form with ``default-graph-uri`` and
``named-graph-uri`` set to kgraph's two graphs (data and ontology), so the default graph is their
union on every server, as in the embedded store. kgraph's prefixes are declared on one line put in
front of the query (only those the query does not declare itself); line numbers in the server's
syntax errors are shifted back. **Substitutions** (``?var`` bound to a term) are a ``VALUES`` clause
inserted at the start of the query's outermost group pattern: the variable is bound in every
solution, as with Oxigraph's own substitutions, except inside sub-SELECTs that do not project it.

**Replacing** uploads the new graphs into staging graphs (``<graph>-staging-<random>``, invisible
to queries) in chunks of ``chunk_size`` triples: a GSP ``POST`` of N-Triples per graph, or
``INSERT DATA`` when there is no GSP endpoint. Triples with blank nodes are held back and sent in one
request at the end, so a blank node is never split across requests. Only when everything is
uploaded does one update request swap them in (``DROP SILENT GRAPH <g>; MOVE <staging> TO <g>``); a
failure drops the staging graphs and leaves the live graphs as they were. A build killed mid-upload
(``kill -9``) leaves its staging graphs behind: each staging graph's name carries the time it was
made, and every replace first drops kgraph's staging graphs older than an hour (a concurrent build's
are younger); :meth:`RemoteStore.clean_staging` does the same on demand, at any age. Other graphs on the server are never touched.

**Server quirks handled:** Virtuoso answers ``ASK`` as a one-column table (``__ASK_RETVAL``) and
writes ``xsd:boolean`` true as ``"1"``; both are normalised. Virtuoso caps result sizes with
``ResultSetMaxRows`` in its ini: raise it for big graphs.
"""

from __future__ import annotations

import os
import re
import secrets
import time
import urllib.parse
from collections.abc import Iterable
from email.message import Message
from pathlib import Path

import pyoxigraph as ox

from .. import sparql
from ..errors import QueryError, StoreError
from ..media import UnknownFormat, media_type, rdf_format, results_format
from ..vocab import GRAPH_DATA, GRAPH_ONTOLOGY, PREFIXES
from .http import Client, HTTPError, looks_like_syntax, with_param
from .results import QueryResult

__all__ = ["RemoteStore", "endpoints", "prepare_query"]

_GRAPHS = (GRAPH_DATA, GRAPH_ONTOLOGY)
_JSON_RESULTS = media_type(ox.QueryResultsFormat.JSON)
_NTRIPLES = media_type(ox.RdfFormat.N_TRIPLES)
#: Staging graphs older than this (seconds) are a killed build's: the next replace drops them.
STALE_STAGING = 3600.0
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def endpoints(url: str) -> tuple[str, str, str | None]:
    """The (query, update, Graph Store) URLs for ``url`` by the convention in the module docs.

    >>> endpoints("http://localhost:7878")
    ('http://localhost:7878/query', 'http://localhost:7878/update', 'http://localhost:7878/store')
    >>> endpoints("https://example.org/sparql")[1:]
    ('https://example.org/sparql', 'https://example.org/sparql-graph-crud')
    >>> endpoints("https://example.org/ds/endpoint")
    ('https://example.org/ds/endpoint', 'https://example.org/ds/endpoint', None)
    """
    parts = urllib.parse.urlsplit(url)
    path = parts.path

    def at(new_path: str) -> str:
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))

    if path in ("", "/"):
        return at("/query"), at("/update"), at("/store")
    if path.endswith("/query"):
        base = path[: -len("query")]
        return url, at(base + "update"), at(base + "store")
    if path.endswith("/sparql"):
        return url, url, at(path + "-graph-crud")
    if path.endswith("/sparql-auth"):
        return url, url, at(path[: -len("-auth")] + "-graph-crud-auth")
    return url, url, None


# -- SPARQL text (read by kgraph.sparql) ----------------------------------------------------------


def prepare_query(sparql_text: str, substitutions: dict | None = None) -> tuple[str, str, int]:
    """The text to send, the query form (:func:`kgraph.sparql.query_form`) and how many lines
    were put in front (kgraph's prefixes the query does not declare itself).

    >>> text, form, shift = prepare_query(
    ...     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\n"
    ...     "SELECT ?n WHERE { ?e rdfs:label ?n }", {"e": ox.NamedNode("http://e/a")})
    >>> print(text.splitlines()[-1])
    SELECT ?n WHERE { VALUES ?e { <http://e/a> } ?e rdfs:label ?n }
    >>> form, shift, "PREFIX rdfs:" in text.splitlines()[0]
    ('select', 1, False)
    """
    text = sparql.bind(sparql_text, substitutions)
    declared = sparql.prefixes(sparql_text)
    missing = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared]
    form = sparql.query_form(sparql_text)
    if not missing:
        return text, form, 0
    return " ".join(missing) + "\n" + text, form, 1


def _shift_lines(message: str, shift: int) -> str:
    """Server messages name lines of the text sent; give the line numbers of the user's query."""
    if not shift:
        return message

    def back(m: re.Match[str]) -> str:
        n = int(m.group(2))
        return f"{m.group(1)}{n - shift if n > shift else n}{m.group(3)}"

    message = re.sub(r"(\bline )(\d+)(\b)", back, message)
    return re.sub(r"(\bat )(\d+)(:\d+)", back, message)


# -- the store ------------------------------------------------------------------------------------


class RemoteStore:
    """A SPARQL 1.1 server holding kgraph's data and ontology graphs (see the module docs).

    >>> RemoteStore("http://127.0.0.1:8890/sparql").gsp_url
    'http://127.0.0.1:8890/sparql-graph-crud'
    """

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        auth: str | None = None,
        timeout: float = 300.0,
        chunk_size: int = 50_000,
        read_only: bool = False,
    ) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"not an http(s) URL: {url!r}")
        netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        if parts.port:
            netloc += f":{parts.port}"
        clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        user = (
            user
            or urllib.parse.unquote(parts.username or "")
            or os.environ.get("KGRAPH_STORE_USER")
        )
        if password is None:
            password = (
                urllib.parse.unquote(parts.password)
                if parts.password is not None
                else os.environ.get("KGRAPH_STORE_PASSWORD", "")
            )
        query, update, gsp = endpoints(clean)
        self.url = clean
        self.query_url = query
        self.update_url = update_url or os.environ.get("KGRAPH_STORE_UPDATE") or update
        if gsp_url is None:
            gsp_url = os.environ.get("KGRAPH_STORE_GSP", gsp)
        self.gsp_url = gsp_url or None
        scheme = auth or os.environ.get("KGRAPH_STORE_AUTH", "auto")
        self.http = Client(user, password, scheme, timeout=timeout)
        self.chunk_size = max(1, chunk_size)
        self.read_only = read_only

    def __repr__(self) -> str:
        return f"<RemoteStore {self.url}>"

    def _dataset(self) -> list[tuple[str, str]]:
        return [("default-graph-uri", g) for g in _GRAPHS] + [
            ("named-graph-uri", g) for g in _GRAPHS
        ]

    # -- reading ---------------------------------------------------------------------------
    def query(
        self, sparql: str, *, substitutions: dict | None = None, timeout: float | None = None
    ) -> QueryResult:
        """Run a SPARQL query over the union of kgraph's graphs on the server."""
        text, form, shift = prepare_query(sparql, substitutions)
        accept = _NTRIPLES if form in ("construct", "describe") else _JSON_RESULTS
        fields = [("query", text), *self._dataset()]
        try:
            body, headers = self.http.form(
                self.query_url, fields, headers={"Accept": accept}, timeout=timeout
            )
        except HTTPError as e:
            message = _shift_lines(e.message, shift)
            if e.status == 0:
                raise QueryError(f"query cut: {message}") from None
            if e.status in (401, 403):
                raise StoreError(f"{self.query_url}: not allowed: {message}") from None
            kind = "SPARQL syntax error" if looks_like_syntax(message) else "query failed"
            raise QueryError(f"{kind}: {message}") from None
        return _parse_result(body, headers, form)

    def _graph_triples(self, graph: str) -> list[ox.Triple]:
        if self.gsp_url is not None:
            url = with_param(self.gsp_url, "graph", graph)
            try:
                body, headers = self.http.send(url, method="GET", headers={"Accept": _NTRIPLES})
            except HTTPError as e:
                if e.status == 404:
                    return []
                raise StoreError(f"cannot read graph <{graph}>: {e.message}") from None
            fmt = _rdf_answer(headers) or ox.RdfFormat.N_TRIPLES
            try:
                return [
                    q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(body, format=fmt)
                ]
            except SyntaxError as e:
                raise StoreError(f"the server sent unreadable RDF: {e}") from None
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return list(result.triples or [])

    def dump(self, format: str = "nq") -> bytes:
        """kgraph's graphs serialised (``nq``, ``trig``; ``ttl``/``nt`` flatten the graphs)."""
        try:
            fmt = rdf_format(format)
        except UnknownFormat as e:
            raise StoreError(str(e)) from None
        per_graph = {g: self._graph_triples(g) for g in _GRAPHS}
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            quads = [
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                for g, triples in per_graph.items()
                for t in triples
            ]
            kw = {"prefixes": PREFIXES} if fmt is ox.RdfFormat.TRIG else {}
            return ox.serialize(quads, format=fmt, **kw) or b""
        triples = [t for ts in per_graph.values() for t in ts]
        kw = {"prefixes": PREFIXES} if fmt is ox.RdfFormat.TURTLE else {}
        return ox.serialize(triples, format=fmt, **kw) or b""

    def close(self) -> None:
        """Nothing to release: every request is its own connection."""

    # -- writing ---------------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update on the server (kgraph's prefixes predeclared)."""
        if self.read_only:
            raise StoreError(f"{self.url} is open read-only")
        text, _, shift = prepare_query(sparql)
        try:
            self.http.form(self.update_url, [("update", text)])
        except HTTPError as e:
            raise StoreError(
                f"update refused by {self.update_url}: {_shift_lines(e.message, shift)}"
            ) from None

    def replace(self, data: Iterable[str], ontology: Iterable[Path] = ()) -> None:
        """Replace the data graph with N-Quads ``data`` lines and the ontology graph with the Turtle
        files ``ontology``: staged, then swapped in by one update; a failure changes nothing."""
        if self.read_only:
            raise StoreError(f"{self.url} is open read-only")
        self.clean_staging(max_age=STALE_STAGING)
        token = f"{int(time.time())}-{secrets.token_hex(6)}"
        staging = {g: f"{g}-staging-{token}" for g in _GRAPHS}
        filled: set[str] = set()
        try:
            self._upload_lines(data, staging, token, filled)
            for path in ontology:
                try:
                    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
                except (SyntaxError, OSError) as e:
                    raise StoreError(f"{path}: invalid Turtle: {e}") from None
                self._post(staging[GRAPH_ONTOLOGY], triples, whole=True)  # one file, one request
                filled.add(GRAPH_ONTOLOGY)
            steps = []
            for graph, stage in staging.items():
                steps.append(f"DROP SILENT GRAPH <{graph}>")
                if graph in filled:
                    steps.append(f"MOVE <{stage}> TO <{graph}>")
            self.update(" ;\n".join(steps))
        except BaseException:
            self._drop(staging.values())
            raise

    def _upload_lines(
        self, data: Iterable[str], staging: dict[str, str], token: str, filled: set[str]
    ) -> None:
        held: dict[str, list[ox.Triple]] = {}  # triples with blank nodes, sent last

        def flush(lines: list[str]) -> None:
            try:
                quads = list(ox.parse(("\n".join(lines) + "\n").encode(), ox.RdfFormat.N_QUADS))
            except SyntaxError as e:
                raise StoreError(f"the builder produced invalid N-Quads: {e}") from None
            groups: dict[str, list[ox.Triple]] = {}
            for q in quads:
                g = GRAPH_DATA if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
                if g not in staging:
                    staging[g] = f"{g}-staging-{token}"
                blank = isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
                (held if blank else groups).setdefault(g, []).append(q.triple)
            for g, triples in groups.items():
                self._post(staging[g], triples)
                filled.add(g)

        buf: list[str] = []
        for line in data:
            buf.append(line)
            if len(buf) >= self.chunk_size:
                flush(buf)
                buf = []
        if buf:
            flush(buf)
        for g, triples in held.items():
            self._post(staging[g], triples, whole=True)
            filled.add(g)

    def _post(self, graph: str, triples: list[ox.Triple], *, whole: bool = False) -> None:
        """Add ``triples`` to ``graph``: GSP POST of N-Triples, or a SPARQL update.

        Chunks of :attr:`chunk_size`, or one request when ``whole`` (blank nodes must not be split).
        Triples with blank nodes go as ``INSERT {…} WHERE {}``: Virtuoso refuses blank nodes in
        ``INSERT DATA``, and a template's blank nodes are the same within one request.
        """
        size = len(triples) if whole else self.chunk_size
        for start in range(0, len(triples), max(1, size)):
            chunk = triples[start : start + size]
            body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b""
            try:
                if self.gsp_url is not None:
                    self.http.send(
                        with_param(self.gsp_url, "graph", graph),
                        data=body,
                        headers={"Content-Type": _NTRIPLES},
                    )
                elif whole:
                    text = f"INSERT {{ GRAPH <{graph}> {{\n{body.decode()}}} }} WHERE {{}}"
                    self.http.form(self.update_url, [("update", text)])
                else:
                    text = f"INSERT DATA {{ GRAPH <{graph}> {{\n{body.decode()}}} }}"
                    self.http.form(self.update_url, [("update", text)])
            except HTTPError as e:
                where = self.gsp_url or self.update_url
                raise StoreError(f"upload refused by {where}: {e.message}") from None

    def staging_graphs(self) -> dict[str, float | None]:
        """kgraph's staging graphs on the server: name → when it was made (``None``: unknown).

        Asked without kgraph's dataset, so every graph of the server is seen.
        """
        names = " ".join(f"<{g}-staging-" for g in _GRAPHS)  # the prefixes, for the message only
        text = (
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER("
            + " || ".join(f'STRSTARTS(STR(?g), "{g}-staging-")' for g in _GRAPHS)
            + ") }"
        )
        try:
            body, headers = self.http.form(
                self.query_url, [("query", text)], headers={"Accept": _JSON_RESULTS}
            )
        except HTTPError as e:
            raise StoreError(f"cannot list the staging graphs ({names}…): {e.message}") from None
        result = _parse_result(body, headers, "select")
        found: dict[str, float | None] = {}
        for (graph,) in result.rows:
            if graph is None:
                continue
            stamp = graph.value.rsplit("-staging-", 1)[-1].split("-", 1)[0]
            found[graph.value] = float(stamp) if stamp.isdigit() else None
        return found

    def clean_staging(self, *, max_age: float = 0.0) -> list[str]:
        """Drop kgraph's staging graphs older than ``max_age`` seconds (those without a time in
        their name too): what builds killed mid-upload left. Returns the graphs dropped."""
        if self.read_only:
            raise StoreError(f"{self.url} is open read-only")
        now = time.time()
        stale = [
            g for g, made in self.staging_graphs().items() if made is None or now - made > max_age
        ]
        if stale:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in stale))
        return stale

    def _drop(self, graphs: Iterable[str]) -> None:
        """Best effort: remove staging graphs after a failure (the first error is the one shown)."""
        try:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
        except Exception:
            pass


# -- helpers --------------------------------------------------------------------------------------


def _content_type(headers: Message) -> str:
    return (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()


def _rdf_answer(headers: Message) -> ox.RdfFormat | None:
    media = _content_type(headers)
    return ox.RdfFormat.from_media_type(media) if media else None


def _parse_result(body: bytes, headers: Message, form: str) -> QueryResult:
    graph_fmt = _rdf_answer(headers)
    media = _content_type(headers)
    try:
        if graph_fmt is not None and form in ("construct", "describe", "unknown"):
            triples = [
                q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(body, format=graph_fmt)
            ]
            return QueryResult(triples=triples)
        try:
            result_fmt = results_format(media) if media else ox.QueryResultsFormat.JSON
        except UnknownFormat:
            result_fmt = ox.QueryResultsFormat.JSON
        parsed = ox.parse_query_results(body, format=result_fmt)
    except SyntaxError as e:
        raise QueryError(f"the server's answer ({media}) is unreadable: {e}") from None
    if isinstance(parsed, ox.QueryBoolean):
        return QueryResult(boolean=bool(parsed))
    names = [v.value for v in parsed.variables]
    rows = [tuple(_normalise(sol[v]) for v in names) for sol in parsed]
    if form == "ask":  # Virtuoso: a table with __ASK_RETVAL, one row when true
        return QueryResult(boolean=any(r and r[0] is not None and r[0].value != "0" for r in rows))
    return QueryResult(names, rows)


def _normalise(term):
    """Canonical lexical forms where servers differ (Virtuoso writes booleans as 1/0)."""
    if isinstance(term, ox.Literal) and term.datatype.value == _XSD_BOOLEAN:
        if term.value in ("1", "0"):
            return ox.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term
