"""Mechanism paths: how a compound is said to work, as ranked chains of mechanistic claims.

The chains are :func:`kgraph.graphs.mechanism_chains`' (the one chain search, shared with the
``mechanism-chains`` named query and ``kg.paths``): asserted mechanistic claims only, each in its
stated direction. This module ranks them and draws them:

* **evidence weight** of a chain: the geometric mean of its claims' evidence weights
  (``evidence_weight`` from :mod:`kgraph.claims`; a claim without one counts 0.5);
* **specificity** (how surprising the chain is given node degree, after het.io's degree-weighted
  path count): the product over hops of ``(out-degree(u) · in-degree(v)) ** -0.4``, so a chain
  through hubs, which degree alone would predict, counts less than one through specific nodes;
  scaled so that the most specific chain of the set is 1;
* **score** = weight × specificity, the order shown.

>>> from kgraph import load
>>> kg = load()
>>> html, ranked = chains_page(kg.store, "arketamine")
>>> html.startswith("<!doctype html>") and all(r["weight"] > 0 for r in ranked) and len(ranked) > 1
True
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import networkx as nx

from ..graphs import KIND_OF, mechanism_chains, path_subgraph
from ..store import Store
from . import _bulk
from .network import payload
from .page import render_page
from .selection import find_node, graph_of

__all__ = ["DAMPING", "chains_page", "rank", "write_chains"]

#: het.io's damping exponent for degree-weighted path counts.
DAMPING = 0.4
_UNWEIGHED = 0.5


def rank(g: nx.MultiDiGraph, chains) -> list[dict[str, object]]:
    """``chains`` (:class:`kgraph.graphs.Chain`) with ``weight``, ``specificity`` and ``score``
    (see the module docstring), best first; each also has ``nodes``, ``hops`` (``(subject,
    object, predicate)`` per claim) and ``text``.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", key="p", evidence_weight=0.8)
    >>> _ = g.add_edge("b", "c", key="p", evidence_weight=0.2)
    >>> _ = g.add_edge("a", "c", key="p", evidence_weight=0.8)
    >>> from kgraph.graphs import Chain
    >>> long = Chain(("a", "b", "c"), ("a", "b", "c"), ("p", "p"), ("p", "p"), (True, True))
    >>> short = Chain(("a", "c"), ("a", "c"), ("p",), ("p",), (True,))
    >>> [r["text"] for r in rank(g, [long, short])]
    ['a —p→ c', 'a —p→ b —p→ c']
    """
    out = []
    for c in chains:
        hops = list(zip(c.entities[:-1], c.entities[1:], c.predicates, strict=True))
        weights, spec = [], 1.0
        for s, o, p in hops:
            data = g.get_edge_data(s, o, p) or {}
            w = data.get("evidence_weight")
            weights.append(float(w) if w is not None else _UNWEIGHED)
            degree = max(g.out_degree(s), 1) * max(g.in_degree(o), 1) if s in g and o in g else 1
            spec *= degree**-DAMPING
        weight = math.exp(sum(math.log(max(w, 1e-6)) for w in weights) / len(weights))
        out.append(
            {
                "nodes": list(c.entities),
                "hops": hops,
                "text": str(c),
                "weight": weight,
                "dwpc": spec,
            }
        )
    top = max((r["dwpc"] for r in out), default=1.0) or 1.0
    for r in out:
        r["specificity"] = r.pop("dwpc") / top  # type: ignore[operator]
        r["score"] = r["weight"] * r["specificity"]  # type: ignore[operator]
    out.sort(key=lambda r: (-r["score"], len(r["hops"]), r["text"]))  # type: ignore[operator]
    return out


def chains_page(
    store: Store,
    source: str,
    target: str | None = None,
    *,
    cutoff: int = 4,
    limit: int = 100,
    title: str | None = None,
) -> tuple[str, list[dict[str, object]]]:
    """The explorer page of the mechanism chains from ``source`` (to ``target``), ranked (see
    :func:`rank`), and the ranked chains. The page opens on the ranked list; each hop shows its
    evidence on click.

    >>> from kgraph import load
    >>> html, ranked = chains_page(load().store, "esketamine")  # none: it says so
    >>> ranked, "No chain of mechanistic claims" in html
    ([], True)
    """
    full = graph_of(store)
    start = find_node(full, source, store)
    end = find_node(full, target, store) if target is not None else None
    found = mechanism_chains(store, start, end, cutoff=cutoff, limit=limit)
    g = path_subgraph(full, [list(c.entities) for c in found] or [[start]])
    for c in found:  # "rapid antidepressant effect is a kind of antidepressant effect"
        for (u, v), p in zip(itertools.pairwise(c.entities), c.predicates, strict=True):
            if p == KIND_OF[0] and not g.has_edge(u, v, p):
                g.add_edge(u, v, key=p, predicate=p, label=KIND_OF[1], statements=0, documents=0)
    ranked = rank(full, found)
    keep = nx.MultiDiGraph()  # only the claims the chains use, in their stated direction
    keep.graph.update(g.graph)
    keep.add_nodes_from(g.nodes(data=True))
    for r in ranked:
        for s, o, p in r["hops"]:  # type: ignore[attr-defined]
            if not keep.has_edge(s, o, p) and g.has_edge(s, o, p):
                keep.add_edge(s, o, key=p, **g.edges[s, o, p])
    step: dict[str, int] = {}
    for c in found:
        for k, node in enumerate(c.entities):
            step[node] = min(k, step.get(node, k))
    label = full.nodes[start].get("label", start)
    heading = title or f"kgraph — how {label} is said to work"
    note = f"{len(ranked)} mechanism chain{'s' if len(ranked) != 1 else ''}, ranked"
    if not ranked:  # say so, rather than fall back on associations, approvals or any claim
        where = f" to {full.nodes[end].get('label', end)}" if end is not None else ""
        others = sorted(
            {str(d.get("label", k)) for _, _, k, d in full.out_edges(start, keys=True, data=True)}
        )
        note = (
            f"No chain of mechanistic claims (in their stated direction) leads from {label}{where}"
            + (f"; its claims are: {', '.join(others)}." if others else ".")
        )
    with _bulk():
        data = payload(keep, title=heading, highlight=[start], note=note, layers=step)
        index = {v: i for i, v in enumerate(keep)}
        edge_index = {
            (s, o, str(k)): j
            for j, (s, o, k) in enumerate(
                (s, o, k) for s, nbrs in keep._succ.items() for o, ks in nbrs.items() for k in ks
            )
        }
        data["chains"] = [
            {
                "nodes": [index[n] for n in r["nodes"]],  # type: ignore[attr-defined]
                "edges": [edge_index[(s, o, str(p))] for s, o, p in r["hops"]],  # type: ignore[attr-defined]
                "weight": round(float(r["weight"]), 3),  # type: ignore[arg-type]
                "specificity": round(float(r["specificity"]), 3),  # type: ignore[arg-type]
                "score": round(float(r["score"]), 3),  # type: ignore[arg-type]
            }
            for r in ranked
        ]
        html = render_page(data, title=heading)
    return html, ranked


def write_chains(
    store: Store, path: str | Path, source: str, target: str | None = None, **options
) -> dict:
    """Write :func:`chains_page` to ``path``; returns ``chains`` (how many), ``best`` (the top
    chain as text, ``None`` without chains) and ``path``.

    >>> import os, tempfile
    >>> from kgraph import load
    >>> out = os.path.join(tempfile.mkdtemp(), "how.html")
    >>> write_chains(load().store, out, "arketamine")["chains"] > 1
    True
    """
    html, ranked = chains_page(store, source, target, **options)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return {"chains": len(ranked), "best": ranked[0]["text"] if ranked else None, "path": str(path)}
