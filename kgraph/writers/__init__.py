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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import FormatError
from ..model import Document, Relation

__all__ = [
    "Writer",
    "mention_relations",
    "register",
    "relation_attributes",
    "write",
    "write_store",
    "writers",
]

_MODULES = ("brat", "bioc", "pubannotation")


@dataclass(frozen=True)
class Writer:
    """A registered writer: its name, what it writes, and its ``write`` function."""

    name: str
    write: Callable[..., list[Path]]
    suffix: str = ""  # "" for a folder
    description: str = ""


_REGISTRY: dict[str, Writer] = {}
_loaded = False


def register(
    name: str, write: Callable[..., list[Path]], *, suffix: str = "", description: str = ""
) -> None:
    """Add (or replace) the writer called ``name``."""
    _REGISTRY[name] = Writer(name, write, suffix, description)


def writers() -> dict[str, Writer]:
    """Every registered writer, by name."""
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
    """Write the documents of ``store``'s graph; the paths and an :class:`ExportReport`."""
    from .graph import ExportReport, documents

    report = ExportReport()
    return write(documents(store, report=report), path, format, report=report, **options), report


def mention_relations(doc: Document, report=None) -> Iterator[Relation]:
    """The relations of ``doc`` between mentions; one between concepts is counted in ``report``."""
    for r in doc.relations:
        if not r.by_concept:
            yield r
        elif report is not None:
            report.warn(
                "document-level relation", f"{doc.id}: {r.id} ({r.type}) holds between concepts"
            )


#: Relation fields written as attributes, by the name every kgraph reader takes (brat's).
VALUED = (
    ("Certainty", "certainty"),
    ("EvidenceLevel", "evidence_level"),
    ("Comparison", "comparison"),
    ("Degree", "degree"),
    ("Mediation", "mediation"),
    ("Confidence", "confidence"),
)
FLAGS = (("Negated", "negated"), ("ResearchQuestion", "question"), ("Proposed", "proposed"))


def relation_attributes(r: Relation) -> Iterator[tuple[str, str | None]]:
    """The attributes of a relation: (name, value), value ``None`` for a flag.

    >>> list(relation_attributes(Relation("R1", "treats", "T1", "T2", negated=True,
    ...     certainty="Hedged", evidence_level="Review")))
    [('Negated', None), ('Certainty', 'Hedged'), ('EvidenceLevel', 'Review')]
    """
    done = set()
    for name, attr in FLAGS:
        if getattr(r, attr, False):
            done.add(name)
            yield name, None
    for name, attr in VALUED:
        value = getattr(r, attr, None)
        if value and not (name == "Certainty" and value == "Asserted"):
            done.add(name)
            yield name, value
    for key, value in sorted(r.attributes.items()):
        if key in done or key in ("note", "comparator", "mediator"):
            continue
        if key.startswith(("role:", "__", "kgraph:")):  # the reader's or replay's, not the source's
            continue
        yield key, None if value == "true" else value


def relation_note(r: Relation) -> str | None:
    """The annotator's note of a relation (several notes are lines of one text)."""
    return getattr(r, "note", None) or r.attributes.get("note") or None


def qualifying(r: Relation) -> Iterator[tuple[str, str]]:
    """The comparator and mediator of a relation: (``comparator``|``mediator``, mention id)."""
    for kind in ("comparator", "mediator"):
        ref = getattr(r, kind, None)
        if ref:
            yield kind, ref
