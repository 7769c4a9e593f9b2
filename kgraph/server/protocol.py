"""The SPARQL 1.1 Protocol's request rules: what a request to ``/sparql`` asks for, or why it is
refused (:class:`ProtocolError` with the HTTP status), and the Service Description.

>>> op = operation("GET", [("query", "ASK {}")], None, b"")
>>> op.kind, op.text
('query', 'ASK {}')
>>> operation("GET", [("update", "CLEAR ALL")], None, b"")
Traceback (most recent call last):
...
kgraph.server.protocol.ProtocolError: 405: an update must be sent with POST, never GET
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import sparql
from ..errors import KGraphError
from ..media import GRAPH_FORMATS, RESULTS_FORMATS

__all__ = ["Operation", "ProtocolError", "operation", "service_description"]

_MAX_FIELDS = 100


class ProtocolError(KGraphError):
    """A request the protocol does not allow: ``status`` and a plain-text message.

    >>> str(ProtocolError(400, "bad"))
    '400: bad'
    """

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status}: {message}")
        self.status, self.message, self.headers = status, message, headers or {}


@dataclass
class Operation:
    """One query or update with its protocol dataset (graph IRIs, checked).

    >>> Operation("query", "ASK {}").default_graphs
    []"""

    kind: str  # "query" or "update"
    text: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    params: dict[str, list[str]] = field(default_factory=dict)


def _fields(text: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(
            text, keep_blank_values=True, max_num_fields=_MAX_FIELDS, strict_parsing=False
        )
    except ValueError:
        raise ProtocolError(400, "too many or malformed parameters") from None


def _iris(values: list[str], name: str) -> list[str]:
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as e:
            raise ProtocolError(
                400, f"{name} must be an absolute IRI, not {value!r} ({e})"
            ) from None
    return values


def operation(
    method: str, url_fields: list[tuple[str, str]], content_type: str | None, body: bytes
) -> Operation:
    """The operation a request to the endpoint carries (see the module example).

    A ``POST`` is a form (``application/x-www-form-urlencoded``), or a query or update sent
    directly (``application/sparql-query`` / ``application/sparql-update``, UTF-8 only).

    >>> operation("POST", [("default-graph-uri", "urn:g")], "application/sparql-query", b"ASK {}")
    Operation(kind='query', text='ASK {}', default_graphs=['urn:g'], named_graphs=[], params={'default-graph-uri': ['urn:g'], 'query': ['ASK {}']})
    """
    media, _, parameters = (content_type or "").partition(";")
    media = media.strip().lower()
    charset = ""
    for part in parameters.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            charset = value.strip().strip('"').lower()
    fields = list(url_fields)
    if method == "POST":
        if charset and charset not in ("utf-8", "utf8"):
            raise ProtocolError(415, f"the body must be UTF-8, not {charset}")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "the request body is not UTF-8") from None
        if media == "application/x-www-form-urlencoded":
            fields += _fields(text)
        elif media == "application/sparql-query":
            fields.append(("query", text))
        elif media == "application/sparql-update":
            fields.append(("update", text))
        else:
            raise ProtocolError(
                415,
                "POST a form (application/x-www-form-urlencoded), application/sparql-query or "
                "application/sparql-update",
            )
    params: dict[str, list[str]] = {}
    for key, value in fields:
        params.setdefault(key, []).append(value)
    queries, updates = params.get("query", []), params.get("update", [])
    if len(queries) + len(updates) != 1:
        raise ProtocolError(400, "give exactly one query (or update) parameter")
    if updates and method != "POST":
        raise ProtocolError(
            405, "an update must be sent with POST, never GET", {"Allow": "GET, POST, OPTIONS"}
        )
    if queries:
        return Operation(
            "query",
            queries[0],
            _iris(params.get("default-graph-uri", []), "default-graph-uri"),
            _iris(params.get("named-graph-uri", []), "named-graph-uri"),
            params,
        )
    text = updates[0]
    graphs = _iris(params.get("using-graph-uri", []), "using-graph-uri")
    named = _iris(params.get("using-named-graph-uri", []), "using-named-graph-uri")
    if graphs or named:
        clauses = [c for c in sparql.dataset_clauses(text) if c in ("USING", "WITH")]
        if clauses:
            raise ProtocolError(
                400,
                f"using-graph-uri / using-named-graph-uri conflict with the update's own "
                f"{clauses[0]} clause: give the dataset one way",
            )
        text = sparql.using(text, graphs, named)
    return Operation("update", text, graphs, named, params)


def service_description(endpoint: str, *, update: bool) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of this endpoint, as triples.

    >>> triples = service_description("http://127.0.0.1:8000/sparql", update=False)
    >>> any(t.object.value.endswith("#SPARQL11Query") for t in triples)
    True
    """
    sd = "http://www.w3.org/ns/sparql-service-description#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service = ox.BlankNode("service")

    def t(p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.Triple:
        return ox.Triple(service, ox.NamedNode(sd + p), o)

    triples = [
        ox.Triple(service, rdf_type, ox.NamedNode(sd + "Service")),
        t("endpoint", ox.NamedNode(endpoint)),
        t("supportedLanguage", ox.NamedNode(sd + "SPARQL11Query")),
        t("feature", ox.NamedNode(sd + "UnionDefaultGraph")),
        t("defaultEntailmentRegime", ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
    ]
    if update:
        triples.append(t("supportedLanguage", ox.NamedNode(sd + "SPARQL11Update")))
    for fmt in (*RESULTS_FORMATS, *GRAPH_FORMATS):
        triples.append(t("resultFormat", ox.NamedNode(fmt.iri)))
    return triples
