"""kgraph: an evidence-backed knowledge graph of ketamine and rapid-acting antidepressant research.

The top level is small: :func:`load` a graph (or :func:`open_store` one and :func:`build_store`
into it), ask it questions (:func:`run_query` for the named queries and SPARQL, :func:`resolve`
for names, :func:`evidence` for the statements behind a claim), take it elsewhere
(:func:`to_networkx`, :func:`write_html`, :func:`write_export`, :func:`validate_store`), and read
the input formats :mod:`kgraph.formats` knows. Functions whose natural name is a module's
(``query``, ``build``, ``export``, ``validate``) carry a verb or noun more, so ``import
kgraph.query`` and ``kgraph.query.resolve`` keep meaning the module.

>>> import kgraph
>>> kg = kgraph.load()                      # the bundled corpus, in memory
>>> int(kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Assertion }")["n"][0]) > 80
True
>>> kgraph.resolve(kg.store, "MESH:D007649")
'https://w3id.org/kgraph/entity/ketamine'
"""

from __future__ import annotations

#: set before the imports below, so a submodule may import it at its top
__version__ = "0.1.0"


from . import formats
from .build import build_store
from .errors import (
    AmbiguousNameError,
    FormatError,
    GroundingError,
    KGraphError,
    QueryError,
    StoreError,
    UnknownNameError,
)
from .export import write_export
from .frames import evidence
from .frames import query as run_query
from .graph import KnowledgeGraph, load
from .graphs import to_networkx
from .query import resolve
from .store import open_store
from .validate import validate as validate_store
from .views import write_html

__all__ = [
    "AmbiguousNameError",
    "FormatError",
    "GroundingError",
    "KGraphError",
    "KnowledgeGraph",
    "QueryError",
    "StoreError",
    "UnknownNameError",
    "build_store",
    "evidence",
    "formats",
    "load",
    "open_store",
    "resolve",
    "run_query",
    "to_networkx",
    "validate_store",
    "write_export",
    "write_html",
]
