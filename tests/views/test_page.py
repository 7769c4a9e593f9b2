"""The page itself: one self-contained file (no remote script, style, font or image), a strict
Content-Security-Policy whose hashes match the inline code, and text that stays text."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

from kgraph.views import render_html, write_html
from kgraph.views.page import assets

KGO = "https://w3id.org/kgraph/ontology#"
EVIL = "<img src=x onerror=window.__pwned=1>"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self._open: tuple[str, dict] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open, self._text = (tag, dict(attrs)), []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            text = "".join(self._text)
            if tag == "script":
                self.scripts.append((self._open[1], text))
            else:
                self.styles.append(text)
            self._open = None


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def corpus_html(corpus_store) -> str:
    return render_html(corpus_store)


def _evil_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(
        "kg:evil",
        label=EVIL,
        cls=KGO + "Compound",
        synonyms=["</script><script>x()</script>"],
        identifiers=["javascript:alert(1)"],
        definition="<!-- comment -->",
    )
    g.add_node("kg:other", label="other", cls=KGO + "Receptor")
    g.add_edge(
        "kg:evil",
        "kg:other",
        key=KGO + "antagonistOf",
        predicate=KGO + "antagonistOf",
        label='<a href="javascript:1">x</a>',
        statements=1,
        documents=1,
        negated=0,
        hedged=0,
        levels=["Review"],
    )
    return g


def test_one_file_with_nothing_remote(corpus_html: str) -> None:
    page = _parse(corpus_html)
    for tag, attrs in page.tags:
        assert "src" not in attrs or attrs["src"].startswith("data:"), (tag, attrs)
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
    for text in page.styles:
        assert not re.search(r"url\(\s*(?!['\"]?data:)", text), "CSS fetches nothing but data: URLs"
        assert "@import" not in text
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", corpus_html)
    assert len(page.scripts) == 3  # the data, vis-network, the explorer


def test_csp_allows_exactly_the_inline_code(corpus_html: str) -> None:
    page = _parse(corpus_html)
    meta = [
        a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert len(meta) == 1
    policy = dict(part.strip().split(" ", 1) for part in meta[0]["content"].split(";"))
    assert policy["default-src"] == "'none'" and policy["connect-src"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]
    assert "http" not in meta[0]["content"]

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    code = [text for attrs, text in page.scripts if attrs.get("type") != "application/json"]
    assert sorted(policy["script-src"].split()) == sorted(map(digest, code))
    assert sorted(policy["style-src"].split()) == sorted(map(digest, page.styles))


def test_vis_network_comes_from_pyvis(corpus_html: str) -> None:
    vis = assets()["vis_js"]
    assert "vis-network" in vis[:300] and vis in corpus_html


def test_data_block_round_trips(corpus_html: str, corpus_store) -> None:
    page = _parse(corpus_html)
    [(attrs, text)] = [(a, t) for a, t in page.scripts if a.get("type") == "application/json"]
    data = json.loads(text)
    assert attrs["id"] == "kgraph-data" and data["meta"]["nodes"] == len(data["nodes"]["iri"])


def test_markup_in_the_graph_stays_text() -> None:
    html = render_html(_evil_graph(), title="<b>title</b>")
    assert "<title>&lt;b&gt;title&lt;/b&gt;</title>" in html
    assert EVIL not in html and "</script><script>x()" not in html and "<!-- comment" not in html
    page = _parse(html)
    assert [t for t, _ in page.tags].count("script") == 3 and "img" not in [t for t, _ in page.tags]
    data = json.loads(next(t for a, t in page.scripts if a.get("type") == "application/json"))
    assert data["nodes"]["label"][0] == EVIL
    assert data["nodes"]["info"]["0"]["ids"] == [["javascript:alert(1)", None]]  # no link


def test_write_html_reports_what_it_wrote(tmp_path, corpus_store) -> None:
    info = write_html(corpus_store, tmp_path / "sub" / "page.html", focus="ketamine")
    written = (tmp_path / "sub" / "page.html").read_bytes()
    assert info["bytes"] == len(written) and info["nodes"] > 10 and "ketamine" in info["title"]
