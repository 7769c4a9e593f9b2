"""Messages a person reads: grouped warnings, SPARQL errors in one line, why a check did not run.

The CLI, the server and the notebook show kgraph's errors; the wording lives here so that they
say the same thing. Rich markup is escaped where text is printed through it (``[test]`` in an
install hint must survive).

>>> sparql_error("SELEC ?s WHERE { ?s ?p ?o }", "error at 1:1: expected CONSTRUCT, ASK, ...")
"not a SPARQL query: it starts with 'SELEC'; did you mean 'SELECT'?"
"""

from __future__ import annotations

import re

__all__ = ["group_warning", "sparql_error", "validation_note"]

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
    "SPARQL syntax error at line 1, column 21 near 'foo:p ?o }'"
    >>> sparql_error("SELECT * WHERE { ?s foo:p ?o }", "The prefix foo: is not defined")
    'SPARQL error: The prefix foo: is not defined'
    """
    from .suggest import did_you_mean

    text = " ".join(message.split())
    body = re.sub(r"(?m)^\s*#.*$", "", query)
    first = next(iter(body.split()), "")
    if first and first.upper() not in _FORMS and re.fullmatch(r"[A-Za-z]+", first):
        hint = did_you_mean(first.upper(), _FORMS, limit=1)
        return f"not a SPARQL query: it starts with {first!r}" + (f"; {hint}" if hint else "")
    m = _POSITION.search(text)
    if m and ("expected" in text or "error at" in text):
        line, column = int(m.group(1)), int(m.group(2))
        lines = query.splitlines() or [""]
        near = lines[line - 1][column - 1 : column + 19] if 0 < line <= len(lines) else ""
        where = f"SPARQL syntax error at line {line}, column {column}"
        return f"{where} near {near!r}" if near.strip() else where
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
