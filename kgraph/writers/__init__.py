"""Writers back to annotation tools, one module per format, in a registry keyed by format name.

The mirror of :mod:`kgraph.formats`: each writer module calls :func:`register` at import time
with its name, the file-name ending it writes and a ``write(documents, path, **options)`` function
that writes :class:`kgraph.model.Document` objects and returns the paths it wrote. The documents
usually come from a graph (:func:`kgraph.writers.graph.documents`), so that what ``kgraph build``
made can be reviewed in brat, INCEpTION or any BioC / PubAnnotation tool and read back.

>>> sorted(writers())
['bioc-json', 'bioc-xml', 'brat', 'pubannotation']
>>> writers()["brat"].suffix
''
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import FormatError
from ..model import Document
from .graph import ExportReport, documents

__all__ = ["Writer", "register", "write", "write_store", "writers"]

_MODULES = ("brat", "bioc", "pubannotation")


@dataclass(frozen=True)
class Writer:
    """A registered writer: its name, what it writes, and its ``write`` function.

    >>> writers()["bioc-xml"].suffix
    '.bioc.xml'
    """

    name: str
    write: Callable[..., list[Path]]
    suffix: str = ""  # "" for a folder
    description: str = ""


_REGISTRY: dict[str, Writer] = {}
_loaded = False


def register(
    name: str, write: Callable[..., list[Path]], *, suffix: str = "", description: str = ""
) -> None:
    """Add (or replace) the writer called ``name`` (each writer module calls it when imported).

    >>> register("null", lambda documents, path, **_: [], description="writes nothing")
    >>> write([], "x", "null")
    []
    >>> del _REGISTRY["null"]
    """
    _REGISTRY[name] = Writer(name, write, suffix, description)


def writers() -> dict[str, Writer]:
    """Every registered writer, by name.

    >>> writers()["brat"].description
    'brat standoff + manifest.toml + annotation.conf (a folder)'
    """
    global _loaded
    if not _loaded:
        _loaded = True
        for module in _MODULES:
            importlib.import_module(f"{__name__}.{module}")
    return dict(_REGISTRY)


def write(documents: Iterable[Document], path: str | Path, format: str, **options) -> list[Path]:
    """Write ``documents`` to ``path`` in ``format``; the paths written.

    >>> write([], "out", "doc")
    Traceback (most recent call last):
    ...
    kgraph.errors.FormatError: out: unknown export format 'doc' (known: bioc-json, bioc-xml, brat, pubannotation)
    """
    known = writers()
    if format not in known:
        names = ", ".join(sorted(known))
        raise FormatError(f"unknown export format {format!r} (known: {names})", path=path)
    return known[format].write(documents, Path(path), **options)


def write_store(store, path: str | Path, format: str, **options) -> tuple[list[Path], object]:
    """Write the documents of ``store``'s graph; the paths and an :class:`ExportReport`.

    >>> import tempfile, pathlib
    >>> from kgraph import load
    >>> paths, report = write_store(load().store, pathlib.Path(tempfile.mkdtemp()) / "x.json",
    ...                             "pubannotation")
    >>> report.documents, not report.skipped
    (4, True)
    """
    report = ExportReport()
    return write(documents(store, report=report), path, format, report=report, **options), report
