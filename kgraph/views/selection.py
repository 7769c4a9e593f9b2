"""What a view shows: the whole graph, a node's neighbourhood, the chains between two entities,
or the triples a SPARQL query returns — each as a ``MultiDiGraph`` with evidence on its edges.

>>> from kgraph import load
>>> g = graph_of(load().store)
>>> node = find_node(g, "Spravato")  # by label or synonym
>>> from kgraph.graphs import neighbourhood
>>> sorted(neighbourhood(g, node, depth=1)) == sorted({node, *g.successors(node), *g.predecessors(node)})
True
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pyoxigraph as ox

from ..errors import KGraphError
from ..frames import with_qualifiers
from ..graphs import to_networkx
from ..grounding import normalise_label
from ..query import choose, class_ancestors, describe, evidence, origin, resolve, run
from ..store import Store
from .details import attach_details

__all__ = ["attach_evidence", "find_node", "graph_from_query", "graph_of"]


def graph_of(store: Store) -> nx.MultiDiGraph:
    """The store's claims (:func:`kgraph.to_networkx`) with every supporting statement attached
    to its edge as ``evidence`` (rows of :func:`kgraph.query.evidence`), and the class hierarchy
    in ``g.graph["class_ancestors"]``.

    >>> from kgraph import load
    >>> g = graph_of(load().store)
    >>> edge = g.edges["https://w3id.org/kgraph/entity/ketamine",
    ...                "https://w3id.org/kgraph/entity/nmda_receptor",
    ...                "https://w3id.org/kgraph/ontology#antagonistOf"]
    >>> len(edge["evidence"]) == edge["statements"]
    True
    """
    g = to_networkx(store)
    attach_evidence(g, with_qualifiers(evidence(store)))
    attach_details(g, store)
    g.graph["class_ancestors"] = class_ancestors(store)
    return g


def attach_evidence(g: nx.MultiDiGraph, rows: Iterable[dict[str, object]]) -> None:
    """Append each evidence row to the ``evidence`` list of its (subject, object, predicate) edge.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", key="p")
    >>> attach_evidence(g, [{"s": "a", "o": "b", "p": "p", "quote": "A p B."}])
    >>> g.edges["a", "b", "p"]["evidence"][0]["quote"]
    'A p B.'
    """
    for row in rows:
        key = (row["s"], row["o"], row["p"])
        if g.has_edge(*key):
            g.edges[key].setdefault("evidence", []).append(row)


def find_node(g: nx.Graph, name: str, store: Store | None = None) -> str:
    """The node of ``g`` that ``name`` names, by the one resolver: :func:`kgraph.query.resolve`
    over ``store`` when given, else the same ranking (:func:`kgraph.query.choose`) over the
    nodes' IRI, identifiers, label and synonyms (case and spacing ignored).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("kg:spravato", label="Spravato", synonyms=["esketamine nasal spray"])
    >>> find_node(g, "Esketamine  nasal spray")
    'kg:spravato'
    """
    if store is not None:
        iri = resolve(store, name)
        if iri in g:
            return iri
        raise KGraphError(f"{name!r} ({iri}) takes part in no claim shown in this view")
    wanted = normalise_label(name)
    found = []
    for node, data in g.nodes(data=True):
        label = data.get("label")
        ranks = [0] if node == name.strip() else []
        ranks += [1 for i in data.get("identifiers") or () if str(i).lower() == wanted]
        ranks += [2] if label is not None and normalise_label(str(label)) == wanted else []
        ranks += [3 for x in data.get("synonyms") or () if normalise_label(str(x)) == wanted]
        if ranks:
            found.append((node, label, min(ranks), origin(str(node), data.get("cls") is not None)))
    return choose(name, found)


def graph_from_query(
    store: Store, sparql: str, *, full: nx.MultiDiGraph | None = None
) -> nx.MultiDiGraph:
    """The triples of a CONSTRUCT, or the ``?s ?p ?o`` rows of a SELECT, as a graph.

    Triples that are claims of the store keep their evidence (from ``full``, by default
    :func:`graph_of` the store); others become plain edges labelled with the predicate's label.
    Triples whose object is a literal or blank node are left out (counted in
    ``g.graph["skipped"]``).

    >>> from kgraph import load
    >>> g = graph_from_query(load().store, "CONSTRUCT { ?s kgo:antagonistOf ?o } "
    ...                      "WHERE { ?s kgo:antagonistOf ?o }")
    >>> "https://w3id.org/kgraph/entity/nmda_receptor" in g
    True
    """
    result = run(store, sparql)
    if result.kind == "graph":
        triples = [(t.subject, t.predicate, t.object) for t in result.triples or []]
    elif result.kind == "select" and {"s", "p", "o"} <= set(result.variables):
        idx = [result.variables.index(v) for v in ("s", "p", "o")]
        triples = [tuple(row[i] for i in idx) for row in result.rows]
    else:
        raise KGraphError("--query needs a CONSTRUCT query or a SELECT with ?s ?p ?o")
    full = graph_of(store) if full is None else full
    out = nx.MultiDiGraph()
    out.graph.update(full.graph)
    skipped = 0
    plain: list[tuple[str, str, str]] = []
    for s, p, o in triples:
        if not all(isinstance(t, ox.NamedNode) for t in (s, p, o)):
            skipped += 1
            continue
        sv, pv, ov = s.value, p.value, o.value
        if full.has_edge(sv, ov, pv):
            for node in (sv, ov):
                out.add_node(node, **full.nodes[node])
            out.add_edge(sv, ov, key=pv, **full.edges[sv, ov, pv])
        else:
            plain.append((sv, pv, ov))
    if plain:
        names = {x for t in plain for x in t} - set(out)
        info = describe(store, {n for n in names if _is_iri(n)})
        for sv, pv, ov in plain:
            for node in (sv, ov):
                if node not in out:
                    if node in full:
                        out.add_node(node, **full.nodes[node])
                    else:
                        label, cls = info.get(node, (None, None))
                        out.add_node(node, label=label or _short(node), cls=cls, class_label=None)
            label = info.get(pv, (None, None))[0] or _short(pv)
            out.add_edge(
                sv,
                ov,
                key=pv,
                predicate=pv,
                label=label,
                statements=0,
                documents=0,
                negated=0,
                hedged=0,
                levels=[],
            )
    out.graph["skipped"] = skipped
    return out


def _short(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True
