"""The review page: the explorer opened in review mode (:mod:`kgraph.curation.explorer`), with the
queue of proposals most confident first and accept / reject / correct on every statement. Offline
it collects the acts as ``curation.jsonl`` lines to download; served by ``kgraph serve
--allow-curation`` (``/review``) it sends each act to the server, which appends it to the log.
``kgraph curate page -o FILE`` and ``kgraph view --review -o FILE`` write the same page.

>>> from kgraph import load
>>> "<title>Review &amp; check</title>" in review_page(load().store, title="Review & check")
True
"""

from __future__ import annotations

from ..views import render_html

__all__ = ["review_page"]


def review_page(store, *, title: str = "kgraph review", post: str | None = None) -> str:
    """The page as one self-contained HTML string (``post``: the URL acts are sent to).

    >>> from kgraph import load
    >>> page = review_page(load().store)
    >>> 'id="kgraph-review"' in page, "connect-src &#39;none&#39;" in page  # offline: no requests
    (True, True)
    >>> "connect-src &#39;self&#39;" in review_page(load().store, post="/curation")
    True
    """
    return render_html(store, title=title, review=True, post=post)
