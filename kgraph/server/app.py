"""The HTTP routes (Starlette): each a few lines that check the request and hand the work to the
worker pool, and the guard every response passes through (Host check, security headers, CORS).

>>> from kgraph.server import ServerConfig
>>> [r.path for r in routes()][:3]
['/sparql', '/sparql/', '/']
"""

from __future__ import annotations

import hmac
import json
import urllib.parse
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import sparql
from ..curation.web import curation_route, review_route
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
from .pages import page_csp, query_page, static_files
from .protocol import ProtocolError, operation, service_description
from .workers import PoolBusy, QueryTimeout

__all__ = ["Guard", "routes"]

_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_ALLOW = "GET, POST, OPTIONS"


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text answer (every error is one)."""
    return Response(message.rstrip("\n") + "\n", status, headers, "text/plain; charset=utf-8")


def _json(data: object, status: int = 200) -> Response:
    body = json.dumps(data, indent=1, ensure_ascii=False)
    return Response(body, status, media_type="application/json; charset=utf-8")


class Guard:
    """ASGI middleware: requests for a foreign host name on a loopback server get **421** (no DNS
    rebinding); every response gets ``nosniff``, ``no-referrer`` and ``no-store``; non-HTML
    responses get the CORS headers when ``cors_origin`` is set."""

    def __init__(self, app, config) -> None:
        self.app, self.config = app, config

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._host_ok(scope):
            response = text(421, "this server answers requests for 127.0.0.1 or localhost only")
            response.headers["Connection"] = "close"
            await response(scope, receive, self._wrap(send))
            return
        await self.app(scope, receive, self._wrap(send))

    def _host_ok(self, scope) -> bool:
        if self.config.host not in _LOOPBACK:
            return True
        host = ""
        for key, value in scope["headers"]:
            if key == b"host":
                host = value.decode("latin-1").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.strip("[]") in _LOOPBACK

    def _wrap(self, send):
        origin = self.config.cors_origin

        async def guarded(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += _SECURITY_HEADERS
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                html = any(
                    k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers
                )
                if origin and not html:
                    headers += [
                        (b"access-control-allow-origin", origin.encode("latin-1")),
                        (b"access-control-expose-headers", b"X-KGraph-Rows"),
                        (b"vary", b"Origin"),
                    ]
                message = {**message, "headers": [(_canonical(k), v) for k, v in headers]}
            await send(message)

        return guarded


_SPELLING = {b"x-kgraph-rows": b"X-KGraph-Rows", b"www-authenticate": b"WWW-Authenticate"}


def _canonical(name: bytes) -> bytes:
    """Header names as HTTP/1.1 clients are used to seeing them (``Content-Type``); Starlette
    writes them lower-case, which strict clients with case-sensitive lookups trip over."""
    low = name.lower()
    return _SPELLING.get(low) or b"-".join(part.capitalize() for part in low.split(b"-"))


# -- helpers ---------------------------------------------------------------------------------------


def _state(request: Request):
    return request.app.state.kgraph


async def _body(request: Request) -> bytes | Response:
    """The request body, or the 411/413 answer (a body over the limit is not read)."""
    config = _state(request).config
    if request.headers.get("transfer-encoding"):
        return text(411, "send the body with a Content-Length (chunked bodies are refused)",
                    {"Connection": "close"})  # fmt: skip
    length = request.headers.get("content-length")
    if length is None:
        return text(411, "a POST needs a Content-Length", {"Connection": "close"})
    try:
        n = int(length)
    except ValueError:
        n = -1
    if n < 0:
        return text(400, "bad Content-Length", {"Connection": "close"})
    if n > config.max_body:
        return text(
            413,
            f"the request body is over this server's limit of {config.max_body:,} bytes",
            {"Connection": "close"},
        )
    return await request.body()


def _reply(reply: tuple, *, page: bool = False) -> Response:
    if reply[0] != "ok":
        return text(reply[1], reply[2])
    _, content_type, body, headers = reply
    response = Response(body, 200, headers, content_type)
    if page:
        response.headers["Content-Security-Policy"] = page_csp(body)
        response.headers["X-Frame-Options"] = "DENY"
    return response


async def _run(request: Request, job: dict, *, page: bool = False) -> Response:
    state = _state(request)
    try:
        reply = await run_in_threadpool(state.pool.run, job, state.config.timeout)
    except QueryTimeout as e:
        return text(503, str(e))
    except PoolBusy as e:
        return text(503, str(e), {"Retry-After": "2"})
    return _reply(reply, page=page)


def _requested_format(params: dict[str, list[str]], graph: bool) -> str | None:
    """A media type named by ``?format=`` or ``?output=`` (``json``, ``csv``, ``turtle``…)."""
    for key in ("format", "output"):
        for value in params.get(key, []):
            try:
                fmt = rdf_format(value) if graph else results_format(value)
            except UnknownFormat:
                continue
            return media_type(fmt)
    return None


def _refusal(text_: str) -> Response | None:
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
    state = _state(request)
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
        found = await _body(request)
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
    refused = _refusal(op.text)
    if refused is not None:
        return refused
    form = sparql.query_form(op.text)
    if form == "update":
        return text(400, "that is an update: send it as the 'update' parameter, with POST")
    graph = form in ("construct", "describe")
    offered = GRAPH_MEDIA_TYPES if graph else RESULT_MEDIA_TYPES
    chosen = negotiate(request.headers.get("accept"), offered, _requested_format(op.params, graph))
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
    return await _run(request, job)


def _service_description(request: Request) -> Response:
    import pyoxigraph as ox

    config = _state(request).config
    chosen = negotiate(request.headers.get("accept"), GRAPH_MEDIA_TYPES)
    if chosen is None:
        return text(406, "the service description is offered as " + ", ".join(GRAPH_MEDIA_TYPES))
    endpoint = str(request.url.replace(query="", fragment=""))
    triples = service_description(endpoint, update=config.allow_update)
    fmt = rdf_format(chosen)
    body = ox.serialize(triples, format=fmt) or b""
    charset = "; charset=utf-8" if chosen.startswith("text/") else ""
    return Response(body, 200, media_type=chosen + charset)


async def _update(request: Request, update: str, endpoint: str) -> Response:
    state = _state(request)
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
    refused = _refusal(update)
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
    return _reply(reply)


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


# -- pages and small endpoints ---------------------------------------------------------------------


async def explorer(request: Request) -> Response:
    state = _state(request)
    try:
        found = await run_in_threadpool(state.explorer)
    except QueryTimeout:
        return text(503, "the explorer page took too long to draw; use `kgraph view` instead")
    except PoolBusy as e:
        return text(503, str(e), {"Retry-After": "2"})
    return _reply(found, page=True)


async def query_page_route(request: Request) -> Response:
    page = query_page()
    headers = {"Content-Security-Policy": page.csp, "X-Frame-Options": "DENY"}
    return Response(page.html, 200, headers, "text/html; charset=utf-8")


async def graph(request: Request) -> Response:
    queries = request.query_params.getlist("query")
    if len(queries) != 1:
        return text(400, "give one query parameter (a CONSTRUCT, or a SELECT of ?s ?p ?o)")
    refused = _refusal(queries[0])
    if refused is not None:
        return refused
    return await _run(request, {"kind": "graph", "sparql": queries[0]}, page=True)


async def named_list(request: Request) -> Response:
    from ..queries import named_queries

    return _json(
        [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "params": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "description": p.description,
                        "required": p.required,
                        "default": p.default,
                    }
                    for p in q.params
                ],
                "url": f"/queries/{q.name}",
                "sparql": q.text,
            }
            for q in named_queries().values()
        ]
    )


async def named(request: Request) -> Response:
    from ..queries import named_queries

    name = request.path_params["name"]
    if name not in named_queries():
        return text(404, f"no named query {name!r} (see /queries)")
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    values = {k: v[-1] for k, v in params.items() if k not in ("format", "output")}
    chosen = negotiate(
        request.headers.get("accept"), RESULT_MEDIA_TYPES, _requested_format(params, False)
    )
    if chosen is None:
        return text(406, "none of the Accept types is offered")
    job = {"kind": "named", "name": name, "params": values, "media_type": chosen}
    return await _run(request, job)


async def health(request: Request) -> Response:
    state = _state(request)
    gen = state.generation()
    config = state.config
    return _json(
        {
            "status": "ok" if gen else "no graph",
            "generation": gen,
            "workers": config.workers,
            "workers_replaced": state.pool.replaced,
            "read_only": not config.allow_update,
            "timeout": config.timeout,
            "max_rows": config.max_rows,
            "max_bytes": config.max_bytes,
            "network_isolated": state.pool.isolation is None,
        },
        200 if gen else 503,
    )


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    files = static_files()
    if name not in files:
        return text(404, "not found")
    kind = {"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"}
    content_type = kind.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    return Response(files[name], 200, {"Cache-Control": "max-age=3600"}, content_type)


async def not_found(request: Request, exc: Any) -> Response:
    status = getattr(exc, "status_code", 404)
    if status == 405:
        return text(405, f"{request.method} is not offered here", {"Allow": "GET"})
    return text(status, "not found" if status == 404 else str(getattr(exc, "detail", "")))


def routes() -> list[Route]:
    """The server's routes (the module docs of :mod:`kgraph.server` list what each does)."""
    methods = ["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]
    return [
        Route("/sparql", sparql_endpoint, methods=methods),
        Route("/sparql/", sparql_endpoint, methods=methods),
        Route("/", explorer, methods=["GET"]),
        Route("/query", query_page_route, methods=["GET"]),
        Route("/graph", graph, methods=["GET"]),
        Route("/queries", named_list, methods=["GET"]),
        Route("/queries/{name}", named, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
        Route("/review", review_route, methods=["GET"]),  # kgraph.curation.web
        Route("/curation", curation_route, methods=["POST"]),
    ]


def application(state) -> Starlette:
    """The Starlette application over ``state`` (a :class:`kgraph.server.ServerState`)."""
    app = Starlette(routes=routes(), exception_handlers={404: not_found, 405: not_found})
    app.state.kgraph = state
    return Guard(app, state.config)  # type: ignore[return-value]
