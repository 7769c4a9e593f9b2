"""The one definition of "how many triples" a graph has, used by build, stats, validate and serve.

**triples** are the distinct triples of the data graph (``kgg:data``): what the build made from
the documents. The ontology graph (``kgg:ontology``: the schema and the entity lexicon, loaded
beside the data) is counted apart as **ontology triples**. Before this, the build summary counted
the lines it wrote (7,407 on the bundled corpus: a line written twice, by two documents, counts
twice), the data graph held 7,371 distinct triples, and ``stats`` and ``validate`` counted both
graphs together (9,316).

>>> from kgraph import load
>>> kg = load()
>>> counts = triple_counts(kg.store)
>>> counts["triples"] == kg.report.triples, counts["ontology triples"] > 1000
(True, True)
"""

from __future__ import annotations

import pyoxigraph as ox

from .vocab import GRAPH_DATA, GRAPH_ONTOLOGY

__all__ = ["COUNT_GRAPH", "triple_counts"]

#: Distinct triples of one named graph (bound to ``?g``).
COUNT_GRAPH = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def triple_counts(store) -> dict[str, int]:
    """``{"triples": data graph, "ontology triples": ontology graph}`` of ``store``.

    >>> from kgraph.store import open_store
    >>> triple_counts(open_store("memory:"))
    {'triples': 0, 'ontology triples': 0}
    """
    out = {}
    for key, graph in (("triples", GRAPH_DATA), ("ontology triples", GRAPH_ONTOLOGY)):
        rows = store.query(COUNT_GRAPH, substitutions={"g": ox.NamedNode(graph)}).rows
        out[key] = int(rows[0][0].value) if rows else 0
    return out
