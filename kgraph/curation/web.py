"""Curation over HTTP: what ``kgraph serve --allow-curation`` does with a POSTed act.

Framework-free, so the server's route stays a few lines: it checks the bearer token, reads the
body and calls :func:`post_act`, which makes the act exactly as ``kgraph curate`` does
(:func:`kgraph.curation.acts.curate`) and appends it to the corpus's log.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import FormatError, KGraphError
from ..model import Span
from .acts import curate

__all__ = ["post_act"]

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
