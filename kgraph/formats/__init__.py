"""Readers of annotated text, one module per format, in a registry keyed by format name.

Each reader module calls :func:`register` at import time with its name, the file-name endings it
claims and a ``read(path, **options)`` generator that yields :class:`kgraph.model.Document` objects
one at a time (so a corpus of any size streams). Modules are imported lazily the first time the
registry is used.

>>> sorted(formats())
['bioc-json', 'bioc-xml', 'brat', 'gold', 'kgraph', 'pubannotation', 'pubtator']
>>> resolve("Train.PubTator.txt").name
'pubtator'
>>> resolve("ketamine.biocjson").name, resolve("ketamine.biocxml").name
('bioc-json', 'bioc-xml')
>>> resolve("corpus/", "kgraph").name
'kgraph'
>>> resolve("x.json", "biocjson")
Traceback (most recent call last):
...
kgraph.errors.FormatError: x.json: unknown format 'biocjson' (did you mean 'bioc-json'? known: ...)
>>> from kgraph.vocab import corpus_dir
>>> resolve(corpus_dir()).name  # a folder with a manifest, not just brat pairs
'kgraph'
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import FormatError
from ..model import Document
from ..suggest import did_you_mean

__all__ = ["Reader", "formats", "read", "register", "resolve"]

#: Modules that register readers; imported on first use.
_MODULES = ("native", "brat", "pubtator", "bioc", "pubannotation", "gold")


@dataclass(frozen=True)
class Reader:
    """A registered reader: its name, the endings it claims, and its ``read`` function.

    >>> r = resolve("a.pubtator")
    >>> r.name, r.suffixes
    ('pubtator', ('.pubtator', '.pubtator.txt'))
    """

    name: str
    suffixes: tuple[str, ...]
    read: Callable[..., Iterator[Document]]
    description: str = ""
    #: Tells whether a folder is in this reader's format (``None``: the reader takes files only).
    directory: Callable[[Path], bool] | None = None
    #: Folder checks run highest priority first (a kgraph corpus is also a brat folder).
    priority: int = 0


_REGISTRY: dict[str, Reader] = {}
_loaded = False


def register(
    name: str,
    read: Callable[..., Iterator[Document]],
    *,
    suffixes: tuple[str, ...] = (),
    description: str = "",
    directory: Callable[[Path], bool] | None = None,
    priority: int = 0,
) -> None:
    """Add (or replace) the reader called ``name``.

    >>> register("demo", lambda path: iter(()), suffixes=(".DEMO",))
    >>> resolve("x.demo").suffixes
    ('.demo',)
    >>> del _REGISTRY["demo"]
    """
    _REGISTRY[name] = Reader(
        name, tuple(s.lower() for s in suffixes), read, description, directory, priority
    )


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in _MODULES:
            importlib.import_module(f"{__name__}.{module}")


def formats() -> dict[str, Reader]:
    """Every registered reader, by name.

    >>> formats()["pubtator"].name
    'pubtator'
    """
    _load()
    return dict(_REGISTRY)


def resolve(path: str | Path, format: str | None = None) -> Reader:
    """The reader for ``path``: the explicit ``format`` name, else the one the file name implies.

    >>> resolve("a.biocxml").name, resolve("a.txt", "pubtator").name
    ('bioc-xml', 'pubtator')
    """
    _load()
    if format is not None:
        try:
            return _REGISTRY[format]
        except KeyError:
            known = ", ".join(sorted(_REGISTRY))
            hint = did_you_mean(format, _REGISTRY, limit=1)
            hint = f"{hint} " if hint else ""
            raise FormatError(
                f"unknown format {format!r} ({hint}known: {known})", path=path
            ) from None
    p = Path(path)
    if p.is_dir():
        for reader in sorted(_REGISTRY.values(), key=lambda r: -r.priority):
            if reader.directory is not None and reader.directory(p):
                return reader
        raise FormatError(
            "cannot tell the format of this folder (no manifest.toml, no .ann files); "
            "name it with --format",
            path=path,
        )
    name = p.name.lower()
    best: Reader | None = None
    best_len = 0
    for reader in _REGISTRY.values():
        for suffix in reader.suffixes:
            if name.endswith(suffix) and len(suffix) > best_len:
                best, best_len = reader, len(suffix)
    if best is None:
        known = ", ".join(f"{r.name} ({' '.join(r.suffixes)})" for r in _REGISTRY.values())
        raise FormatError(
            f"cannot tell the format from the file name; name it with --format (known: {known})",
            path=path,
        )
    if best.name == "pubannotation" and name.endswith(".json") and _bioc_json(p):
        return _REGISTRY["bioc-json"]
    return best


#: How a BioC JSON collection (or PubTator3's export) starts: a list of documents under one of
#: these keys, within the first few kilobytes.
_BIOC_JSON = re.compile(rb'"(?:PubTator3|documents)"\s*:\s*\[')


def _bioc_json(path: Path) -> bool:
    """Whether a ``.json`` file is BioC JSON (``{"documents": [...]}``, PubTator3's
    ``{"PubTator3": [...]}``) rather than PubAnnotation, from its first 64 KB."""
    try:
        with open(path, "rb") as f:
            head = f.read(1 << 16)
    except OSError:
        return False
    return bool(_BIOC_JSON.search(head)) and b'"denotations"' not in head


def read(path: str | Path, format: str | None = None, **options) -> Iterator[Document]:
    """Read the documents of ``path`` with the reader :func:`resolve` picks.

    >>> next(read("no/such/file.PubTator.txt"))
    Traceback (most recent call last):
    ...
    kgraph.errors.FormatError: no/such/file.PubTator.txt: no such file or folder
    """
    if not Path(path).exists():
        raise FormatError("no such file or folder", path=path)
    return resolve(path, format).read(path, **options)
