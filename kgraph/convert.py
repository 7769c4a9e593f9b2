"""RDF ⇄ networkx: the claims of a store as a ``MultiDiGraph`` of entities.

Nodes are entity IRIs with ``label``, ``cls`` (class IRI), ``class_label``, ``synonyms``,
``identifiers`` and ``definition``. Each edge is one (subject, predicate, object) claim, keyed by the
predicate IRI, with ``label`` (the property's label), ``statements``, ``documents``, ``negated``,
``hedged`` and ``levels`` (see :func:`kgraph.query.edges`). A claim that every source negates is kept
with ``negated == statements`` so contradictions stay visible.

>>> from kgraph import load
>>> g = to_networkx(load().store)
>>> g.nodes["https://w3id.org/kgraph/entity/ketamine"]["label"]
'ketamine'
"""

from __future__ import annotations

import networkx as nx

from .query import edges, entities
from .store import Store

__all__ = ["collapse", "to_networkx"]


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """The store's claims as a ``MultiDiGraph`` (entities that take part in no claim are left out)."""
    g = nx.MultiDiGraph()
    info = {e["e"]: e for e in entities(store)}
    for row in edges(store):
        for end in (row["s"], row["o"]):
            if end not in g:
                e = info.get(end, {})
                g.add_node(
                    end,
                    label=e.get("label") or end.rsplit("/", 1)[-1],
                    cls=e.get("class"),
                    class_label=e.get("class_label"),
                    synonyms=e.get("synonyms", []),
                    identifiers=e.get("identifiers", []),
                    definition=e.get("definition"),
                )
        g.add_edge(
            row["s"],
            row["o"],
            key=row["p"],
            predicate=row["p"],
            label=row["predicate_label"] or row["p"].rsplit("#", 1)[-1],
            statements=row["statements"],
            documents=row["documents"],
            negated=row["negated"],
            hedged=row["hedged"],
            levels=row["levels"],
        )
    return g


def collapse(g: nx.MultiDiGraph) -> nx.DiGraph:
    """A simple ``DiGraph``: parallel claims merged, ``weight`` = supporting documents (summed),
    ``labels`` = the predicates' labels. Wholly negated claims are left out.

    >>> m = nx.MultiDiGraph()
    >>> m.add_edge("a", "b", key="p", label="p", documents=2, negated=0, statements=2)
    'p'
    >>> m.add_edge("a", "b", key="q", label="q", documents=1, negated=0, statements=1)
    'q'
    >>> collapse(m)["a"]["b"]["weight"]
    3
    """
    d = nx.DiGraph()
    d.add_nodes_from(g.nodes(data=True))
    for s, o, data in g.edges(data=True):
        if data.get("negated", 0) >= data.get("statements", 1):
            continue
        if d.has_edge(s, o):
            d[s][o]["weight"] += data["documents"]
            d[s][o]["labels"].append(data["label"])
        else:
            d.add_edge(s, o, weight=data["documents"], labels=[data["label"]])
    return d
