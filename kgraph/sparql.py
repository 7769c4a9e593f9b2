r"""SPARQL text: the one tokenizer kgraph has, and what is read from its tokens.

Every place that needs to know something about a query's text asks this module: its form
(:func:`query_form`), the prefixes it declares (:func:`prefixes`), where its outermost group
pattern opens (:func:`outer_brace`), parameters given values safely (:func:`bind`, a ``VALUES``
block, never string pasting), a Python value written as an RDF term (:func:`term`), and whether a
server must refuse it (:func:`refused`: ``SERVICE`` and ``LOAD`` reach other servers).

The tokenizer follows the terminals of the SPARQL 1.1 grammar (§19.8): IRIs, prefixed names with
their ``\``-escapes and inner dots, blank node labels, variables, language tags, numbers, the four
string forms, comments and punctuation. Text it cannot read is an error, not a guess, and
:func:`refused` treats such text as refused (it fails closed).

>>> [t.text for t in tokens('ASK { ?s kg:a\\#b "x"@en.SERVICE }') if t.kind != "ws"]
['ASK', '{', '?s', 'kg:a\\#b', '"x"', '@en', '.', 'SERVICE', '}']
>>> query_form("PREFIX ex: <http://e/> CONSTRUCT WHERE { ?s ?p ?o }")
'construct'
>>> refused("SELECT * { ?s ?p true.SERVICE <http://h/> { ?a ?b ?c } }")
'SERVICE'
>>> import pyoxigraph as ox
>>> print(bind("SELECT ?s WHERE { ?s ?p ?o }", o=ox.Literal("a}b")))
SELECT ?s WHERE { VALUES ?o { "a}b" } ?s ?p ?o }
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import QueryError

__all__ = [
    "REFUSED",
    "SparqlTextError",
    "Token",
    "bind",
    "dataset_clauses",
    "outer_brace",
    "prefixes",
    "query_form",
    "refused",
    "sub_selects",
    "term",
    "tokens",
    "unescape",
    "using",
]

#: Keywords a server refuses: both make the engine open a connection to another host.
REFUSED = ("SERVICE", "LOAD")

_FORMS = {"SELECT": "select", "CONSTRUCT": "construct", "ASK": "ask", "DESCRIBE": "describe"}
_UPDATES = frozenset(
    "INSERT DELETE LOAD CLEAR CREATE DROP COPY MOVE ADD WITH USING".split()
)  # fmt: skip

# -- the grammar's terminals (SPARQL 1.1 §19.8) -------------------------------------------------
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (
    f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_ECHAR = r"""\\[tbnrf\\"']|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"""
_EXPONENT = r"[eE][+-]?[0-9]+"

_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<ws>[ \t\r\n]+)",
            r"(?P<comment>#[^\r\n]*)",
            f"(?P<string>'''(?:(?:'|'')?(?:[^'\\\\]|{_ECHAR}))*'''"
            f'|"""(?:(?:"|"")?(?:[^"\\\\]|{_ECHAR}))*"""'
            f"|'(?:[^'\\\\\\n\\r]|{_ECHAR})*'"
            f'|"(?:[^"\\\\\\n\\r]|{_ECHAR})*")',
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
            f"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
            f"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
            f"(?P<var>[?$]{_VARNAME})",
            r"(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
            f"(?P<number>[0-9]+\\.[0-9]*{_EXPONENT}|\\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}"
            r"|[0-9]*\.[0-9]+|[0-9]+)",
            r"(?P<word>[A-Za-z][A-Za-z0-9_]*)",
            r"(?P<punct>\^\^|&&|\|\||!=|<=|>=|<<|>>|\{\||\|\}|[{}()\[\].,;*+\-/?!^|=<>~])",
        ]
    )
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NAME = re.compile(f"^{_VARNAME}$")


class SparqlTextError(QueryError):
    """Text that is not made of SPARQL tokens (the message names line and column).

    >>> isinstance(SparqlTextError("line 1, column 3: …"), ValueError)
    True"""


@dataclass(frozen=True)
class Token:
    """One token: its ``kind`` (``ws``, ``comment``, ``string``, ``iri``, ``pname``, ``bnode``,
    ``var``, ``lang``, ``number``, ``word``, ``punct``), its ``text`` and where it is.

    >>> next(tokens("ask")).kind
    'word'
    """

    kind: str
    text: str
    start: int
    end: int


def unescape(text: str) -> str:
    r"""``text`` with its ``\u``/``\U`` escapes decoded, as SPARQL does before parsing (§19.2).

    >>> unescape(r"\u0053ERVICE")
    'SERVICE'
    """

    def one(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group()

    return _ESCAPE.sub(one, text)


def tokens(text: str) -> Iterator[Token]:
    """Every token of ``text`` in order, spaces and comments included.

    :class:`SparqlTextError` at the first character that starts no token (an unclosed string,
    a stray backslash): nothing is skipped silently.

    >>> [t.kind for t in tokens("SELECT ?x{}")]
    ['word', 'ws', 'var', 'punct', 'punct']
    >>> list(tokens('ASK { "open }'))
    Traceback (most recent call last):
    ...
    kgraph.sparql.SparqlTextError: line 1, column 7: cannot read SPARQL here: '"open }'
    """
    i, n = 0, len(text)
    while i < n:
        m = _TOKEN.match(text, i)
        if m is None or m.end() == i:
            line = text.count("\n", 0, i) + 1
            column = i - (text.rfind("\n", 0, i) + 1) + 1
            raise SparqlTextError(
                f"line {line}, column {column}: cannot read SPARQL here: {text[i : i + 20]!r}"
            )
        kind = m.lastgroup or "punct"
        yield Token(kind, m.group(), i, m.end())
        i = m.end()


def _significant(text: str) -> Iterator[Token]:
    return (t for t in tokens(text) if t.kind not in ("ws", "comment"))


def query_form(text: str) -> str:
    """``select``, ``construct``, ``ask``, ``describe`` or ``update``: what the operation after the
    prologue is (``unknown`` when there is none, or the text is not SPARQL).

    >>> query_form("# CONSTRUCT\\nASK { ?s ?p 'SELECT' }"), query_form("WITH <g> DELETE {} WHERE {}")
    ('ask', 'update')
    """
    try:
        for t in _significant(text):
            if t.kind == "word":
                upper = t.text.upper()
                if upper in _FORMS:
                    return _FORMS[upper]
                if upper in _UPDATES:
                    return "update"
    except SparqlTextError:
        pass
    return "unknown"


def prefixes(text: str) -> dict[str, str]:
    """The prefixes the prologue of ``text`` declares (``PREFIX p: <iri>``), name → IRI.

    >>> prefixes("PREFIX ex: <http://e/> prefix : <http://d/> SELECT * { ?s ex:p ?o }")
    {'ex': 'http://e/', '': 'http://d/'}
    """
    found: dict[str, str] = {}
    seq = list(_significant(text))
    for a, b, c in zip(seq, seq[1:], seq[2:], strict=False):
        if (
            a.kind == "word"
            and a.text.upper() == "PREFIX"
            and b.kind == "pname"
            and c.kind == "iri"
        ):
            found[b.text[:-1]] = c.text[1:-1]
    return found


def outer_brace(text: str) -> int:
    """The index of the ``{`` that opens the query's outermost group pattern (-1 if none).

    Braces in strings, IRIs and comments do not count; a ``CONSTRUCT { template }`` is skipped,
    and so is an update's ``INSERT``/``DELETE`` template (the pattern follows ``WHERE``).

    >>> q = "CONSTRUCT { ?s ?p '{' } WHERE { ?s ?p ?o }"
    >>> q[outer_brace(q):]
    '{ ?s ?p ?o }'
    >>> q = "CONSTRUCT { ?s ?p ?o } { ?s ?p ?o FILTER(?o > 1) }"
    >>> q[outer_brace(q):]
    '{ ?s ?p ?o FILTER(?o > 1) }'
    """
    depth = 0
    form: str | None = None
    after_where = False
    top: list[int] = []
    for t in _significant(text):
        if t.kind == "word":
            upper = t.text.upper()
            if form is None and (upper in _FORMS or upper in _UPDATES):
                form = upper
            elif depth == 0 and upper == "WHERE":
                after_where = True
        elif t.text in ("{", "{|"):
            if depth == 0 and form is not None:
                if after_where:
                    return t.start
                top.append(t.start)
            depth += 1
        elif t.text in ("}", "|}"):
            depth = max(0, depth - 1)
    if form in ("SELECT", "ASK", "DESCRIBE") and top:
        return top[0]
    if form == "CONSTRUCT" and len(top) > 1:  # WHERE is optional after a template
        return top[1]
    return -1


def term(value: object) -> str:
    """``value`` written as a SPARQL term: pyoxigraph terms as themselves, ``bool``, ``int``,
    ``float`` and ``str`` as typed literals (a ``str`` is a literal, never an IRI).

    >>> term(ox.NamedNode("http://e/a")), term(3), term(True), term('say "hi"')
    ('<http://e/a>', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>', '"say \\\\"hi\\\\""')
    """
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return str(value)
    if isinstance(value, bool):
        return str(ox.Literal(value))
    if isinstance(value, int | float | str):
        return str(ox.Literal(value))
    raise QueryError(f"cannot write {type(value).__name__} {value!r} as an RDF term")


def bind(text: str, values: Mapping[str, object] | None = None, /, **named: object) -> str:
    """``text`` with each variable given one value: ``VALUES ?name { term }`` put first in the
    outermost group pattern, so the value is in scope for every pattern, ``FILTER`` and
    projection, and first in the pattern of every sub-SELECT that projects the variable by name
    (not as ``(… AS ?name)``, not with ``*``): such a subquery is then evaluated for that value
    only, so its ``LIMIT`` cuts the value's solutions rather than everyone's (a named query
    can take its 100 strongest rows for the entity asked about before looking anything else up).
    Values are written by :func:`term`; names must be variable names. No text is pasted into
    the query, so a value cannot change its shape. A list or tuple of values gives one solution
    per value; ``None`` leaves the variable unbound.

    >>> print(bind("ASK { ?e ?p ?o }", e=[ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b")], o=None))
    ASK { VALUES ?e { <http://e/a> <http://e/b> } ?e ?p ?o }
    >>> print(bind("SELECT * { { SELECT ?e ?o { ?e ?p ?o } LIMIT 1 } }", e=ox.NamedNode("http://e/a")))
    SELECT * { VALUES ?e { <http://e/a> } { SELECT ?e ?o { VALUES ?e { <http://e/a> } ?e ?p ?o } LIMIT 1 } }

    >>> print(bind("PREFIX e: <http://e/> # {here?}\\nASK { ?s e:p ?v }", v=ox.NamedNode("http://e/1")))
    PREFIX e: <http://e/> # {here?}
    ASK { VALUES ?v { <http://e/1> } ?s e:p ?v }
    >>> bind("ASK { ?s ?p ?o }", {"o; DROP ALL": 1})
    Traceback (most recent call last):
    ...
    kgraph.errors.QueryError: not a variable name: 'o; DROP ALL'
    """
    given = {k: v for k, v in {**(values or {}), **named}.items() if v is not None}
    if not given:
        return text
    at = outer_brace(text)
    if at < 0:
        raise QueryError("cannot bind parameters: the query has no group pattern { … }")
    blocks: dict[str, str] = {}
    for key, value in given.items():
        name = key.value if isinstance(key, ox.Variable) else str(key).lstrip("?$")
        if not _NAME.match(name):
            raise QueryError(f"not a variable name: {name!r}")
        many = value if isinstance(value, list | tuple) else [value]
        blocks[name] = f"VALUES ?{name} {{ {' '.join(term(v) for v in many)} }}"
    inserts = [(at, list(blocks.values()))]
    for brace, projected in sub_selects(text):
        inside = [block for name, block in blocks.items() if name in projected]
        if inside:
            inserts.append((brace, inside))
    for brace, inside in sorted(inserts, reverse=True):
        text = f"{text[: brace + 1]} {' '.join(inside)}{text[brace + 1 :]}"
    return text


def sub_selects(text: str) -> list[tuple[int, frozenset[str]]]:
    """Each sub-SELECT of ``text``: the index of the ``{`` that opens its pattern, and the
    variables it projects by name (``(expr AS ?v)`` and ``*`` do not count).

    >>> q = "SELECT ?a { { SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?p ?o } GROUP BY ?a } }"
    >>> [(q[i:i + 9], sorted(names)) for i, names in sub_selects(q)]
    [('{ ?a ?p ?', ['a'])]
    """
    found: list[tuple[int, frozenset[str]]] = []
    depth = 0
    projecting: set[str] | None = None  # the names of the sub-SELECT being read, until its `{`
    parens = 0
    for t in _significant(text):
        if projecting is not None:
            if t.text == "(":
                parens += 1
            elif t.text == ")":
                parens -= 1
            elif t.kind == "var" and parens == 0:
                projecting.add(t.text[1:])
            elif t.text == "{":
                found.append((t.start, frozenset(projecting)))
                projecting = None
        elif t.kind == "word" and t.text.upper() == "SELECT" and depth > 0:
            projecting, parens = set(), 0
        if t.text in ("{", "{|"):
            depth += 1
        elif t.text in ("}", "|}"):
            depth = max(0, depth - 1)
    return found


def dataset_clauses(text: str) -> list[str]:
    """The dataset keywords ``text`` uses at the top level: ``FROM`` (queries), ``USING`` and
    ``WITH`` (updates), upper-cased, in order.

    >>> dataset_clauses("WITH <g> DELETE { ?s ?p 'FROM' } WHERE { ?s ?p ?o }")
    ['WITH']
    """
    found = []
    depth = 0
    for t in _significant(text):
        if t.text in ("{", "{|"):
            depth += 1
        elif t.text in ("}", "|}"):
            depth = max(0, depth - 1)
        elif depth == 0 and t.kind == "word" and t.text.upper() in ("FROM", "USING", "WITH"):
            found.append(t.text.upper())
    return found


def using(update: str, graphs: list[str] = (), named: list[str] = ()) -> str:  # type: ignore[assignment]
    """``update`` with ``USING <g>`` / ``USING NAMED <g>`` before the ``WHERE`` of each
    ``INSERT``/``DELETE … WHERE`` operation: the SPARQL Protocol's ``using-graph-uri`` and
    ``using-named-graph-uri``. The IRIs are checked; other operations are left as they are.

    >>> print(using("CLEAR ALL ; INSERT { ?s a <urn:T> } WHERE { ?s ?p ?o }", ["http://g/1"]))
    CLEAR ALL ; INSERT { ?s a <urn:T> } USING <http://g/1> WHERE { ?s ?p ?o }
    """
    clauses = " ".join(
        [f"USING {ox.NamedNode(g)}" for g in graphs]
        + [f"USING NAMED {ox.NamedNode(g)}" for g in named]
    )
    if not clauses:
        return update
    at: list[int] = []
    depth = 0
    previous: Token | None = None
    for t in _significant(update):
        if t.text in ("{", "{|"):
            depth += 1
        elif t.text in ("}", "|}"):
            depth = max(0, depth - 1)
        elif depth == 0 and t.kind == "word" and t.text.upper() == "WHERE":
            if previous is not None and previous.text == "}":
                at.append(t.start)
        previous = t
    for start in reversed(at):
        update = f"{update[:start]}{clauses} {update[start:]}"
    return update


def _refused_in(text: str) -> str | None:
    for t in _significant(text):
        if t.kind == "word":
            candidate = t.text.upper()
        elif t.kind == "pname":
            candidate = t.text.split(":", 1)[0].upper()  # a prefix such as service: or load:
        else:
            continue
        for word in REFUSED:
            if word in candidate:
                return word
    return None


def refused(text: str) -> str | None:
    """Why a server must not run ``text``: ``"SERVICE"`` or ``"LOAD"`` when one is used, ``"unreadable"``
    when the text is not all SPARQL tokens; ``None`` when it may run.

    It fails closed: ``\\u`` escapes are decoded first (SPARQL does so before parsing) and both
    readings are checked; a bare word or a prefix that merely *contains* a refused keyword counts,
    since no legitimate keyword or function does. Words in strings, IRIs, comments, variables and
    the local part of prefixed names do not count.

    >>> refused("SELECT * { ?s ?p 1e0.SERVICE <http://h/> { ?a ?b ?c } }")
    'SERVICE'
    >>> refused("SELECT * { ?s kg:a\\\\' ?o . SERVICE <http://h/> { } }")
    'SERVICE'
    >>> refused("INSERT DATA { <a:b> <a:c> 1 } ; load <http://h/x.ttl>")
    'LOAD'
    >>> refused("SELECT ?service { ?service ex:load 'SERVICE' } # LOAD") is None
    True
    >>> refused("SELECT * { ?s ?p '''unclosed }")
    'unreadable'
    """
    decoded = unescape(text)
    unreadable = False
    for reading in (decoded, text) if decoded != text else (text,):
        try:
            found = _refused_in(reading)
        except SparqlTextError:
            unreadable = True
            continue
        if found:
            return found
    return "unreadable" if unreadable else None
