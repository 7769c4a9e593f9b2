"""The SPARQL 1.1 Protocol endpoint, ``/sparql``: queries, updates by POST with the token, the
Service Description, and the refusals (SERVICE / LOAD, methods the endpoint does not offer).

>>> requested_format({"format": ["csv"]}, graph=False)
'text/csv'
"""

from __future__ import annotations

import hmac
import urllib.parse

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .. import sparql
from ..errors import StoreError
from ..media import (
    GRAPH_MEDIA_TYPES,
    RESULT_MEDIA_TYPES,
    UnknownFormat,
    media_type,
    negotiate,
    rdf_format,
    results_format,
)
from .protocol import ProtocolError, operation, service_description
from .replies import read_body, reply_response, run_job, state_of, text
from .workers import PoolBusy, QueryTimeout

__all__ = ["refusal", "requested_format"]

_ALLOW = "GET, POST, OPTIONS"


def requested_format(params: dict[str, list[str]], graph: bool) -> str | None:
    """A media type named by ``?format=`` or ``?output=`` (``json``, ``csv``, ``turtle``…).

    >>> requested_format({"output": ["turtle"]}, graph=True)
    'text/turtle'
    """
    for key in ("format", "output"):
        for value in params.get(key, []):
            try:
                fmt = rdf_format(value) if graph else results_format(value)
            except UnknownFormat:
                continue
            return media_type(fmt)
    return None


def refusal(text_: str) -> Response | None:
    """The answer to a query or update the server must not run (``None``: it may run): 403 for
    SERVICE and LOAD, 400 for text that is not SPARQL (:func:`kgraph.sparql.refused`).

    >>> refusal("SELECT * { ?s ?p 1e0.SERVICE <http://h/> { } }").status_code
    403
    >>> refusal("ASK { ?s ?p ?o }") is None
    True
    """
    why = sparql.refused(text_)
    if why is None:
        return None
    if why == "unreadable":
        try:
            list(sparql.tokens(sparql.unescape(text_)))
            detail = "it is not all SPARQL tokens"
        except sparql.SparqlTextError as e:
            detail = str(e)
        return text(400, f"SPARQL syntax error: {detail}")
    return text(403, f"{why} is refused by this server (it would reach other servers)")


# -- the SPARQL endpoint ---------------------------------------------------------------------------


async def sparql_endpoint(request: Request) -> Response:
    state = state_of(request)
    if request.method == "OPTIONS":
        return _options(state.config)
    if request.method not in ("GET", "POST"):
        return text(
            405,
            f"{request.method} is not offered at /sparql (the Graph Store Protocol is not served); "
            "query with GET or POST, update with POST",
            {"Allow": _ALLOW},
        )
    body = b""
    if request.method == "POST":
        found = await read_body(request)
        if isinstance(found, Response):
            return found
        body = found
    fields = urllib.parse.parse_qsl(request.url.query, keep_blank_values=True)
    if request.method == "GET" and not any(k in ("query", "update") for k, _ in fields):
        return _service_description(request)
    try:
        op = operation(request.method, fields, request.headers.get("content-type"), body)
    except ProtocolError as e:
        return text(e.status, e.message, e.headers)
    endpoint = str(request.url.replace(query="", fragment=""))
    if op.kind == "update":
        return await _update(request, op.text, endpoint)
    refused = refusal(op.text)
    if refused is not None:
        return refused
    form = sparql.query_form(op.text)
    if form == "update":
        return text(400, "that is an update: send it as the 'update' parameter, with POST")
    graph = form in ("construct", "describe")
    offered = GRAPH_MEDIA_TYPES if graph else RESULT_MEDIA_TYPES
    chosen = negotiate(request.headers.get("accept"), offered, requested_format(op.params, graph))
    if chosen is None:
        return text(
            406, "none of the Accept types is offered; this endpoint gives: " + ", ".join(offered)
        )
    job = {
        "kind": "query",
        "sparql": op.text,
        "media_type": chosen,
        "base": endpoint,
        "default_graph": op.default_graphs,
        "named_graphs": op.named_graphs,
    }
    return await run_job(request, job)


def _service_description(request: Request) -> Response:
    config = state_of(request).config
    chosen = negotiate(request.headers.get("accept"), GRAPH_MEDIA_TYPES)
    if chosen is None:
        return text(406, "the service description is offered as " + ", ".join(GRAPH_MEDIA_TYPES))
    endpoint = str(request.url.replace(query="", fragment=""))
    triples = service_description(endpoint, update=config.allow_update)
    fmt = rdf_format(chosen)
    names = {"sd": "http://www.w3.org/ns/sparql-service-description#"}
    options = {"prefixes": names} if fmt == ox.RdfFormat.TURTLE else {}
    body = ox.serialize(triples, format=fmt, **options) or b""
    charset = "; charset=utf-8" if chosen.startswith("text/") else ""
    return Response(body, 200, media_type=chosen + charset)


async def _update(request: Request, update: str, endpoint: str) -> Response:
    state = state_of(request)
    config = state.config
    if not config.allow_update:
        return text(403, "this server is read-only: SPARQL Update is refused")
    auth = request.headers.get("authorization") or ""
    if not auth.startswith("Bearer "):
        return text(401, "an update needs 'Authorization: Bearer TOKEN'",
                    {"WWW-Authenticate": 'Bearer realm="kgraph"'})  # fmt: skip
    given = auth[len("Bearer ") :].strip().encode()
    if not hmac.compare_digest(given, (config.token or "").encode()):
        return text(403, "wrong token")
    refused = refusal(update)
    if refused is not None:
        return refused
    job = {"kind": "update", "sparql": update, "base": endpoint}
    try:
        reply = await run_in_threadpool(
            state.pool.update, job, config.timeout, state.link, config.update_wait
        )
    except StoreError as e:
        return text(503, f"{e}; nothing was applied, try again", {"Retry-After": "2"})
    except QueryTimeout:
        return text(
            503,
            f"the update ran longer than this server's time limit ({config.timeout:g} s) and was "
            "stopped before its commit: nothing was applied",
        )
    except PoolBusy as e:
        return text(503, f"{e}; nothing was applied", {"Retry-After": "2"})
    return reply_response(reply)


def _options(config) -> Response:
    headers = {"Allow": _ALLOW}
    if config.cors_origin:
        headers.update(
            {
                "Access-Control-Allow-Methods": _ALLOW,
                "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
                "Access-Control-Max-Age": "600",
            }
        )
    return Response(b"", 204, headers, "text/plain")
