"""The HTTP application (Starlette): the routes, each a few lines that check the request and hand
the work to the worker pool (the SPARQL endpoint is :mod:`kgraph.server.endpoint`), behind the
:class:`~kgraph.server.guard.Guard`.

>>> [r.path for r in routes()][:3]
['/sparql', '/sparql/', '/']
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..curation.web import curation_route, review_route
from ..media import (
    RESULT_MEDIA_TYPES,
    negotiate,
)
from ..queries import named_queries
from .endpoint import refusal, requested_format, sparql_endpoint
from .guard import Guard
from .pages import query_page, static_files
from .replies import json_response, reply_response, run_job, state_of, text
from .workers import PoolBusy, QueryTimeout

__all__ = ["application", "routes"]


# -- pages and small endpoints ---------------------------------------------------------------------


async def explorer(request: Request) -> Response:
    state = state_of(request)
    try:
        found = await run_in_threadpool(state.explorer)
    except QueryTimeout:
        return text(503, "the explorer page took too long to draw; use `kgraph view` instead")
    except PoolBusy as e:
        return text(503, str(e), {"Retry-After": "2"})
    return reply_response(found, page=True)


async def query_page_route(request: Request) -> Response:
    page = query_page()
    headers = {"Content-Security-Policy": page.csp, "X-Frame-Options": "DENY"}
    return Response(page.html, 200, headers, "text/html; charset=utf-8")


async def graph(request: Request) -> Response:
    queries = request.query_params.getlist("query")
    if len(queries) != 1:
        return text(400, "give one query parameter (a CONSTRUCT, or a SELECT of ?s ?p ?o)")
    refused = refusal(queries[0])
    if refused is not None:
        return refused
    return await run_job(request, {"kind": "graph", "sparql": queries[0]}, page=True)


async def named_list(request: Request) -> Response:
    return json_response(
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
    name = request.path_params["name"]
    if name not in named_queries():
        return text(404, f"no named query {name!r} (see /queries)")
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    values = {k: v[-1] for k, v in params.items() if k not in ("format", "output")}
    chosen = negotiate(
        request.headers.get("accept"), RESULT_MEDIA_TYPES, requested_format(params, False)
    )
    if chosen is None:
        return text(406, "none of the Accept types is offered")
    job = {"kind": "named", "name": name, "params": values, "media_type": chosen}
    return await run_job(request, job)


async def health(request: Request) -> Response:
    state = state_of(request)
    gen = state.generation()
    config = state.config
    return json_response(
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
    """The server's routes (the module docs of :mod:`kgraph.server` list what each does).

    >>> "/queries/{name}" in [r.path for r in routes()]
    True"""
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
    """The Starlette application over ``state`` (a :class:`kgraph.server.ServerState`), behind
    the guard.

    >>> from kgraph.server import ServerConfig
    >>> class State:
    ...     config = ServerConfig(store="s")
    >>> type(application(State())).__name__
    'Guard'
    """
    app = Starlette(routes=routes(), exception_handlers={404: not_found, 405: not_found})
    app.state.kgraph = state
    return Guard(app, state.config)  # type: ignore[return-value]
