"""kgraph: an evidence-backed knowledge graph of ketamine and rapid-acting antidepressant research.

>>> import kgraph
>>> kg = kgraph.load()                      # the bundled corpus, in memory
>>> kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Assertion }")["n"][0] > 80
True
"""

from __future__ import annotations

from .build import BuildReport, build_store
from .convert import collapse, to_networkx
from .errors import FormatError, KGraphError, QueryError, StoreError
from .graph import KnowledgeGraph, load
from .store import open_store

__all__ = [
    "BuildReport",
    "FormatError",
    "KGraphError",
    "KnowledgeGraph",
    "QueryError",
    "StoreError",
    "build_store",
    "collapse",
    "load",
    "open_store",
    "to_networkx",
]

__version__ = "0.1.0"
