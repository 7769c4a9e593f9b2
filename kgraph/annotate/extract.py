"""Text out of Markdown and HTML, with an offset map back into the source.

The extracted text is what ``kgraph annotate`` writes as the document of record; the
:class:`OffsetMap` says, run by run, where each character came from.

>>> src = html_source("<html><head><title>T &amp; U</title></head><body><p>Ket&shy;amine&nbsp;works.</p>"
...                   "<script>x()</script><p>Second.</p></body></html>", "page.html")
>>> src.document.text, src.document.metadata["title"]
('Ketamine works.\\n\\nSecond.', 'T & U')
>>> src.offsets.source_offset(0), src.offsets.source_offset(8), src.offsets.source_offset(9)
(52, None, 71)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType

from ..errors import KGraphError
from ..model import Document

__all__ = ["AnnotateInputError", "OffsetMap", "Source", "html_source", "markdown_source"]


class AnnotateInputError(KGraphError):
    """An input ``kgraph annotate`` cannot use; the message names the file.

    >>> str(AnnotateInputError("empty text", "a.txt"))
    'a.txt: empty text'
    """

    def __init__(self, message: str, path: str | Path) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)


@dataclass(frozen=True)
class OffsetMap:
    """Where each run of the extracted text came from: ``(text_start, source_start, length)`` runs.

    >>> m = OffsetMap(((0, 10, 5), (6, 20, 3)))
    >>> m.source_offset(2), m.source_offset(5), m.source_offset(7)
    (12, None, 21)
    """

    runs: tuple[tuple[int, int, int], ...]

    def source_offset(self, pos: int) -> int | None:
        """The source offset of text position ``pos`` (``None`` for a character the extractor added)."""
        for t, s, n in self.runs:
            if t <= pos < t + n:
                return s + pos - t
        return None

    def to_tsv(self) -> str:
        head = (
            "# text_start\tsource_start\tlength (runs of the .txt that copy the source verbatim)\n"
        )
        return head + "".join(f"{t}\t{s}\t{n}\n" for t, s, n in self.runs)


@dataclass(frozen=True)
class Source:
    """One input document, ready for the pipeline.

    >>> s = markdown_source("Ketamine *works*.", "k.md")
    >>> s.document.id, s.has_mentions, s.path
    ('k', False, 'k.md')
    """

    document: Document
    offsets: OffsetMap | None
    has_mentions: bool
    path: str


class _Builder:
    """Accumulates text with, for each character, its source offset (-1: added by the extractor)."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.origin: list[int] = []

    def add(self, text: str, source_start: int | None, verbatim: bool = True) -> None:
        for i, c in enumerate(text):
            if c.isspace() and c != "\n":
                c = " "
            if c == " " and (not self.chars or self.chars[-1] in " \n"):
                continue  # collapse white space
            self.chars.append(c)
            self.origin.append(source_start + i if (source_start is not None and verbatim) else -1)

    def newline(self, n: int = 1) -> None:
        while self.chars and self.chars[-1] == " ":
            self.chars.pop()
            self.origin.pop()
        have = 0
        for c in reversed(self.chars):
            if c != "\n":
                break
            have += 1
        if self.chars:
            for _ in range(max(0, n - have)):
                self.chars.append("\n")
                self.origin.append(-1)

    def result(self, path) -> tuple[str, OffsetMap]:
        self.newline(0)
        while self.chars and self.chars[-1] in " \n":
            self.chars.pop()
            self.origin.pop()
        text = "".join(self.chars)
        runs: list[list[int]] = []
        last = -2
        for i, o in enumerate(self.origin):
            if o < 0:
                last = -2
                continue
            if o < last:
                raise AnnotateInputError(
                    "cannot build the offset map: the extracted text runs backwards in the source",
                    path,
                )
            if runs and o == last + 1 and runs[-1][0] + runs[-1][2] == i:
                runs[-1][2] += 1
            else:
                runs.append([i, o, 1])
            last = o
        return text, OffsetMap(tuple((a, b, c) for a, b, c in runs))


_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "head",
    "nav",
    "footer",
    "form",
    "button",
    "iframe",
    "object",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "aside",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "address",
    "caption",
    "details",
    "summary",
}
_VOID = {
    "br",
    "hr",
    "img",
    "meta",
    "link",
    "input",
    "wbr",
    "area",
    "base",
    "col",
    "embed",
    "source",
    "track",
}


class _HTML(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.out = _Builder()
        self.skip: list[str] = []
        self.title: list[str] = []
        self.in_title = False

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in _SKIP and tag not in _VOID:
            self.skip.append(tag)
        if not self.skip and tag in _BLOCK:
            self.out.newline(2 if tag not in ("br", "li", "tr", "td", "th", "dt", "dd") else 1)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if self.skip and tag == self.skip[-1]:
            self.skip.pop()
        elif not self.skip and tag in _BLOCK:
            self.out.newline(2 if tag not in ("li", "tr", "td", "th", "dt", "dd") else 1)

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if self.skip:
            return
        start = self._pos()
        if self.source[start : start + len(data)] != data:
            raise AnnotateInputError(
                f"cannot build the offset map (text at line {self.getpos()[0]} not found in the source)",
                self._path,
            )
        self.out.add(data, start)

    def _ref(self, ref: str) -> None:
        ch = unescape(ref)
        if self.in_title:
            self.title.append(ch)
        if self.skip or ch == "\u00ad":  # a soft hyphen is no text
            return
        self.out.add(ch, self._pos(), verbatim=False)

    def handle_entityref(self, name):
        self._ref(f"&{name};")

    def handle_charref(self, name):
        self._ref(f"&#{name};")


def html_source(source: str, path: str | Path) -> Source:
    """Extract the text of an HTML page, its ``<title>`` and the offset map into ``source``.

    >>> html_source("<p>One</p><p>Two &amp; three</p>", "x.html").document.text
    'One\\n\\nTwo & three'
    """
    parser = _HTML(source)
    parser._path = path
    try:
        parser.feed(source)
        parser.close()
    except AnnotateInputError:
        raise
    except Exception as e:  # the standard parser is lenient; anything it still refuses is reported
        raise AnnotateInputError(f"cannot parse the HTML: {e}", path) from None
    text, offsets = parser.out.result(path)
    if not text.strip():
        raise AnnotateInputError(
            "the HTML holds no text (nothing outside scripts, styles and tags)", path
        )
    title = " ".join("".join(parser.title).split())
    meta = {"title": title} if title else {}
    return Source(_doc(path, text, meta), offsets, False, str(path))


_MD_LINE = re.compile(r"^(\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,3}[.)]\s+)*)")
_MD_INLINE = re.compile(
    r"!?\[([^\]\n]*)\]\([^)\n]*\)|<[^>\n]+>|\*\*|__(?=\w)|(?<=\w)__|\*|(?<!\w)_(?=\w)|(?<=\w)_(?!\w)|`+"
)


def markdown_source(source: str, path: str | Path) -> Source:
    """Extract the text of a Markdown file (markup dropped, offsets kept) and its first heading.

    >>> s = markdown_source("# Title\\n\\nSome **bold** [link](http://x) text.\\n", "a.md")
    >>> s.document.text, s.document.metadata["title"], s.offsets.source_offset(12)
    ('Title\\n\\nSome bold link text.', 'Title', 16)
    """
    out = _Builder()
    title = None
    pos = 0
    fence = False
    for raw in source.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        start = pos
        pos += len(raw)
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence or re.fullmatch(r"\s*([-*_=]\s*){3,}", line):
            if not line.strip():
                out.newline(2)
            continue
        if not line.strip():
            out.newline(2)
            continue
        lead = _MD_LINE.match(line).end()
        if title is None and line.lstrip().startswith("#"):
            title = line.strip("# \t")
        heading = line.lstrip().startswith("#")
        i = lead
        for m in _MD_INLINE.finditer(line, lead):
            out.add(line[i : m.start()], start + i)
            if m.group(1) is not None:
                out.add(m.group(1), start + m.start(1))
            i = m.end()
        out.add(line[i:], start + i)
        out.newline(2 if heading else 0)
        if not heading:
            out.add(" ", None)
    text, offsets = out.result(path)
    if not text.strip():
        raise AnnotateInputError("the Markdown holds no text", path)
    return Source(_doc(path, text, {"title": title} if title else {}), offsets, False, str(path))


def _slug(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-.")
    return s or "document"


def _doc(path, text: str, meta: dict[str, str]) -> Document:
    return Document(_slug(Path(path).stem), text, metadata=MappingProxyType(meta), source=str(path))
