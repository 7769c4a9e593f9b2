"""Query results in one shape for every backend, and their SPARQL 1.1 serialisations.

Cells are pyoxigraph terms (``NamedNode``, ``BlankNode``, ``Literal``) or ``None`` when unbound.

>>> from pyoxigraph import Literal, NamedNode
>>> r = QueryResult(["s", "n"], [(NamedNode("http://e/a"), Literal("1"))])
>>> print(r.serialize("csv").decode().strip())
s,n
http://e/a,1
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import pyoxigraph as ox

__all__ = ["QueryResult", "term_text", "term_to_python"]

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")


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

    def serialize(self, format: str = "json") -> bytes:
        """SPARQL 1.1 results as ``json``, ``xml``, ``csv`` or ``tsv`` (graphs: ``nt``/``ttl``)."""
        if self.triples is not None:
            fmt = ox.RdfFormat.TURTLE if format in ("ttl", "turtle") else ox.RdfFormat.N_TRIPLES
            return ox.serialize(self.triples, format=fmt) or b""
        if format == "csv":
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\r\n")
            if self.boolean is not None:
                w.writerow(["_askResult"])
                w.writerow(["true" if self.boolean else "false"])
            else:
                w.writerow(self.variables)
                w.writerows([["" if t is None else t.value for t in row] for row in self.rows])
            return buf.getvalue().encode()
        if format == "tsv":
            if self.boolean is not None:
                return ("true\n" if self.boolean else "false\n").encode()
            lines = ["\t".join("?" + v for v in self.variables)]
            lines += ["\t".join("" if t is None else str(t) for t in row) for row in self.rows]
            return ("\n".join(lines) + "\n").encode()
        if format == "json":
            if self.boolean is not None:
                return json.dumps({"head": {}, "boolean": self.boolean}).encode()
            bindings = [
                {
                    v: _json_term(t)
                    for v, t in zip(self.variables, row, strict=True)
                    if t is not None
                }
                for row in self.rows
            ]
            return json.dumps(
                {"head": {"vars": self.variables}, "results": {"bindings": bindings}},
                ensure_ascii=False,
            ).encode()
        if format == "xml":
            return _xml(self)
        raise ValueError(f"unknown result format {format!r} (known: json, xml, csv, tsv)")


def _json_term(t) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = t.datatype.value
    return out


def _xml(r: QueryResult) -> bytes:
    from xml.sax.saxutils import escape, quoteattr

    parts = [
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
        "<head>",
    ]
    parts += [f"<variable name={quoteattr(v)}/>" for v in r.variables]
    parts.append("</head>")
    if r.boolean is not None:
        parts.append(f"<boolean>{'true' if r.boolean else 'false'}</boolean>")
    else:
        parts.append("<results>")
        for row in r.rows:
            parts.append("<result>")
            for v, t in zip(r.variables, row, strict=True):
                if t is None:
                    continue
                j = _json_term(t)
                if j["type"] == "uri":
                    inner = f"<uri>{escape(t.value)}</uri>"
                elif j["type"] == "bnode":
                    inner = f"<bnode>{escape(t.value)}</bnode>"
                else:
                    attr = ""
                    if "xml:lang" in j:
                        attr = f" xml:lang={quoteattr(j['xml:lang'])}"
                    elif "datatype" in j:
                        attr = f" datatype={quoteattr(j['datatype'])}"
                    inner = f"<literal{attr}>{escape(t.value)}</literal>"
                parts.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
            parts.append("</result>")
        parts.append("</results>")
    parts.append("</sparql>")
    return "\n".join(parts).encode()


_XSD = "http://www.w3.org/2001/XMLSchema#"


def term_to_python(t) -> object:
    """A plain Python value for a term: IRIs and strings as ``str``, numbers and booleans typed."""
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
    """A short readable form of a term for tables: the IRI or the literal's text."""
    return "" if t is None else t.value
