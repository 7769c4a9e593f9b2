"""Named, parameterised SPARQL queries shipped with kgraph: the questions researchers ask first.

Each query is a ``.rq`` file in this folder whose header comments say what it is::

    # title: Mechanism chains from a compound
    # description: How a compound is said to work …
    #   (a description may go on over indented comment lines)
    # param: compound (entity) — the compound to start from
    # param: target (entity, optional) — only chains through this entity
    # param: min_documents (integer, default 2) — how many documents at least

A parameter's type says how a value given as text becomes an RDF term: ``entity`` names resolve
to IRIs through :func:`kgraph.query.resolve` (label, synonym, CURIE or IRI), ``term`` is a
``kgo:`` vocabulary term by local name (``Preclinical``, ``antagonistOf``), ``integer``,
``boolean`` and ``string`` become literals. Values are bound by :func:`kgraph.sparql.bind`, the one way kgraph
gives a query parameters (a ``VALUES`` clause in the query's outermost group), so an optional
parameter that is not given is simply an unbound variable. The files declare their prefixes, so
they run unchanged on any SPARQL 1.1 endpoint. Files whose name starts with ``_`` are the query
layer's own queries (:func:`kgraph.query.internal`), not named queries.

>>> from kgraph import load
>>> kg = load()
>>> "mechanism-chains" in named_queries()
True
>>> rows = run_named(kg.store, "mechanism-chains", compound="arketamine").dicts()
>>> any("BDNF–TrkB signaling" in r["chain"] for r in rows)
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pyoxigraph as ox

from ..errors import KGraphError
from ..query import resolve, to_term
from ..sparql import bind
from ..store import QueryResult, Store

__all__ = [
    "PARAM_TYPES",
    "NamedQuery",
    "Param",
    "bindings",
    "markdown_table",
    "named_queries",
    "parse_named_query",
    "run_named",
]

#: Parameter types and what a value of each becomes.
PARAM_TYPES: dict[str, str] = {
    "entity": "an entity named by label, synonym, CURIE or IRI (resolved to its IRI)",
    "term": "a kgo: vocabulary term by local name, e.g. Preclinical or antagonistOf",
    "string": "a plain string literal",
    "integer": "an xsd:integer literal",
    "boolean": "true or false",
}

_KGO = "https://w3id.org/kgraph/ontology#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_FIELD = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<spec>[^)]*)\)\s*(?:[—–-]+\s*(?P<text>.*))?$"
)
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    type: str
    description: str = ""
    optional: bool = False
    default: str | None = None

    @property
    def required(self) -> bool:
        return not self.optional and self.default is None

    def signature(self) -> str:
        """``name (type)``, ``name (type, optional)`` or ``name (type, default 2)``.

        >>> Param("k", "integer", default="2").signature()
        'k (integer, default 2)'
        """
        extra = f", default {self.default}" if self.default is not None else ""
        extra = extra or (", optional" if self.optional else "")
        return f"{self.name} ({self.type}{extra})"


@dataclass(frozen=True)
class NamedQuery:
    """A named query: its ``name`` (the file stem), ``title``, ``description``, ``params`` and
    SPARQL ``text`` (header included: comments are valid SPARQL).

    >>> q = named_queries()["claims-about"]
    >>> q.title, q.param("entity").type
    ('Everything claimed about an entity', 'entity')
    """

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise KGraphError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")


def parse_named_query(name: str, text: str) -> NamedQuery:
    """Read a named query's header; :class:`KGraphError` when it is incomplete or malformed.

    >>> q = parse_named_query("x", '''# title: X
    ... # description: What X answers,
    ... #   over two lines.
    ... # param: who (entity) — whom to ask about
    ... SELECT * WHERE { ?who ?p ?o }''')
    >>> q.title, q.description, q.params[0].signature()
    ('X', 'What X answers, over two lines.', 'who (entity)')
    """
    if not _NAME.match(name):
        raise KGraphError(f"named query {name!r}: names are lower case words joined by '-'")
    fields: dict[str, list[str]] = {"title": [], "description": []}
    params: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break  # the header ends at the first line of SPARQL
            current = None
            continue
        m = _FIELD.match(stripped)
        if m:
            key, value = m.groups()
            if key == "param":
                params.append([value])
                current = params[-1]
            else:
                if fields[key]:
                    raise KGraphError(f"named query {name!r}: more than one '# {key}:' line")
                fields[key].append(value)
                current = fields[key]
        elif current is not None and line.startswith("#  "):
            current.append(stripped.lstrip("#").strip())
        else:
            current = None
    title = " ".join(fields["title"]).strip()
    description = " ".join(fields["description"]).strip()
    if not title or not description:
        missing = "title" if not title else "description"
        raise KGraphError(f"named query {name!r} has no '# {missing}:' line")
    parsed = tuple(_parse_param(name, " ".join(p)) for p in params)
    seen = [p.name for p in parsed]
    if len(set(seen)) != len(seen):
        raise KGraphError(f"named query {name!r} declares a parameter twice")
    return NamedQuery(name, title, description, parsed, text)


def _parse_param(query: str, spec: str) -> Param:
    m = _PARAM.match(spec.strip())
    if not m:
        raise KGraphError(
            f"named query {query!r}: cannot read '# param: {spec}' "
            "(expected 'name (type[, optional][, default VALUE]) — description')"
        )
    parts = [s.strip() for s in m["spec"].split(",") if s.strip()]
    if not parts or parts[0] not in PARAM_TYPES:
        raise KGraphError(
            f"named query {query!r}: parameter {m['name']!r} has no known type "
            f"(one of {', '.join(PARAM_TYPES)})"
        )
    optional, default = False, None
    for extra in parts[1:]:
        if extra == "optional":
            optional = True
        elif extra.startswith("default "):
            default = extra[len("default ") :].strip()
        else:
            raise KGraphError(f"named query {query!r}: unknown parameter option {extra!r}")
    return Param(m["name"], parts[0], (m["text"] or "").strip(), optional, default)


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every named query shipped with kgraph, by name (sorted).

    >>> named_queries()["evidence-for-edge"].params[0].name
    'subject'
    """
    found = {}
    folder = resources.files(__name__)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq") and not entry.name.startswith("_"):
            name = entry.name[: -len(".rq")]
            found[name] = parse_named_query(name, entry.read_text(encoding="utf-8"))
    return found


def _get(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise KGraphError(
            f"no named query {name!r} (known: {', '.join(queries)}; `kgraph query --list`)"
        )
    return queries[name]


def _term(store: Store, param: Param, value: object) -> ox.NamedNode | ox.Literal:
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    text = str(value).strip()
    if param.type == "entity":
        return ox.NamedNode(resolve(store, text))
    if param.type == "term":
        if "://" in text or ":" in text:
            term = to_term(text)
            if isinstance(term, ox.NamedNode):
                return term
        if not re.match(r"^[A-Za-z][A-Za-z0-9_]*$", text):
            raise KGraphError(f"{param.name}: {text!r} is not a kgo: term name")
        return ox.NamedNode(_KGO + text)
    if param.type == "integer":
        try:
            number = int(text) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None:
            raise KGraphError(f"{param.name}: {text!r} is not an integer")
        return ox.Literal(str(number), datatype=ox.NamedNode(_XSD + "integer"))
    if param.type == "boolean":
        flag = {"true": "true", "1": "true", "yes": "true", "false": "false", "0": "false"}
        if text.lower() not in flag and not isinstance(value, bool):
            raise KGraphError(f"{param.name}: {text!r} is not true or false")
        word = ("true" if value else "false") if isinstance(value, bool) else flag[text.lower()]
        return ox.Literal(word, datatype=ox.NamedNode(_XSD + "boolean"))
    return ox.Literal(text)


def bindings(store: Store, name: str, params: Mapping[str, object]) -> dict[str, object]:
    """The terms a named query's parameters take: values converted by type, defaults filled in.

    :class:`KGraphError` for an unknown query or parameter, a missing required parameter, an
    entity that nothing is called, or a value of the wrong type.

    >>> from kgraph import load
    >>> terms = bindings(load().store, "corroborated-claims", {})
    >>> terms["min_documents"].value
    '2'
    """
    query = _get(name)
    for key in params:
        query.param(key)  # raises for an unknown parameter
    subs: dict[str, object] = {}
    for p in query.params:
        value = params.get(p.name)
        if value is None or value == "":
            if p.default is not None:
                value = p.default
            elif p.optional:
                continue
            else:
                raise KGraphError(f"query {name!r} needs --param {p.name}=… ({p.description})")
        subs[p.name] = _term(store, p, value)
    return subs


def run_named(store: Store, name: str, **params: object) -> QueryResult:
    """Run the named query ``name`` on ``store`` with ``params`` (see :func:`bindings`).

    >>> from kgraph import load
    >>> r = run_named(load().store, "document-contributions")
    >>> len(r.rows)
    4
    """
    return store.query(bind(_get(name).text, bindings(store, name, params)))


def markdown_table() -> str:
    """The named queries as a Markdown table (the README embeds it between markers).

    >>> markdown_table().splitlines()[0]
    '| query | what it answers | parameters |'
    """
    lines = ["| query | what it answers | parameters |", "|---|---|---|"]
    for q in named_queries().values():
        params = "<br>".join(f"`{p.signature()}`" for p in q.params) or "—"
        lines.append(f"| `{q.name}` | **{q.title}.** {q.description} | {params} |")
    return "\n".join(lines) + "\n"
