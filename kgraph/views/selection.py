"""What a view shows: the whole graph, a node's neighbourhood, the chains between two entities,
or the triples a SPARQL query returns — each as a ``MultiDiGraph`` with evidence on its edges.

>>> from kgraph import load
>>> g = graph_of(load().store)
>>> node = find_node(g, "Spravato")  # by label or synonym
>>> sorted(neighbourhood(g, node, depth=1)) == sorted({node, *g.successors(node), *g.predecessors(node)})
True
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx
import pyoxigraph as ox

from ..convert import to_networkx
from ..errors import KGraphError
from ..grounding import normalise_label
from ..query import evidence, resolve
from ..store import Store

__all__ = [
    "class_ancestors",
    "find_node",
    "graph_from_query",
    "graph_of",
    "mechanism_paths",
    "neighbourhood",
    "path_subgraph",
]

_PARENTS = """
SELECT ?c ?parent WHERE { ?c rdfs:subClassOf ?parent . FILTER(isIRI(?c) && isIRI(?parent)) }
"""


def class_ancestors(store: Store) -> dict[str, list[str]]:
    """Each class's ancestors, nearest first (breadth-first over ``rdfs:subClassOf``)."""
    parents: dict[str, list[str]] = defaultdict(list)
    for row in store.query(_PARENTS).rows:
        if row[0].value != row[1].value:
            parents[row[0].value].append(row[1].value)
    result: dict[str, list[str]] = {}
    for cls in parents:
        seen: list[str] = []
        frontier = list(parents[cls])
        while frontier:
            nxt = []
            for p in frontier:
                if p not in seen and p != cls:
                    seen.append(p)
                    nxt.extend(parents.get(p, []))
            frontier = nxt
        result[cls] = seen
    return result


def graph_of(store: Store) -> nx.MultiDiGraph:
    """The store's claims (:func:`kgraph.to_networkx`) with every supporting statement attached
    to its edge as ``evidence`` (rows of :func:`kgraph.query.evidence`), and the class hierarchy
    in ``g.graph["class_ancestors"]``."""
    g = to_networkx(store)
    attach_evidence(g, evidence(store))
    g.graph["class_ancestors"] = class_ancestors(store)
    return g


def attach_evidence(g: nx.MultiDiGraph, rows: Iterable[dict[str, object]]) -> None:
    """Append each evidence row to the ``evidence`` list of its (subject, object, predicate) edge."""
    for row in rows:
        key = (row["s"], row["o"], row["p"])
        if g.has_edge(*key):
            g.edges[key].setdefault("evidence", []).append(row)


def find_node(g: nx.Graph, name: str, store: Store | None = None) -> str:
    """The node of ``g`` named ``name``: its IRI, label, synonym or identifier (case and spacing
    ignored), else what :func:`kgraph.query.resolve` finds in ``store``.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("kg:spravato", label="Spravato", synonyms=["esketamine nasal spray"])
    >>> find_node(g, "Esketamine  nasal spray")
    'kg:spravato'
    """
    if name in g:
        return name
    wanted = normalise_label(name)
    for attr in ("label", "synonyms", "identifiers"):
        for node, data in g.nodes(data=True):
            values = data.get(attr) or []
            values = [values] if isinstance(values, str) else values
            if any(normalise_label(str(v)) == wanted for v in values):
                return node
    if store is not None:
        iri = resolve(store, name)
        if iri in g:
            return iri
        raise KGraphError(f"{name!r} ({iri}) takes part in no claim shown in this view")
    raise KGraphError(f"no entity is called {name!r}")


def neighbourhood(g: nx.MultiDiGraph, node: str, depth: int = 1) -> nx.MultiDiGraph:
    """The nodes within ``depth`` claims of ``node`` (either direction) and every claim among them.

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> sorted(neighbourhood(g, "b", depth=1))
    ['a', 'b', 'c']
    """
    if node not in g:
        raise KGraphError(f"{node!r} is not in the graph")
    if depth < 0:
        raise KGraphError("depth must be 0 or more")
    lengths = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), node, depth)
    return g.subgraph(lengths).copy()


def _asserted(g: nx.MultiDiGraph) -> nx.DiGraph:
    """A simple digraph of the claims some statement asserts (wholly negated claims left out)."""
    d = nx.DiGraph()
    d.add_nodes_from(g)
    for s, o, data in g.edges(data=True):
        if data.get("negated", 0) < data.get("statements", 1):
            d.add_edge(s, o)
    return d


def mechanism_paths(
    g: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    cutoff: int = 4,
    limit: int = 50,
    directed: bool = True,
) -> list[list[str]]:
    """Chains of asserted (not wholly negated) claims from ``source`` to ``target``, shortest
    first, at most ``cutoff`` claims long and at most ``limit`` of them.

    With ``directed=False`` claims may be followed against their direction.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("ketamine", "NMDA receptor", negated=0, statements=1)
    >>> _ = g.add_edge("NMDA receptor", "effect", negated=0, statements=1)
    >>> _ = g.add_edge("ketamine", "effect", negated=1, statements=1)
    >>> mechanism_paths(g, "ketamine", "effect")
    [['ketamine', 'NMDA receptor', 'effect']]
    """
    for end in (source, target):
        if end not in g:
            raise KGraphError(f"{end!r} is not in the graph")
    d = _asserted(g)
    graph: nx.Graph = d if directed else d.to_undirected(as_view=True)
    if source == target:
        return [[source]]
    try:
        found = nx.shortest_simple_paths(graph, source, target)
        paths = list(
            itertools.islice(itertools.takewhile(lambda p: len(p) - 1 <= cutoff, found), limit)
        )
    except nx.NetworkXNoPath:
        return []
    return paths


def path_subgraph(g: nx.MultiDiGraph, paths: list[list[str]]) -> nx.MultiDiGraph:
    """The nodes of ``paths`` and the asserted claims between consecutive nodes (both directions
    when a path was followed against a claim's direction)."""
    keep = nx.MultiDiGraph()
    keep.graph.update(g.graph)
    for path in paths:
        for node in path:
            keep.add_node(node, **g.nodes[node])
        for a, b in itertools.pairwise(path):
            for s, o in ((a, b), (b, a)):
                for key, data in (g.get_edge_data(s, o) or {}).items():
                    if data.get("negated", 0) < data.get("statements", 1):
                        keep.add_edge(s, o, key=key, **data)
    return keep


_LABELS = """
SELECT ?x (SAMPLE(?l) AS ?label) (SAMPLE(?cls) AS ?class) WHERE {
  VALUES ?x { VALUES_PLACEHOLDER }
  OPTIONAL { ?x rdfs:label ?l }
  OPTIONAL { ?x a ?cls }
} GROUP BY ?x
"""


def graph_from_query(
    store: Store, sparql: str, *, full: nx.MultiDiGraph | None = None
) -> nx.MultiDiGraph:
    """The triples of a CONSTRUCT, or the ``?s ?p ?o`` rows of a SELECT, as a graph.

    Triples that are claims of the store keep their evidence (from ``full``, by default
    :func:`graph_of` the store); others become plain edges labelled with the predicate's label.
    Triples whose object is a literal or blank node are left out (counted in
    ``g.graph["skipped"]``).
    """
    from ..query import run

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
        info = _describe(store, names)
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


def _describe(store: Store, iris: set[str]) -> dict[str, tuple[str | None, str | None]]:
    """Label and one class of each IRI (for query results outside the claims)."""
    out: dict[str, tuple[str | None, str | None]] = {}
    batch = sorted(iris)
    for i in range(0, len(batch), 500):
        values = " ".join(f"<{x}>" for x in batch[i : i + 500] if ">" not in x and " " not in x)
        if not values:
            continue
        for row in store.query(_LABELS.replace("VALUES_PLACEHOLDER", values)).rows:
            out[row[0].value] = (
                row[1].value if row[1] is not None else None,
                row[2].value if row[2] is not None else None,
            )
    return out
