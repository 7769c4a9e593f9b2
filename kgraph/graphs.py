"""The claims as networkx graphs: conversion, neighbourhoods and chain search.

Nodes are entity IRIs with ``label``, ``cls`` (class IRI), ``class_label``, ``synonyms``,
``identifiers`` and ``definition``. Each edge is one (subject, predicate, object) claim, keyed by the
predicate IRI, with ``label`` (the property's label), ``statements``, ``documents``, ``negated``,
``hedged``, ``levels`` (see :func:`kgraph.query.edges`), ``asserted`` (some statement gives the
direct triple), ``contested`` (one side of a contest,
:func:`kgraph.claims.contested_claims`), and ``evidence_weight``, ``why`` and ``corroborated``
(the weight the build stored in the claim summary, :func:`kgraph.claims.weights`: the heaviest
reading when a relation is claimed bare and with qualifiers). A claim that every source negates is
kept with ``negated == statements`` so contradictions stay visible. Neighbourhoods are networkx's
``ego_graph``; chains are networkx's shortest simple paths over the asserted claims.

>>> from kgraph import load
>>> g = to_networkx(load().store)
>>> g.nodes["https://w3id.org/kgraph/entity/ketamine"]["label"]
'ketamine'
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from .claims import StoredWeight, contested_claims, is_denied, weights
from .errors import KGraphError
from .queries import run_named
from .query import edges, entities, internal, labels, resolve, run
from .store import Store

__all__ = [
    "KIND_OF",
    "Chain",
    "chains",
    "collapse",
    "mechanism_chains",
    "neighbourhood",
    "path_subgraph",
    "paths",
    "to_networkx",
]


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """The store's claims as a ``MultiDiGraph`` (entities that take part in no claim are left out).

    >>> from kgraph import load
    >>> g = to_networkx(load().store)
    >>> k, n = "https://w3id.org/kgraph/entity/ketamine", "https://w3id.org/kgraph/entity/nmda_receptor"
    >>> g.edges[k, n, "https://w3id.org/kgraph/ontology#antagonistOf"]["label"]
    'antagonist of'
    """
    g = nx.MultiDiGraph()
    info = {e["e"]: e for e in entities(store)}
    contested = contested_claims(store)
    weighed = weights(store)
    for row in edges(store):
        for end in (row["s"], row["o"]):
            if end not in g:
                e = info.get(end, {})
                g.add_node(
                    end,
                    label=e.get("label") or str(end).rsplit("/", 1)[-1],
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
            label=row["predicate_label"] or str(row["p"]).rsplit("#", 1)[-1],
            statements=row["statements"],
            documents=row["documents"],
            negated=row["negated"],
            hedged=row["hedged"],
            levels=row["levels"],
            asserted=bool(row["direct"]),  # some statement gives the direct triple
            contested=(row["s"], row["p"], row["o"]) in contested,
            **_weight_attributes(weighed.get((row["s"], row["p"], row["o"]))),  # type: ignore[arg-type]
        )
    return g


def _weight_attributes(w: StoredWeight | None) -> dict[str, object]:
    if w is None:
        return {"evidence_weight": None, "why": None, "corroborated": False}
    return {"evidence_weight": w.value, "why": w.reason, "corroborated": w.corroborated}


def _asserted(data: dict) -> bool:
    """Some statement asserts the claim: it gives the direct triple (not denied, not only
    compared as "less", not only asked; :func:`kgraph.claims.direct_triple`)."""
    if "asserted" in data:
        return bool(data["asserted"])
    return not is_denied(int(data.get("statements", 1)), int(data.get("negated", 0)))


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
        if not _asserted(data):
            continue
        if d.has_edge(s, o):
            d[s][o]["weight"] += data.get("documents", 0)
            d[s][o]["labels"].append(data.get("label"))
        else:
            d.add_edge(s, o, weight=data.get("documents", 0), labels=[data.get("label")])
    return d


def neighbourhood(g: nx.MultiDiGraph, node: str, depth: int = 1) -> nx.MultiDiGraph:
    """The nodes within ``depth`` claims of ``node`` (either direction) and every claim among them
    (networkx's ``ego_graph``).

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> sorted(neighbourhood(g, "b", depth=1))
    ['a', 'b', 'c']
    """
    if node not in g:
        raise KGraphError(f"{node!r} is not in the graph")
    if depth < 0:
        raise KGraphError("depth must be 0 or more")
    return nx.ego_graph(g, node, radius=depth, undirected=True)


def paths(
    g: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    cutoff: int = 4,
    limit: int = 50,
    directed: bool = True,
) -> list[list[str]]:
    """Chains of asserted (not wholly negated) claims from ``source`` to ``target``, shortest
    first, at most ``cutoff`` claims long and at most ``limit`` of them, as lists of nodes.

    With ``directed=False`` claims may be followed against their direction.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("ketamine", "NMDA receptor", negated=0, statements=1)
    >>> _ = g.add_edge("NMDA receptor", "effect", negated=0, statements=1)
    >>> _ = g.add_edge("ketamine", "effect", negated=1, statements=1)
    >>> paths(g, "ketamine", "effect")
    [['ketamine', 'NMDA receptor', 'effect']]
    """
    for end in (source, target):
        if end not in g:
            raise KGraphError(f"{end!r} is not in the graph")
    if source == target:
        return [[source]]
    if cutoff < 1 or limit < 1:
        return []
    d = collapse(g)
    graph: nx.Graph = d if directed else d.to_undirected(as_view=True)
    try:
        found = nx.shortest_simple_paths(graph, source, target)
        return list(
            itertools.islice(itertools.takewhile(lambda p: len(p) - 1 <= cutoff, found), limit)
        )
    except nx.NetworkXNoPath:
        return []


def path_subgraph(g: nx.MultiDiGraph, chains: list[list[str]]) -> nx.MultiDiGraph:
    """The nodes of ``chains`` (lists of nodes, as :func:`paths` gives them) and the asserted
    claims between consecutive nodes (both directions, for chains that go against a claim).

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", negated=0, statements=1)
    >>> _ = g.add_edge("a", "c", negated=0, statements=1)
    >>> sorted(path_subgraph(g, [["a", "b"]]))
    ['a', 'b']
    """
    keep = nx.MultiDiGraph()
    keep.graph.update(g.graph)
    for path in chains:
        for node in path:
            keep.add_node(node, **g.nodes[node])
        for a, b in itertools.pairwise(path):
            for s, o in ((a, b), (b, a)):
                for key, data in (g.get_edge_data(s, o) or {}).items():
                    if _asserted(data):
                        keep.add_edge(s, o, key=key, **data)
    return keep


@dataclass(frozen=True)
class Chain:
    """A chain of claims from one entity to another: ``entities[i] —predicates[i]→ entities[i+1]``.

    ``forward[i]`` is ``False`` when hop ``i`` follows a claim backwards (only in undirected
    searches). ``str(chain)`` reads like the sentence it stands for.

    >>> c = Chain(("kg:a", "kg:b"), ("A", "B"), ("kgo:p",), ("blocks",), (True,))
    >>> str(c), len(c), c.steps()
    ('A —blocks→ B', 1, [('A', 'blocks', 'B')])
    """

    entities: tuple[str, ...]
    labels: tuple[str, ...]
    predicates: tuple[str, ...]
    predicate_labels: tuple[str, ...]
    forward: tuple[bool, ...]

    def __len__(self) -> int:
        """The number of hops (claims) in the chain."""
        return len(self.predicates)

    def steps(self) -> list[tuple[str, str, str]]:
        """``(subject label, predicate label, object label)`` per hop, in reading order."""
        return [
            (self.labels[i], self.predicate_labels[i], self.labels[i + 1])
            for i in range(len(self.predicates))
        ]

    def __str__(self) -> str:
        parts = [self.labels[0]]
        for i, label in enumerate(self.predicate_labels):
            arrow = f" —{label}→ " if self.forward[i] else f" ←{label}— "
            parts += [arrow, self.labels[i + 1]]
        return "".join(parts)


def chains(g: nx.MultiDiGraph, source: str, target: str, **options) -> list[Chain]:
    """The :func:`paths` from ``source`` to ``target`` (same ``options``; ``limit`` 100 by
    default) as :class:`Chain` objects: one per choice of predicate where two entities are linked
    by several claims; shortest first, then alphabetically; at most ``limit``. No chains from an
    entity to itself, or from or to an entity outside ``g``.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("k", label="ketamine"); g.add_node("n", label="NMDA receptor")
    >>> _ = g.add_edge("k", "n", key="kgo:antagonistOf", label="antagonist of", negated=0, statements=1)
    >>> [str(c) for c in chains(g, "k", "n")]
    ['ketamine —antagonist of→ NMDA receptor']
    """
    limit = options.setdefault("limit", 100)
    directed = options.get("directed", True)
    if source == target or source not in g or target not in g:
        return []
    node_paths = paths(g, source, target, **options)

    def hop_choices(u: str, v: str) -> list[tuple[str, str, bool]]:
        choices = []
        for s, o, fwd in ((u, v, True), (v, u, False)):
            if not fwd and directed:
                continue
            for key, data in (g.get_edge_data(s, o) or {}).items():
                if _asserted(data):
                    choices.append((str(key), str(data.get("label", key)), fwd))
        return sorted(choices, key=lambda c: (not c[2], c[1]))

    found: list[Chain] = []
    for path in node_paths:
        per_hop = [hop_choices(u, v) for u, v in itertools.pairwise(path)]
        for combo in itertools.product(*per_hop):
            found.append(
                Chain(
                    entities=tuple(path),
                    labels=tuple(str(g.nodes[n].get("label", n)) for n in path),
                    predicates=tuple(c[0] for c in combo),
                    predicate_labels=tuple(c[1] for c in combo),
                    forward=tuple(c[2] for c in combo),
                )
            )
    found.sort(key=lambda c: (len(c), c.labels, c.predicate_labels))
    return found[:limit]


#: The hop that ends a chain at a broader outcome: "rapid antidepressant effect" is a kind of
#: "antidepressant effect" (rdfs:subClassOf or skos:broader in the ontology).
KIND_OF = ("http://www.w3.org/2000/01/rdf-schema#subClassOf", "is a kind of")
_NONE = "urn:kgraph:none"


def mechanism_chains(
    store: Store, source: str, target: str | None = None, *, cutoff: int = 4, limit: int = 100
) -> list[Chain]:
    """How ``source`` is said to work: the chains of the ``mechanism-chains`` named query (asserted
    mechanistic claims, each in its stated direction, at most four), or with ``target`` the part
    of each chain up to ``target``, or up to a kind of it followed by a :data:`KIND_OF` hop.
    The one chain search behind :meth:`KnowledgeGraph.paths` and ``kgraph view --path``.
    Shortest first, then alphabetically; at most ``cutoff`` claims and ``limit`` chains.

    >>> from kgraph import load
    >>> store = load().store
    >>> [str(c) for c in mechanism_chains(store, "ketamine", "NMDA receptor")]
    ['ketamine —antagonist of→ NMDA receptor']
    """
    start = resolve(store, source)
    end = resolve(store, target) if target is not None else None
    rows = run_named(store, "mechanism-chains", compound=start, through=end).dicts()
    kinds: set[str] = set()
    if end is not None:
        kinds = {str(r["x"]) for r in run(store, internal("narrower"), t=ox.NamedNode(end)).dicts()}
    found: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    for row in rows:
        nodes = [str(row["compound"]), str(row["x1"])]
        links = [str(row["p1"])]
        for q, n in (("q2", "n2"), ("q3", "n3"), ("q4", "n4")):
            if str(row[n]) == _NONE:
                break
            nodes.append(str(row[n]))
            links.append(str(row[q]))
        if end is None:
            found.add((tuple(nodes), tuple(links)))
            continue
        for i, node in enumerate(nodes[1:], start=1):
            if node == end:
                found.add((tuple(nodes[: i + 1]), tuple(links[:i])))
                break
            if node in kinds:
                found.add((tuple([*nodes[: i + 1], end]), tuple([*links[:i], KIND_OF[0]])))
                break
    names = labels(store, {x for nodes, links in found for x in (*nodes, *links)})
    names[KIND_OF[0]] = KIND_OF[1]
    out = [
        Chain(
            entities=nodes,
            labels=tuple(names.get(n, n) for n in nodes),
            predicates=links,
            predicate_labels=tuple(names.get(p, p) for p in links),
            forward=(True,) * len(links),
        )
        for nodes, links in found
        if sum(p != KIND_OF[0] for p in links) <= cutoff
    ]
    out.sort(key=lambda c: (len(c), c.labels, c.predicate_labels))
    return out[:limit]
