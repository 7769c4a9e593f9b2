"""Messages a person reads: grouped warnings, SPARQL errors in one line, why a check did not run.

The CLI, the server and the notebook show kgraph's errors; the wording lives here so that they
say the same thing. Rich markup is escaped where text is printed through it (``[test]`` in an
install hint must survive).

>>> sparql_error("SELEC ?s WHERE { ?s ?p ?o }", "error at 1:1: expected CONSTRUCT, ASK, ...")
"not a SPARQL query: it starts with 'SELEC'; did you mean 'SELECT'?"
"""

from __future__ import annotations

import re

from .counts import triple_counts
from .suggest import did_you_mean
from .vocab import PREFIXES

__all__ = [
    "empty_result_note",
    "group_warning",
    "sparql_error",
    "store_name",
    "validation_note",
]

_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE", "PREFIX", "BASE")
_POSITION = re.compile(r"(?:error at |at )?(\d+):(\d+)")
_CLASS_DUMP = re.compile(r"expected one of .*|\[[^\]]{40,}\]")


def group_warning(warnings: list[str], grouped: dict, key: object, text: str) -> bool:
    """Note a warning of kind ``key``; ``True`` when it repeats one already listed.

    The first of a kind is appended by the caller (``False``); each repeat rewrites that line
    with the count, so an unknown type in 5,000 mentions is one line, not 5,000.

    >>> warnings, grouped = [], {}
    >>> for _ in range(3):
    ...     if not group_warning(warnings, grouped, "Variant", "x: unknown entity type 'Variant'"):
    ...         warnings.append("x: unknown entity type 'Variant'")
    >>> warnings
    ["x: unknown entity type 'Variant' (3 times in all; the first is shown)"]
    """
    entry = grouped.get(key)
    if entry is None:
        grouped[key] = [len(warnings), 1, text]
        return False
    entry[1] += 1
    index, count, first = entry
    if index < len(warnings) and warnings[index].startswith(first):
        warnings[index] = f"{first} ({count:,} times in all; the first is shown)"
    return True


def sparql_error(query: str, message: str) -> str:
    """A SPARQL parser's error as one readable line: where, and what was expected in words.

    Oxigraph's messages list every character class it expected (``[A-Z] | [a-z] | [\\u00C0-…``);
    the line and column are kept and the list is replaced by what the text there is. A query whose
    first word is not a query form gets "did you mean".

    >>> sparql_error("SELECT * WHERE { ?s foo:p ?o }", "error at 1:21: expected one of [A-Z], ...")
    "SPARQL syntax error at 1:21 (line:column) near 'foo:p ?o }'"
    >>> sparql_error("SELECT * WHERE { ?s foo:p ?o }", "The prefix foo: is not defined")
    'SPARQL error: The prefix foo: is not defined'
    """
    text = " ".join(message.split())
    body = re.sub(r"(?m)^\s*#.*$", "", query)
    first = next(iter(body.split()), "")
    if first and first.upper() not in _FORMS and re.fullmatch(r"[A-Za-z]+", first):
        hint = did_you_mean(first.upper(), _FORMS, limit=1)
        return f"not a SPARQL query: it starts with {first!r}" + (f"; {hint}" if hint else "")
    m = _POSITION.search(text)
    if m and "Prefix not found" in text:
        return _unknown_prefix(query, int(m.group(1)), int(m.group(2)))
    if m and ("expected" in text or "error at" in text):
        line, column = int(m.group(1)), int(m.group(2))
        lines = query.splitlines() or [""]
        near = lines[line - 1][column - 1 : column + 19] if 0 < line <= len(lines) else ""
        where = f"SPARQL syntax error at {line}:{column} (line:column)"
        return f"{where} near {near!r}" if near.strip() else f"{where}: the query ends too early"
    text = _CLASS_DUMP.sub("", text).strip(" :,")
    return f"SPARQL error: {text}"


def validation_note(report, validate: bool | None, limit: int, available: bool) -> str:
    """What the build summary says about SHACL: the violations, or why they were not checked.

    >>> validation_note(None, False, 50_000, True)
    'not checked (--no-validate)'
    >>> validation_note(None, None, 50_000, False)
    'not checked: pySHACL is not installed (pip install pyshacl)'
    """
    if report is not None:
        n = len(report.violations)
        return "0 (conforms)" if n == 0 else f"{n:,}: `kgraph validate` lists them"
    if validate is False:
        return "not checked (--no-validate)"
    if not available:
        return "not checked: pySHACL is not installed (pip install pyshacl)"
    return f"not checked: over {limit:,} triples (run `kgraph validate`, or build with --validate)"


def _unknown_prefix(query: str, line: int, column: int) -> str:
    lines = query.splitlines() or [""]
    before = lines[line - 1][:column] if 0 < line <= len(lines) else ""
    names = re.findall(r"(?<![\w<?$])([A-Za-z][\w.-]*)?:[\w.-]*", before)
    prefix = names[-1] if names else ""
    hint = did_you_mean(prefix, PREFIXES, limit=1) if prefix else ""
    known = ", ".join(f"{p}:" for p in PREFIXES)
    where = f"{line}:{column}"
    return (
        f"SPARQL error at {where}: unknown prefix '{prefix}:'"
        + (f"; {hint}" if hint else "")
        + f" (predeclared: {known}; others need a PREFIX line)"
    )


def store_name(url: str) -> str:
    """How a store is named in titles: ``memory:`` is no path (and ends in no colon).

    >>> store_name("memory:"), store_name("build/store")
    ('in-memory store', 'build/store')
    """
    return "in-memory store" if url in ("memory:", ":memory:") else url


def empty_result_note(store, params: dict[str, str] | None = None) -> str:
    """Why a query gave no rows, as far as can be told: an empty store, or the values given.

    >>> from kgraph.store import open_store
    >>> empty_result_note(open_store("memory:"))
    'no rows: the store is empty (run `kgraph build`)'
    """
    if triple_counts(store)["triples"] == 0:
        return "no rows: the store is empty (run `kgraph build`)"
    if params:
        given = ", ".join(f"{k}={v}" for k, v in params.items())
        return (
            f"no rows: nothing in the graph matches {given} (the values were understood; "
            "try without a --param, or `kgraph entities TEXT` for the names the graph knows)"
        )
    return (
        "no rows: the pattern matched nothing (check the IRIs and property names: "
        "`kgraph entities TEXT` looks names up)"
    )
