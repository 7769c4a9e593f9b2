"""Exceptions raised by kgraph.

Every error is a :class:`KGraphError`; the built-in exception it refines is a second base, as in
pyoxigraph, so ``except ValueError`` still catches a bad file.

>>> issubclass(FormatError, ValueError) and issubclass(StoreError, OSError)
True
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AmbiguousNameError",
    "FormatError",
    "GroundingError",
    "KGraphError",
    "QueryError",
    "StoreError",
    "UnknownNameError",
]


class KGraphError(Exception):
    """Base class of every error kgraph raises on purpose.

    >>> from kgraph import load
    >>> try:
    ...     load().resolve("no such entity at all")
    ... except KGraphError as e:
    ...     print(type(e).__name__)
    UnknownNameError
    """


class FormatError(KGraphError, ValueError):
    """Malformed input: names the file, the line (1-based, when known), and what is wrong.

    >>> str(FormatError("bad offsets", path="a.ann", line=3))
    'a.ann:3: bad offsets'
    >>> str(FormatError("empty file", path="x.txt", document="123"))
    'x.txt: document 123: empty file'
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        document: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.document = document
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.document is not None:
            where += f": document {self.document}"
        return f"{where}: {self.message}"

    def __reduce__(self):  # keep path/line when pickled across processes
        return (_rebuild_format_error, (self.message, self.path, self.line, self.document))


def _rebuild_format_error(message, path, line, document):
    return FormatError(message, path=path, line=line, document=document)


class GroundingError(FormatError):
    """A mention or relation names an entity type, entity or relation the ontology does not know.

    >>> str(GroundingError("unknown entity type 'Gizmo'", path="x.ann", line=2))
    "x.ann:2: unknown entity type 'Gizmo'"
    """


class StoreError(KGraphError, OSError):
    """A store cannot be opened, written or swapped.

    >>> from kgraph import open_store
    >>> open_store("ftp://example.org/store")
    Traceback (most recent call last):
    ...
    kgraph.errors.StoreError: unknown store URL 'ftp://example.org/store' (use memory:, a path, or http(s)://…)
    """


class QueryError(KGraphError, ValueError):
    """A SPARQL query is malformed or failed; the message carries line and column when known.

    >>> from kgraph import load
    >>> load().sparql("SELECT WHERE")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kgraph.errors.QueryError: SPARQL syntax error: ...
    """


class UnknownNameError(KGraphError, LookupError):
    """No entity is called this; ``suggestions`` are the closest names the graph knows.

    >>> str(UnknownNameError("ketamin", ["ketamine"]))
    "no entity is called 'ketamin' (did you mean: ketamine?)"
    """

    def __init__(self, name: str, suggestions: list[str] | tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f" (did you mean: {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"no entity is called {name!r}{hint}")

    def __reduce__(self):
        return (UnknownNameError, (self.name, self.suggestions))


class AmbiguousNameError(KGraphError, LookupError):
    """Several entities are called this, equally well; ``candidates`` lists ``(IRI, label)``.

    >>> str(AmbiguousNameError("MDD", [("kg:a", "a"), ("kg:b", "b")]))
    "'MDD' names 2 entities: a <kg:a>, b <kg:b>; give an IRI or CURIE"
    """

    def __init__(self, name: str, candidates: list[tuple[str, str]] | tuple = ()) -> None:
        self.name = name
        self.candidates = tuple(tuple(c) for c in candidates)
        listed = ", ".join(f"{label} <{iri}>" for iri, label in self.candidates)
        super().__init__(
            f"{name!r} names {len(self.candidates)} entities: {listed}; give an IRI or CURIE"
        )

    def __reduce__(self):
        return (AmbiguousNameError, (self.name, self.candidates))
