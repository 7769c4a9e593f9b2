"""Plain answers and the steps every route shares: the request body within its limit, a job
run in the worker pool, the worker's reply as a response.

>>> text(404, "not found").body
b'not found\\n'
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .pages import page_csp
from .workers import PoolBusy, QueryTimeout

__all__ = ["text"]


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text answer (every error is one).

    >>> text(404, "not found").body
    b'not found\\n'
    """
    return Response(message.rstrip("\n") + "\n", status, headers, "text/plain; charset=utf-8")


def json_response(data: object, status: int = 200) -> Response:
    body = json.dumps(data, indent=1, ensure_ascii=False)
    return Response(body, status, media_type="application/json; charset=utf-8")


def state_of(request: Request):
    return request.app.state.kgraph


async def read_body(request: Request) -> bytes | Response:
    """The request body, or the 411/413 answer (a body over the limit is not read)."""
    config = state_of(request).config
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
        if n <= 8 * config.max_body:  # drain a modest excess, so the client reads the answer
            async for _ in request.stream():  # instead of a reset; a larger one is not read
                pass
        return text(
            413,
            f"the request body is over this server's limit of {config.max_body:,} bytes",
            {"Connection": "close"},
        )
    return await request.body()


def reply_response(reply: tuple, *, page: bool = False) -> Response:
    if reply[0] != "ok":
        return text(reply[1], reply[2])
    _, content_type, body, headers = reply
    response = Response(body, 200, headers, content_type)
    if page:
        response.headers["Content-Security-Policy"] = page_csp(body)
        response.headers["X-Frame-Options"] = "DENY"
    return response


async def run_job(request: Request, job: dict, *, page: bool = False) -> Response:
    state = state_of(request)
    try:
        reply = await run_in_threadpool(state.pool.run, job, state.config.timeout)
    except QueryTimeout as e:
        return text(503, str(e))
    except PoolBusy as e:
        return text(503, str(e), {"Retry-After": "2"})
    return reply_response(reply, page=page)
