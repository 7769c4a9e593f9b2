"""The server's own pages, from the template files beside this module (``templates/``), and the
Content-Security-Policy each is sent with: inline script and style allowed by their hashes only.

>>> page = query_page()
>>> "textContent" in page.html and "innerHTML" not in page.html
True
>>> "script-src 'sha256-" in page.csp and "unsafe-inline" not in page.csp
True
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from ..vocab import PREFIXES

__all__ = ["Page", "page_csp", "query_page", "static_files"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', re.I)


@dataclass(frozen=True)
class Page:
    """A rendered page and the policy it must be served with.

    >>> Page("<p>hi</p>", "default-src 'none'").csp
    "default-src 'none'"
    """

    html: str
    csp: str


def _template(name: str) -> str:
    return resources.files("kgraph.server").joinpath("templates", name).read_text("utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@cache
def query_page() -> Page:
    """The ``/query`` page: write SPARQL or pick a named query and fill in its parameters."""
    css, js = _template("query.css").strip(), _template("query.js").strip()
    env = Environment(autoescape=select_autoescape(default=True))
    text = env.from_string(_template("query.html")).render(
        css=Markup(css),
        js=Markup(js),
        prefixes=" ".join(f"{p}:" for p in PREFIXES),
        default_query=_template("default-query.rq").strip(),
    )
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_sha256(js)}",
            f"style-src {_sha256(css)}",
            "connect-src 'self'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )
    return Page(text, csp)


def page_csp(page: bytes) -> str:
    """The policy an explorer page declares in its ``<meta>``, sent as a header too (plus
    ``frame-ancestors``, which a ``<meta>`` cannot set).

    >>> page_csp(b'<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;">')
    "default-src 'none'; frame-ancestors 'none'"
    """
    m = _META_CSP.search(page[:4096].decode("utf-8", "replace"))
    policy = html.unescape(m.group(1)) if m else "default-src 'none'"
    return policy + "; frame-ancestors 'none'"


@cache
def static_files() -> dict[str, bytes]:
    """The explorer's static files by exact name (no folders, no decoding).

    >>> "explorer.css" in static_files()
    True
    """
    found: dict[str, bytes] = {}
    folder = resources.files("kgraph").joinpath("views", "static")
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.is_file() and _NAME.match(entry.name):
                found[entry.name] = entry.read_bytes()
    return found
