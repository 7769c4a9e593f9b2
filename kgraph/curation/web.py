"""Curation over HTTP: the two routes ``kgraph serve --allow-curation`` adds (``POST /curation``,
``GET /review``) and :func:`post_act`, which makes a POSTed act exactly as ``kgraph curate`` does
(:func:`kgraph.curation.acts.curate`) and appends it to the corpus's log.

>>> post_act(".", b"not json")[0]
400
"""

from __future__ import annotations

import hmac
import html
import json
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..errors import FormatError, KGraphError
from ..model import Span
from .acts import curate
from .page import review_page

__all__ = ["post_act"]  # the routes are kgraph.server's to mount

_FIELDS = ("act", "document", "subject", "predicate", "object", "sentence", "quote", "set",
           "curator", "time", "reason", "tags")  # fmt: skip


def post_act(corpus: str | Path, body: bytes, *, store=None) -> tuple[int, dict[str, object]]:
    """HTTP status and JSON answer for a POSTed act (a JSON object with the log's keys).

    >>> post_act(".", b"[]")
    (400, {'error': 'the body must be a JSON object with the keys of a curation act'})
    """
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return 400, {"error": f"the body is not JSON: {e}"}
    if not isinstance(obj, dict) or "act" not in obj:
        return 400, {"error": "the body must be a JSON object with the keys of a curation act"}
    unknown = sorted(set(obj) - set(_FIELDS))
    if unknown:
        return 400, {"error": f"unknown key(s) {', '.join(unknown)}"}
    sentence = obj.get("sentence")
    try:
        span = Span(*sentence) if sentence is not None else None
        act, line = curate(
            Path(corpus),
            str(obj["act"]),
            document=str(obj.get("document", "")),
            subject=str(obj.get("subject", "")),
            predicate=str(obj.get("predicate", "")),
            object=str(obj.get("object", "")),
            curator=str(obj.get("curator", "")),
            reason=str(obj.get("reason", "")),
            tags=tuple(obj.get("tags") or ()),
            quote=obj.get("quote"),
            sentence=span,
            changes=obj.get("set") or None,
            time=obj.get("time"),
            store=store,
        )
    except FormatError as e:
        return 422, {"error": e.message}
    except (KGraphError, TypeError, ValueError) as e:
        return 422, {"error": str(e)}
    return 201, {"line": line, "act": json.loads(act.to_json())}


def _answer(status: int, data: dict[str, object]) -> Response:
    return Response(json.dumps(data, indent=1, ensure_ascii=False), status,
                    media_type="application/json; charset=utf-8")  # fmt: skip


async def curation_route(request: Request) -> Response:
    """``POST /curation`` of ``kgraph serve --allow-curation``: the token, the body's size, then
    :func:`post_act` (the server's state is ``request.app.state.kgraph``)."""
    state = request.app.state.kgraph
    config = state.config
    if not config.allow_curation:
        return _answer(403, {"error": "this server takes no curation acts (--allow-curation)"})
    given = (request.headers.get("authorization") or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), (config.token or "").encode()):
        response = _answer(401, {"error": "a curation act needs 'Authorization: Bearer TOKEN'"})
        response.headers["WWW-Authenticate"] = 'Bearer realm="kgraph"'
        return response
    length = request.headers.get("content-length") or ""
    if not length.isdigit():
        return _answer(411, {"error": "a POST needs a Content-Length"})
    if int(length) > config.max_body:
        return _answer(413, {"error": f"the body is over {config.max_body:,} bytes"})
    body = await request.body()
    status, answer = await run_in_threadpool(post_act, config.corpus, body, store=state.link)
    return _answer(status, answer)


async def review_route(request: Request) -> Response:
    """``GET /review``: the explorer in review mode; it POSTs its acts here when curation is
    allowed (the page's policy, sent as a header too, lets it connect to this server only)."""
    state = request.app.state.kgraph
    post = "/curation" if state.config.allow_curation else None
    page = await run_in_threadpool(review_page, state.link, post=post)
    # the policy the page declares in its <meta>, sent as a header too (with frame-ancestors)
    declared = page[: page.index("</head>")].partition(
        'http-equiv="Content-Security-Policy" content="'
    )
    policy = html.unescape(declared[2].partition('"')[0]) + "; frame-ancestors 'none'"
    headers = {"X-Frame-Options": "DENY", "Content-Security-Policy": policy}
    return Response(page, 200, headers, "text/html; charset=utf-8")
