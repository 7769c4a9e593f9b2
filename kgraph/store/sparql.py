r"""Small, token-aware rewrites of SPARQL text that every backend shares.

:func:`bind` gives query parameters values by adding ``VALUES ?name { term }`` as the first thing
in the outermost group pattern, so the value is in scope for every pattern, ``FILTER`` and
projection of the query (pyoxigraph's own substitutions only accept projected variables, and
remote endpoints have none).

>>> import pyoxigraph as ox
>>> print(bind('SELECT ?s WHERE { ?s ?p ?o FILTER(?o = ?x) }', {"x": ox.Literal("a{b")}))
SELECT ?s WHERE { VALUES ?x { "a{b" } ?s ?p ?o FILTER(?o = ?x) }
>>> bind('PREFIX e: <http://e/> # {not here}\nASK { ?s e:p ?v }', {"v": ox.NamedNode("http://e/1")})
'PREFIX e: <http://e/> # {not here}\nASK { VALUES ?v { <http://e/1> } ?s e:p ?v }'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from ..errors import QueryError

__all__ = ["bind", "outer_brace"]

_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _scan(sparql: str, start: int = 0):
    """Yield ``(index, char)`` of the characters outside strings, IRIs and comments."""
    i, n = start, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j + 1
        elif c in "'\"":
            quote = c * 3 if sparql.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            i = j + len(quote)
        elif c == "<" and (m := _IRI.match(sparql, i)):
            i = m.end()
        else:
            yield i, c
            i += 1


_CONSTRUCT = re.compile(r"\bCONSTRUCT\s*$", re.IGNORECASE)


def outer_brace(sparql: str) -> int:
    """The index of the ``{`` that opens the query's outermost group pattern (-1 if none).

    Strings, IRIs and comments are skipped, so braces inside them do not count; the template of
    a ``CONSTRUCT { … } WHERE { … }`` is skipped too.

    >>> q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    >>> q[outer_brace(q):]
    '{ ?s ?p ?o }'
    """
    depth = 0
    template = False
    for i, c in _scan(sparql):
        if c == "{":
            if depth == 0 and not template:
                outside = "".join(ch for _, ch in _scan(sparql[:i]))
                if _CONSTRUCT.search(outside) and not re.search(
                    r"\bWHERE\s*$", outside, re.IGNORECASE
                ):
                    template = True
                    depth = 1
                    continue
                return i
            depth += 1
        elif c == "}" and template:
            depth -= 1
            if depth == 0:
                template = False
    return -1


def bind(sparql: str, bindings: Mapping[str, object] | None) -> str:
    """``sparql`` with each variable of ``bindings`` (name → pyoxigraph term) given its value."""
    if not bindings:
        return sparql
    at = outer_brace(sparql)
    if at < 0:
        raise QueryError("cannot bind parameters: the query has no group pattern { … }")
    values = []
    for name, term in bindings.items():
        name = name.value if isinstance(name, ox.Variable) else str(name).lstrip("?$")
        if not _NAME.match(name):
            raise QueryError(f"not a variable name: {name!r}")
        if not isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
            raise QueryError(f"the value of ?{name} must be an RDF term, not {type(term).__name__}")
        values.append(f"VALUES ?{name} {{ {term} }}")
    return f"{sparql[: at + 1]} {' '.join(values)}{sparql[at + 1 :]}"
