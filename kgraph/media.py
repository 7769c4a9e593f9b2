"""Formats and media types: what pyoxigraph's ``RdfFormat`` and ``QueryResultsFormat`` know, and
HTTP content negotiation over them.

No table of extensions or media types is kept here: a format is found by pyoxigraph from its
media type or file extension, or by its name written without punctuation (``turtle``,
``ntriples``, ``rdfxml``, ``jsonld``), and writes itself with pyoxigraph's serialisers.

>>> rdf_format("ttl").media_type, rdf_format("text/turtle").name, rdf_format("nquads").file_extension
('text/turtle', 'Turtle', 'nq')
>>> results_format("csv").media_type
'text/csv; charset=utf-8'
>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_MEDIA_TYPES)
'application/sparql-results+xml'
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from .errors import KGraphError

__all__ = [
    "GRAPH_FORMATS",
    "GRAPH_MEDIA_TYPES",
    "RESULTS_FORMATS",
    "RESULT_MEDIA_TYPES",
    "UnknownFormat",
    "format_names",
    "media_type",
    "negotiate",
    "rdf_format",
    "results_format",
]

#: The SPARQL results formats, in the order a server prefers them.
RESULTS_FORMATS: tuple[ox.QueryResultsFormat, ...] = (
    ox.QueryResultsFormat.JSON,
    ox.QueryResultsFormat.XML,
    ox.QueryResultsFormat.CSV,
    ox.QueryResultsFormat.TSV,
)
#: The RDF formats a graph (CONSTRUCT, DESCRIBE, an export) is written in, Turtle first.
GRAPH_FORMATS: tuple[ox.RdfFormat, ...] = (
    ox.RdfFormat.TURTLE,
    ox.RdfFormat.N_TRIPLES,
    ox.RdfFormat.RDF_XML,
    ox.RdfFormat.JSON_LD,
    ox.RdfFormat.N_QUADS,
    ox.RdfFormat.TRIG,
)


class UnknownFormat(KGraphError, ValueError):
    """A format name, extension or media type that no pyoxigraph format answers to.

    >>> isinstance(UnknownFormat("docx"), ValueError)
    True"""


def media_type(fmt: ox.RdfFormat | ox.QueryResultsFormat) -> str:
    """The format's media type without parameters.

    >>> media_type(ox.QueryResultsFormat.TSV)
    'text/tab-separated-values'
    """
    return fmt.media_type.split(";", 1)[0].strip()


#: Media types offered for SELECT / ASK results and for graphs, in preference order. The extra
#: names are the ones pyoxigraph itself reads as the same format (``application/json``…).
RESULT_MEDIA_TYPES: list[str] = [media_type(f) for f in RESULTS_FORMATS] + [
    "application/json",
    "application/xml",
    "text/xml",
]
GRAPH_MEDIA_TYPES: list[str] = [media_type(f) for f in GRAPH_FORMATS[:4]] + ["text/plain"]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _find(kind, formats, name: str):
    text = name.strip()
    if "/" in text:
        found = kind.from_media_type(text)
        if found is not None:
            return found
    found = kind.from_extension(text.lstrip(".").lower()) if text else None
    if found is not None:
        return found
    for fmt in formats:
        if _key(text) in (_key(fmt.name), _key(fmt.name.removeprefix("SPARQL Results in "))):
            return fmt
    return None


def rdf_format(name: str | ox.RdfFormat) -> ox.RdfFormat:
    """The RDF format ``name`` means: a media type, a file extension or the format's name.

    >>> rdf_format("application/rdf+xml") == ox.RdfFormat.RDF_XML, rdf_format("N-Triples").name
    (True, 'N-Triples')
    >>> rdf_format("docx")
    Traceback (most recent call last):
    ...
    kgraph.media.UnknownFormat: unknown RDF format 'docx' (known: ttl, nt, rdf, jsonld, nq, trig)
    """
    if isinstance(name, ox.RdfFormat):
        return name
    found = _find(ox.RdfFormat, (*GRAPH_FORMATS, ox.RdfFormat.N3), name)
    if found is None:
        raise UnknownFormat(f"unknown RDF format {name!r} (known: {format_names(GRAPH_FORMATS)})")
    return found


def results_format(name: str | ox.QueryResultsFormat) -> ox.QueryResultsFormat:
    """The SPARQL results format ``name`` means (``json``, ``xml``, ``csv``, ``tsv``, a media
    type or an extension such as ``srj``).

    >>> results_format("json") == ox.QueryResultsFormat.JSON, results_format("text/xml").name
    (True, 'SPARQL Results in XML')
    """
    if isinstance(name, ox.QueryResultsFormat):
        return name
    found = _find(ox.QueryResultsFormat, RESULTS_FORMATS, name)
    if found is None:
        raise UnknownFormat(
            f"unknown results format {name!r} (known: json, xml, {format_names(RESULTS_FORMATS[2:])})"
        )
    return found


def format_names(formats) -> str:
    """The formats' file extensions, comma-separated (for messages and help texts).

    >>> format_names(RESULTS_FORMATS)
    'srj, srx, csv, tsv'
    """
    return ", ".join(f.file_extension for f in formats)


def negotiate(accept: str | None, offered: list[str], fallback: str | None = None) -> str | None:
    """The offered media type the ``Accept`` header prefers (``None``: none is acceptable).

    Each offered type takes the quality of the most specific range that matches it; ties go to
    the order of ``offered``. No header (or only ``*/*``) gives ``fallback`` or the first offered.

    >>> negotiate("image/png", GRAPH_MEDIA_TYPES) is None
    True
    >>> negotiate(None, GRAPH_MEDIA_TYPES)
    'text/turtle'
    """
    if not accept or accept.strip() in ("*/*", "*"):
        return fallback or offered[0]
    ranges: list[tuple[str, str, float]] = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind = fields[0].lower()
        if "/" not in kind:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        major, minor = kind.split("/", 1)
        ranges.append((major, minor, q))
    best, best_q = None, 0.0
    for candidate in offered:
        major, minor = candidate.split("/", 1)
        found, specificity = None, -1
        for rmajor, rminor, q in ranges:
            if (rmajor, rminor) == (major, minor):
                level = 2
            elif rmajor == major and rminor == "*":
                level = 1
            elif (rmajor, rminor) == ("*", "*"):
                level = 0
            else:
                continue
            if level > specificity:
                found, specificity = q, level
        if found is not None and found > best_q:
            best, best_q = candidate, found
    return best
