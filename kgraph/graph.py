"""The one-object view of a graph for Python and Jupyter: :func:`load` returns a
:class:`KnowledgeGraph` over a store, with DataFrame answers, networkx and inline views.

>>> kg = load()
>>> kg
<KnowledgeGraph memory: ...>
>>> kg.evidence("ketamine", "NMDA receptor")[["subject_label", "object_label"]].iloc[0].tolist()
['ketamine', 'NMDA receptor']
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from . import query as q
from .build import BuildReport, build_store
from .convert import collapse, to_networkx
from .store import Store, open_store
from .vocab import corpus_dir

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    import rdflib

__all__ = ["KnowledgeGraph", "load"]


def load(
    *sources: str | os.PathLike[str],
    store: str | None = None,
    format: str | None = None,
    lenient: bool = False,
) -> KnowledgeGraph:
    """Build a graph from ``sources`` (default: the bundled corpus) or open an existing store.

    ``load()`` builds the bundled corpus in memory; ``load("a.PubTator.txt", lenient=True)`` builds
    files; ``load(store="build/store")`` opens what ``kgraph build`` wrote (no rebuild), and
    ``load(store="http://host/sparql")`` a SPARQL endpoint.
    """
    if store is not None and not sources:
        return KnowledgeGraph(open_store(store, read_only=True))
    target = open_store(store or "memory:")
    report = build_store(target, list(sources) or [corpus_dir()], format=format, lenient=lenient)
    return KnowledgeGraph(target, report)


class KnowledgeGraph:
    """A store plus the questions people ask of it."""

    def __init__(self, store: Store, report: BuildReport | None = None) -> None:
        self.store = store
        self.report = report

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.store.url} ...>"

    def sparql(self, sparql: str, **params: object) -> pd.DataFrame:
        """A SELECT's answer as a DataFrame (IRIs and literals as plain values); ``?name``
        variables are bound from ``params``. ASK gives a bool, CONSTRUCT a DataFrame of triples."""
        import pandas as pd

        result = q.run(self.store, sparql, **params)
        if result.kind == "ask":
            return result.boolean  # type: ignore[return-value]
        if result.kind == "graph":
            return pd.DataFrame(
                [
                    (t.subject.value, t.predicate.value, t.object.value)
                    for t in result.triples or []
                ],
                columns=["subject", "predicate", "object"],
            )
        return pd.DataFrame(result.dicts(), columns=result.variables)

    def resolve(self, name: str) -> str:
        """The IRI of an entity named by label, synonym, CURIE or IRI."""
        return q.resolve(self.store, name)

    def evidence(
        self, subject: str | None = None, object: str | None = None, predicate: str | None = None
    ) -> pd.DataFrame:
        """Every statement behind claims from ``subject`` to ``object`` (either may be ``None``)."""
        import pandas as pd

        return pd.DataFrame(q.evidence(self.store, subject, object, predicate))

    def to_networkx(self, *, simple: bool = False) -> nx.MultiDiGraph | nx.DiGraph:
        """The claims as a ``MultiDiGraph``, or with ``simple=True`` a weighted ``DiGraph``."""
        g = to_networkx(self.store)
        return collapse(g) if simple else g

    @property
    def rdf(self) -> rdflib.Dataset:
        """The whole store as an :class:`rdflib.Dataset` (a copy; fine for graphs up to ~1M triples)."""
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(data=self.store.dump("nq"), format="nquads")
        return ds

    def build(self, sources: Iterable[str | Path], **options) -> BuildReport:
        """Rebuild this graph's store from ``sources``."""
        self.report = build_store(self.store, list(sources), **options)
        return self.report
