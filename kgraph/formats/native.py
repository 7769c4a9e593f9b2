"""The kgraph corpus format: a folder of brat pairs plus a ``manifest.toml`` of document metadata.

See ``corpus/README.md`` for the layout. Each ``[[document]]`` of the manifest names a brat pair by
its ``id``; its ``title``, ``publisher``, ``date``, ``source_type`` (and optional ``author``, ``url``,
``seed``) become the document's metadata. Documents are read in manifest order, one at a time.

>>> from kgraph.vocab import corpus_dir
>>> len(list(read(corpus_dir() / MANIFEST)))
4
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import FormatError
from ..model import Document
from . import register
from ._ids import utf8_text
from .brat import read_pair

__all__ = ["MANIFEST", "read"]

MANIFEST = "manifest.toml"
#: The longest a manifest field (a title, a publisher…) may be, in characters: far above any real
#: title, far below the 16 MiB line Oxigraph reads at most.
MAX_FIELD = 1 << 20
_TOML_AT = re.compile(r"at line (\d+), column \d+")
_REQUIRED = ("id", "title", "publisher", "date", "source_type")
_OPTIONAL = ("author", "url", "seed", "language", "pmid")
_SAFE_ID = re.compile(r"[^./\\\x00][^/\\\x00]*")


def _manifest_path(path: Path) -> Path:
    return path / MANIFEST if path.is_dir() else path


def _key_line(source: str, doc_index: int) -> int | None:
    """The line of the ``doc_index``-th ``[[document]]`` header (tomllib gives no positions)."""
    count = -1
    for n, line in enumerate(source.split("\n"), start=1):  # TOML lines end at \n only
        if line.strip() == "[[document]]":
            count += 1
            if count == doc_index:
                return n
    return None


def _field_line(source: str, start: int | None, key: str) -> int | None:
    """The line of ``key = …`` in the table that starts at line ``start`` (else ``start``)."""
    if start is None:
        return None
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for n, line in enumerate(source.splitlines()[start - 1 :], start=start):
        if pattern.match(line):
            return n
        if n > start and line.lstrip().startswith("["):
            break
    return start


def read(
    path: str | Path, *, on_issue: Callable[[FormatError], None] | None = None, **_: object
) -> Iterator[Document]:
    """Read the corpus folder ``path`` (or its ``manifest.toml``).

    >>> from kgraph.vocab import corpus_dir
    >>> sorted(d.metadata["source_type"] for d in read(corpus_dir()))[:2]
    ['ClinicMarketingPage', 'OpinionArticle']
    """
    manifest = _manifest_path(Path(path))
    if not manifest.exists():
        raise FormatError(f"no {MANIFEST} here", path=manifest)
    raw = manifest.read_bytes()
    source = utf8_text(raw, manifest)
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as e:
        # Python < 3.14 gives the position only in the message: "... (at line 7, column 16)"
        m = _TOML_AT.search(str(e))
        line = getattr(e, "lineno", None) or (int(m.group(1)) if m else None)
        raise FormatError(f"invalid TOML: {e}", path=manifest, line=line) from None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise FormatError("invalid TOML: values nested too deeply", path=manifest) from None
    entries = data.get("document")
    if not isinstance(entries, list) or not entries:
        raise FormatError("the manifest lists no [[document]]", path=manifest)
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        line = _key_line(source, i)
        if not isinstance(entry, dict):
            raise FormatError("'document' must be an array of tables", path=manifest, line=line)
        missing = [k for k in _REQUIRED if not str(entry.get(k, "")).strip()]
        if missing:
            raise FormatError(
                f"document entry lacks {', '.join(missing)}",
                path=manifest,
                line=line,
                document=entry.get("id"),
            )
        unknown = set(entry) - set(_REQUIRED) - set(_OPTIONAL)
        if unknown:
            raise FormatError(
                f"unknown field(s) {', '.join(sorted(unknown))}",
                path=manifest,
                line=line,
                document=entry["id"],
            )
        for key, value in entry.items():
            if isinstance(value, str) and len(value) > MAX_FIELD:
                raise FormatError(
                    f"{key} is {len(value):,} characters long (the limit is {MAX_FIELD:,})",
                    path=manifest,
                    line=_field_line(source, line, key),
                    document=str(entry.get("id")),
                )
        doc_id = str(entry["id"])
        if not _SAFE_ID.fullmatch(doc_id) or doc_id in (".", ".."):
            # the id names files beside the manifest: never a path out of the corpus folder
            raise FormatError(
                "document id must be a file name stem (no '/', '\\', NUL or leading '.')",
                path=manifest,
                line=line,
                document=doc_id,
            )
        if doc_id in seen:
            raise FormatError("duplicate document id", path=manifest, line=line, document=doc_id)
        seen.add(doc_id)
        folder = manifest.parent
        ann = folder / f"{doc_id}.ann"
        if not ann.exists():
            raise FormatError(f"{ann.name} is missing", path=manifest, line=line, document=doc_id)
        metadata = {k: str(entry[k]) for k in (*_REQUIRED, *_OPTIONAL) if k in entry and k != "id"}
        metadata["corpus"] = folder.name
        doc = read_pair(
            folder / f"{doc_id}.txt",
            ann,
            doc_id=doc_id,
            metadata=metadata,
            on_issue=on_issue,
            root=folder,
        )
        yield Document(
            doc.id,
            doc.text,
            doc.mentions,
            doc.relations,
            {**doc.metadata, "format": "kgraph"},
            doc.source,
            doc.line,
        )


def _is_corpus_dir(p: Path) -> bool:
    return (p / MANIFEST).exists()


register(
    "kgraph",
    read,
    suffixes=("manifest.toml",),
    description="kgraph corpus: brat pairs + manifest.toml",
    directory=_is_corpus_dir,
    priority=10,
)
