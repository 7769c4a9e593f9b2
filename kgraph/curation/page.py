"""The review page: the queue of proposals, most confident first, with accept / reject / correct
buttons. Offline it collects the acts as ``curation.jsonl`` lines to download; served by
``kgraph serve --allow-curation`` it sends each act to the server, which appends it to the log.

>>> from kgraph.store import open_store
>>> "<title>Review &amp; check</title>" in review_page(open_store("memory:"), title="Review & check")
True
"""

from __future__ import annotations

import html
import json
from importlib import resources

from .queue import review_queue

__all__ = ["review_page"]


def review_page(store, *, title: str = "kgraph review", post: str | None = None) -> str:
    """The page as one self-contained HTML string (``post``: the URL acts are sent to).

    >>> from kgraph import load
    >>> page = review_page(load().store)
    >>> "No proposals await review" in page and "Download curation.jsonl" in page
    True
    """
    template = resources.files(__package__).joinpath("templates", "review.html").read_text("utf-8")
    data = json.dumps({"queue": review_queue(store), "post": post}, ensure_ascii=False)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return template.replace("__TITLE__", html.escape(title)).replace("__DATA__", data)
