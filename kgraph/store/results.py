"""Query results in one shape for every backend, and their SPARQL 1.1 serialisations.

Cells are pyoxigraph terms (``NamedNode``, ``BlankNode``, ``Literal``) or ``None`` when unbound.

>>> from pyoxigraph import Literal, NamedNode
>>> r = QueryResult(["s", "n"], [(NamedNode("http://e/a"), Literal("1"))])
>>> print(r.serialize("csv").decode().strip())
s,n
http://e/a,1
"""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson
import pyoxigraph as ox

from ..media import rdf_format, results_format
from ..vocab import PREFIXES

__all__ = ["RESULT_FORMATS", "QueryResult", "term_text", "term_to_python"]

#: The names `kgraph query --format` takes: a terminal table, or a SPARQL 1.1 results format that
#: pyoxigraph serialises (see :func:`kgraph.media.results_format`).
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")

_PREFIXED = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)


@dataclass
class QueryResult:
    """A SELECT's ``variables`` and ``rows``, an ASK's ``boolean``, or a CONSTRUCT's ``triples``."""

    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None

    @property
    def kind(self) -> str:
        if self.boolean is not None:
            return "ask"
        if self.triples is not None:
            return "graph"
        return "select"

    def __len__(self) -> int:
        if self.triples is not None:
            return len(self.triples)
        return len(self.rows)

    def dicts(self) -> list[dict[str, object]]:
        """Rows as dicts of plain Python values (str, int, float, bool, or None)."""
        return [
            {v: term_to_python(t) for v, t in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]

    @classmethod
    def from_oxigraph(cls, result) -> QueryResult:
        if isinstance(result, ox.QueryBoolean):
            return cls(boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            return cls(names, [tuple(sol[v] for v in names) for sol in result])
        return cls(triples=list(result))

    def serialize(self, format: str | ox.QueryResultsFormat | ox.RdfFormat = "json") -> bytes:
        """The result written by pyoxigraph: SELECT and ASK as a SPARQL results format (``json``,
        ``xml``, ``csv``, ``tsv``), a graph as an RDF format (``nt``, ``ttl``, …; see
        :mod:`kgraph.media`). Blank nodes are written as ``_:`` terms in every format.

        >>> QueryResult(boolean=True).serialize("tsv")
        b'true'
        >>> QueryResult(["b"], [(ox.BlankNode("x1"),)]).serialize("csv")
        b'b\\r\\n_:x1\\r\\n'
        """
        if self.triples is not None:
            fmt = rdf_format(format if format != "json" else "jsonld")
            options = {"prefixes": PREFIXES} if fmt in _PREFIXED else {}
            return ox.serialize(self.triples, format=fmt, **options) or b""
        fmt = results_format(format)
        return self.to_oxigraph().serialize(format=fmt) or b""

    def to_oxigraph(self) -> ox.QuerySolutions | ox.QueryBoolean:
        """The result as pyoxigraph's own result object (to serialise it, or iterate it).

        >>> [s["n"].value for s in QueryResult(["n"], [(ox.Literal("1"),)]).to_oxigraph()]
        ['1']
        """
        if self.boolean is not None:
            document = {"head": {}, "boolean": self.boolean}
        else:
            document = {
                "head": {"vars": self.variables},
                "results": {
                    "bindings": [
                        {
                            v: _json_term(t)
                            for v, t in zip(self.variables, row, strict=True)
                            if t is not None
                        }
                        for row in self.rows
                    ]
                },
            }
        return ox.parse_query_results(orjson.dumps(document), format=ox.QueryResultsFormat.JSON)


def _json_term(t) -> dict[str, str]:
    """A term as the SPARQL JSON results format writes it (read back by pyoxigraph)."""
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value != _XSD + "string":
        out["datatype"] = t.datatype.value
    return out


_XSD = "http://www.w3.org/2001/XMLSchema#"


def term_to_python(t) -> object:
    """A plain Python value for a term: IRIs and strings as ``str``, numbers and booleans typed.

    >>> term_to_python(ox.Literal(3)), term_to_python(ox.NamedNode("http://e/a"))
    (3, 'http://e/a')
    """
    if t is None:
        return None
    if isinstance(t, ox.Literal):
        dt = t.datatype.value
        try:
            if dt in (_XSD + "integer", _XSD + "int", _XSD + "long", _XSD + "nonNegativeInteger"):
                return int(t.value)
            if dt in (_XSD + "decimal", _XSD + "double", _XSD + "float"):
                return float(t.value)
            if dt == _XSD + "boolean":
                return t.value in ("true", "1")
        except ValueError:
            return t.value
    return t.value


def term_text(t) -> str:
    """A short readable form of a term for tables: the IRI or the literal's text.

    >>> term_text(ox.Literal("ketamine", language="en")), term_text(None)
    ('ketamine', '')
    """
    return "" if t is None else t.value
