"""Stores: where the graph lives, behind one small interface.

``open_store(url)`` understands:

- ``memory:`` — an in-memory Oxigraph store (the Python API's default);
- ``oxigraph:PATH`` or a plain ``PATH`` — an on-disk Oxigraph store (the CLI's default,
  ``build/store``);
- ``http(s)://…`` — any SPARQL 1.1 endpoint (Query, Update and Graph Store protocols).

Every backend answers :meth:`Store.query` with a :class:`~kgraph.store.results.QueryResult` and
replaces its graphs atomically with :meth:`Store.replace`: a build that fails leaves the last good
graph as it was.

>>> store = open_store("memory:")
>>> store.replace(['<http://e/a> <http://e/p> "x" <https://w3id.org/kgraph/graph/data> .'])
>>> store.query("SELECT ?o WHERE { ?s ?p ?o }").rows[0][0].value
'x'
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..errors import StoreError
from .results import QueryResult

__all__ = ["DEFAULT_STORE", "QueryResult", "Store", "default_store", "open_store"]

#: Where the CLI keeps its store unless told otherwise (relative to the working directory).
DEFAULT_STORE = "build/store"


def default_store() -> str:
    """``$KGRAPH_STORE`` or :data:`DEFAULT_STORE`.

    >>> isinstance(default_store(), str)
    True"""
    return os.environ.get("KGRAPH_STORE", DEFAULT_STORE)


@runtime_checkable
class Store(Protocol):
    """What every backend offers.

    >>> isinstance(open_store("memory:"), Store)
    True"""

    url: str

    def query(
        self, sparql: str, *, substitutions: dict | None = None, timeout: float | None = None
    ) -> QueryResult:
        """Run a SPARQL 1.1 query over the union of the store's graphs."""

    def replace(self, data: Iterable[str], ontology: Iterable[Path] = ()) -> None:
        """Replace the data graph with N-Quads ``data`` lines and the ontology graph with the
        Turtle files ``ontology``, all or nothing."""

    def dump(self, format: str) -> bytes:
        """The whole store serialised (``nq``, ``trig``; ``ttl``/``nt`` flatten the graphs)."""

    def close(self) -> None:
        """Release the store."""


def open_store(
    url: str | os.PathLike[str] | None = None, *, read_only: bool = False, **options
) -> Store:
    """Open the store ``url`` names (default: :func:`default_store`).

    >>> open_store("memory:").url, open_store("http://127.0.0.1:7878/query").update_url
    ('memory:', 'http://127.0.0.1:7878/update')"""
    url = os.fspath(url) if url is not None else default_store()
    if url in ("memory:", ":memory:"):
        from .oxigraph import OxigraphStore

        return OxigraphStore(None)
    if url.startswith(("http://", "https://")):
        try:
            from .remote import RemoteStore
        except ImportError as e:  # pragma: no cover - remote.py ships with the package
            raise StoreError(f"remote stores are unavailable: {e}") from None
        return RemoteStore(url, **options)
    if url.startswith("oxigraph:"):
        url = url[len("oxigraph:") :]
    if "://" in url:
        raise StoreError(f"unknown store URL {url!r} (use memory:, a path, or http(s)://…)")
    from .oxigraph import OxigraphStore

    return OxigraphStore(Path(url), read_only=read_only)
