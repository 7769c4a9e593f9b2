"""kgraph: an evidence-backed knowledge graph of ketamine and rapid-acting antidepressant research.

>>> import kgraph
>>> kg = kgraph.load()                      # the bundled corpus, in memory
>>> int(kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Assertion }")["n"][0]) > 80
True
"""

from __future__ import annotations

from .build import BuildReport, build_store
from .convert import collapse, to_networkx
from .errors import FormatError, KGraphError, QueryError, StoreError
from .graph import Chain, KnowledgeGraph, load
from .notebook import InlineView, Summary
from .store import open_store

__all__ = [
    "BuildReport",
    "Chain",
    "FormatError",
    "InlineView",
    "KGraphError",
    "KnowledgeGraph",
    "QueryError",
    "StoreError",
    "Summary",
    "build_store",
    "collapse",
    "load",
    "open_store",
    "to_networkx",
]

__version__ = "0.1.0"
