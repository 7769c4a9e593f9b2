"""The explorer page: one HTML file with vis-network, the page's CSS and script, and the data
inlined; nothing is fetched when it opens.

The data goes in a ``<script type="application/json">`` block (never run, read with
``JSON.parse``) with every ``<``, ``>`` and ``&`` written as a ``\\u`` escape, so no text in the
graph can close the block or open a comment. A Content-Security-Policy allows only the page's own
inline scripts (by hash) and styles, and no network access at all.

>>> '</script>' in to_json({"label": "</script><script>alert(1)</script>"})
False
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path

__all__ = ["VIS_VERSION", "assets", "csp", "render_page", "to_json"]

#: The vis-network build that pyvis ships and the page inlines.
VIS_VERSION = "9.1.2"


def to_json(data: object) -> str:
    """JSON safe to place inside a ``<script>`` element: ``<``, ``>``, ``&`` and the line
    separators U+2028/U+2029 are ``\\u`` escapes (JSON.parse reads them back unchanged).
    Written by ``orjson`` when it is installed (much faster on big graphs), else by ``json``.

    >>> to_json({"q": "a <!-- b </script> & c"})
    '{"q":"a \\\\u003c!-- b \\\\u003c/script\\\\u003e \\\\u0026 c"}'
    >>> json.loads(to_json({"q": "<b>"}))["q"]
    '<b>'
    >>> to_json(["\\u2028", "\\u2192", "\\U0001f600"])
    '["\\\\u2028","\\\\u2192","\\\\ud83d\\\\ude00"]'
    """
    return _json_bytes(data).decode("ascii")


def _json_bytes(data: object) -> bytes:
    """:func:`to_json` as bytes (ASCII)."""
    try:
        import orjson
    except ImportError:  # the standard library is about five times slower on big graphs
        text = json.dumps(data, separators=(",", ":"), allow_nan=False)  # ASCII: \u escapes
        raw = text.encode("ascii")
    else:
        raw = orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)
    # on the UTF-8 bytes: compact, and each skipped when absent (a one-byte search is a memchr)
    for char, escape in _ESCAPES:
        if char in raw:
            raw = raw.replace(char, escape)
    if not raw.isascii():  # JSON's \u escapes (U+2028/2029 among them): the page stays ASCII
        distinct = set(raw.translate(None, _ASCII).decode("utf-8"))  # C passes, no per-char Python
        if len(distinct) <= 32:  # the usual case: a dash, an arrow, a few accented letters
            for char in distinct:
                raw = raw.replace(char.encode("utf-8"), _json_escape_text(char).encode("ascii"))
        else:
            raw = _NON_ASCII.sub(_json_escape, raw.decode("utf-8")).encode("ascii")
    return raw


_ASCII = bytes(range(128))


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _json_escape_text(text: str) -> str:
    """Non-ASCII ``text`` as JSON/JavaScript ``\\u`` escapes (astral characters as surrogate
    pairs), as the standard library's ASCII encoder writes them."""
    return json.dumps(text)[1:-1]


def _json_escape(m: re.Match) -> str:
    return _json_escape_text(m.group())


def ascii_page_text(text: str, kind: str) -> str:
    """``text`` (an inlined ``"js"``, ``"css"`` or ``"html"`` asset) with every non-ASCII character
    escaped the way its language reads it back: the page is then pure ASCII, which a browser
    reads exactly as before and Python builds and writes as one byte per character.

    >>> ascii_page_text('a = "→";', "js"), ascii_page_text("p:after{content:'…'}", "css")
    ('a = "\\\\u2192";', "p:after{content:'\\\\002026'}")
    >>> ascii_page_text('<input placeholder="name…">', "html")
    '<input placeholder="name&#8230;">'
    """
    if text.isascii():
        return text
    if kind == "js":
        return _NON_ASCII.sub(_json_escape, text)
    if kind == "css":
        return _NON_ASCII.sub(lambda m: "".join(f"\\{ord(c):06x}" for c in m.group()), text)
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")


_ESCAPES = [
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
]


def _vis_dir() -> Path:
    import pyvis

    return Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}"


@lru_cache(maxsize=1)
def assets() -> dict[str, str]:
    """The texts inlined in every page: vis-network's JS and CSS, the page's CSS, JS and template."""
    vis = _vis_dir()
    here = resources.files(__package__)
    found = {
        "vis_js": (vis / "vis-network.min.js").read_text(encoding="utf-8"),
        "vis_css": (vis / "vis-network.css").read_text(encoding="utf-8"),
        "app_js": (here / "static" / "explorer.js").read_text(encoding="utf-8"),
        "app_css": (here / "static" / "explorer.css").read_text(encoding="utf-8"),
        "template": (here / "templates" / "explorer.html").read_text(encoding="utf-8"),
    }
    for name in ("vis_js", "app_js", "vis_css", "app_css"):
        lowered = found[name].lower()
        if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
            raise RuntimeError(f"{name} cannot be inlined: it contains an HTML end tag or comment")
    for name, kind in (("vis_js", "js"), ("app_js", "js"), ("vis_css", "css"), ("app_css", "css")):
        found[name] = ascii_page_text(found[name], kind)
    found["template"] = ascii_page_text(found["template"], "html")  # no inline script of its own
    return found


def _sha256(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


def csp(scripts: list[str], styles: list[str], *, connect: str = "'none'") -> str:
    """A Content-Security-Policy allowing exactly these inline scripts and styles (by hash) and
    nothing remote (``connect``: where a script may send requests; review mode on a server sends
    its acts to ``'self'``). (vis-network styles its elements through the CSSOM, which CSP allows.)

    >>> csp(["a"], ["b"]).split("; ")[:2]
    ["default-src 'none'", "script-src 'sha256-ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs='"]
    """
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_sha256(s) for s in scripts),
            "style-src " + " ".join(_sha256(s) for s in styles),
            "img-src data:",
            "font-src data:",
            f"connect-src {connect}",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        ]
    )


def render_page(payload: dict, *, title: str, review: dict | None = None) -> str:
    """The whole HTML page for ``payload`` (see :func:`kgraph.views.network.payload`); ``review``:
    the review mode's data, script and style (:func:`kgraph.curation.explorer.review_block`).

    >>> import networkx as nx
    >>> from kgraph.views.network import payload
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("kg:a", label="ketamine")
    >>> render_page(payload(g, title="demo"), title="demo").startswith("<!doctype html>")
    True
    """
    if review is None:
        head, tail = _frame(title)
    else:
        head, tail = (part.encode("utf-8") for part in _render_frame(title, review))
    # joined as bytes and decoded once: a big graph's data is copied once more, not twice (and,
    # every part being ASCII, into a string of one byte per character)
    return b"".join((head, _json_bytes(payload), tail)).decode("utf-8")


_DATA = "\x00kgraph-data\x00"


@lru_cache(maxsize=16)
def _frame(title: str) -> tuple[bytes, bytes]:
    """The page before and after its data (UTF-8): rendered once per title, so a big graph's
    data is copied once into the page (not once per template step)."""
    head, tail = _render_frame(title, None)
    return head.encode("utf-8"), tail.encode("utf-8")


def _render_frame(title: str, review: dict | None) -> tuple[str, str]:
    """The page around a placeholder for its data; ``review``: the review mode's block."""
    a = assets()
    policy = _policy()
    extra = {"review_js": None, "review_css": None, "review_data": None}
    if review is not None:  # review mode (kgraph.curation.explorer): its own script and style
        js, css = ascii_page_text(review["js"], "js"), ascii_page_text(review["css"], "css")
        scripts, styles = [a["vis_js"], a["app_js"], js], [a["vis_css"], a["app_css"]]
        connect = "'self'" if review["data"].get("post") else "'none'"
        policy = csp(scripts, [*styles, css], connect=connect)
        extra = {k: _markup(v) for k, v in (("review_js", js),
                 ("review_css", css), ("review_data", to_json(review["data"])))}  # fmt: skip
    page = _template().render(
        title=_markup(ascii_page_text(str(_escape(title)), "html")),
        version=version("kgraph"),
        csp=policy,
        vis_css=_markup(a["vis_css"]),
        app_css=_markup(a["app_css"]),
        vis_js=_markup(a["vis_js"]),
        app_js=_markup(a["app_js"]),
        data=_markup(_DATA),
        **extra,
    )
    head, _, tail = page.partition(_DATA)  # JSON never holds a raw NUL: the one placeholder
    return head, tail


@lru_cache(maxsize=1)
def _template():
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(assets()["template"])


@lru_cache(maxsize=1)
def _policy() -> str:
    a = assets()
    return csp([a["vis_js"], a["app_js"]], [a["vis_css"], a["app_css"]])


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)


def _escape(text: str) -> str:
    from markupsafe import escape

    return escape(text)
