"""Compounds side by side: what each is said to act on (targets), through what (mechanisms), to
what end (outcomes) and at what cost (adverse effects), with the qualifiers of the statements
("less than esketamine", "weak", "independently of NMDA receptor"), denials, contests and the
evidence behind each claim. One place decides the categories and rows; the page, the notebook
and ``kgraph view --compare`` show them.

>>> from kgraph import load
>>> from kgraph.views import graph_of
>>> g = graph_of(load().store)
>>> rows = compare(g, ["arketamine", "esketamine"])
>>> sorted({r["category"] for r in rows}) <= list(CATEGORIES)
True
>>> any(r["shared"] for r in rows) or any(not r["shared"] for r in rows)
True
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence

import networkx as nx
import numpy as np

from ..claims import is_denied
from ..errors import KGraphError
from . import style
from .selection import find_node

__all__ = [
    "CATEGORIES",
    "category",
    "compare",
    "compare_frame",
    "compounds",
    "describe_claim",
    "profile",
    "profiles_payload",
]

#: The sections of a comparison, in the order shown.
CATEGORIES = ("targets", "mechanisms", "outcomes", "adverse effects", "other")

_BY_FAMILY = {
    "GeneOrProtein": "targets",
    "Pathway": "mechanisms",
    "BrainRegion": "mechanisms",
    "Biomarker": "mechanisms",
    "Outcome": "outcomes",
    "Condition": "outcomes",
}


def _style(g: nx.MultiDiGraph, node: str) -> style.ClassStyle:
    d = g.nodes[node]
    return _class_style(g, d.get("cls"), d.get("class_label"))


def _class_style(g: nx.MultiDiGraph, cls: object, label: object) -> style.ClassStyle:
    cache = g.graph.setdefault("_styles", {})  # one look-up per class, not per node
    found = cache.get((cls, label))
    if found is None:
        ancestors = tuple(g.graph.get("class_ancestors", {}).get(cls, ()))
        found = style.class_style(None if cls is None else str(cls), label, ancestors)  # type: ignore[arg-type]
        cache[(cls, label)] = found
    return found


def category(object_class: str, family: str, predicate: str) -> str:
    """The section a claim goes in, by its object's class (local name) and class family (see
    :class:`~kgraph.views.style.ClassStyle`) and its predicate.

    >>> category("AdverseEffect", "Outcome", "kgo#causes")
    'adverse effects'
    >>> category("Receptor", "GeneOrProtein", "kgo#antagonistOf")
    'targets'
    """
    if object_class == "AdverseEffect" or style.local_name(predicate) == "hasAdverseEffect":
        return "adverse effects"
    return _BY_FAMILY.get(family, "other")


def compounds(g: nx.MultiDiGraph) -> list[str]:
    """The entities of the Compound family (compounds, enantiomers, metabolites, drug products,
    drug classes) that are the subject of some claim: the ones a comparison can show.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("k", cls="kgo#Compound"); g.add_node("n", cls="kgo#Receptor")
    >>> _ = g.add_edge("k", "n")
    >>> compounds(g)
    ['k']
    """
    return [v for v in g if g.out_degree(v) and _style(g, v).family == "Compound"]


def profile(g: nx.MultiDiGraph, node: str) -> list[dict[str, object]]:
    """The claims ``node`` is the subject of, one row each: ``category``, ``object`` (node),
    ``object_label``, ``relation``, ``predicate``, ``denied`` (every statement denies it),
    ``contested``, ``qualifiers`` (the distinct qualifier texts of its statements),
    ``documents``, ``weight`` and ``why`` (where the graph has them).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("k", label="arketamine", cls="kgo#Enantiomer")
    >>> g.add_node("n", label="NMDA receptor", cls="kgo#Receptor")
    >>> _ = g.add_edge("k", "n", key="kgo#antagonistOf", label="antagonist of", statements=1,
    ...                negated=0, evidence=[{"qualifiers": "weak"}])
    >>> [(r["category"], r["relation"], r["qualifiers"]) for r in profile(g, "k")]
    [('targets', 'antagonist of', ['weak'])]
    """
    rows = []
    for _, o, key, d in g.out_edges(node, keys=True, data=True):
        quals = _distinct_qualifiers(d.get("evidence") or ())
        st = _style(g, o)
        rows.append(
            {
                "category": category(st.name, st.family, str(d.get("predicate") or key)),
                "object": o,
                "object_label": str(g.nodes[o].get("label", o)),
                "relation": str(d.get("label") or style.local_name(str(key))),
                "predicate": str(d.get("predicate") or key),
                "denied": is_denied(int(d.get("statements", 1)), int(d.get("negated", 0))),
                "contested": bool(d.get("contested")),
                "qualifiers": quals,
                "documents": int(d.get("documents") or 0),
                "weight": d.get("evidence_weight"),
                "why": d.get("why"),
            }
        )
    rows.sort(key=lambda r: (CATEGORIES.index(r["category"]), r["object_label"], r["relation"]))
    return rows


def compare(g: nx.MultiDiGraph, names: Sequence[str], store=None) -> list[dict[str, object]]:
    """One row per (category, object) that any of the compounds ``names`` has a claim about:
    ``category``, ``object``, ``object_label``, ``shared`` (every compound has one), and per
    compound label its claims (rows of :func:`profile`) under ``claims``. Names are resolved by
    :func:`~kgraph.views.selection.find_node` (through ``store`` when given). Shared rows
    first within each category. (See the module example.)

    >>> compare(nx.MultiDiGraph(), ["ketamine"])
    Traceback (most recent call last):
    ...
    kgraph.errors.KGraphError: a comparison needs two or more compounds
    """
    if len(names) < 2:
        raise KGraphError("a comparison needs two or more compounds")
    nodes = [find_node(g, n, store) for n in names]
    if len(set(nodes)) < len(nodes):
        raise KGraphError("the compounds to compare name the same entity twice")
    labels = [str(g.nodes[v].get("label", v)) for v in nodes]
    table: dict[tuple[str, str], dict[str, object]] = {}
    for node, label in zip(nodes, labels, strict=True):
        for row in profile(g, node):
            key = (str(row["category"]), str(row["object"]))
            entry = table.setdefault(
                key,
                {
                    "category": key[0],
                    "object": key[1],
                    "object_label": row["object_label"],
                    "claims": {x: [] for x in labels},
                },
            )
            entry["claims"][label].append(row)  # type: ignore[index]
    out = list(table.values())
    for row in out:
        row["shared"] = all(row["claims"].values())  # type: ignore[union-attr]
    out.sort(
        key=lambda r: (CATEGORIES.index(str(r["category"])), not r["shared"], r["object_label"])
    )
    return out


def describe_claim(row: dict[str, object]) -> str:
    """A claim of :func:`profile` in a few words.

    >>> describe_claim({"relation": "has adverse effect", "denied": True, "contested": False,
    ...                 "qualifiers": ["less than esketamine"], "documents": 1, "weight": None})
    'not has adverse effect (less than esketamine) [1 doc]'
    """
    text = ("not " if row["denied"] else "") + str(row["relation"])
    quals = row.get("qualifiers") or []
    if quals:
        text += " (" + "; ".join(quals) + ")"  # type: ignore[arg-type]
    if row.get("contested"):
        text += " ⚠ contested"
    weight = row.get("weight")
    docs = row.get("documents")
    text += f" [{docs} doc{'s' if docs != 1 else ''}"
    text += f", weight {float(weight):.2f}]" if weight is not None else "]"  # type: ignore[arg-type]
    return text


def compare_frame(g: nx.MultiDiGraph, names: Sequence[str], store=None):
    """:func:`compare` as a pandas DataFrame: ``category``, ``object``, ``shared`` and one
    column per compound (its claims about the object, each in a few words).

    >>> from kgraph import load
    >>> from kgraph.views import graph_of
    >>> kg = load()
    >>> compare_frame(graph_of(kg.store), ["arketamine", "esketamine"], kg.store).columns.tolist()
    ['category', 'object', 'shared', 'arketamine', 'esketamine']
    """
    import pandas as pd

    rows = compare(g, names, store)
    compounds_ = list(rows[0]["claims"]) if rows else []  # type: ignore[call-overload]
    return pd.DataFrame(
        [
            {
                "category": r["category"],
                "object": r["object_label"],
                "shared": r["shared"],
                **{c: "; ".join(map(describe_claim, r["claims"][c])) for c in compounds_},  # type: ignore[index]
            }
            for r in rows
        ]
    )


def _distinct_qualifiers(rows: Iterable[dict]) -> list[str]:
    """The distinct qualifiers of a claim's statements (texts of
    :func:`kgraph.claims.qualifier_text`, in the rows' ``qualifiers``); one that names no entity
    ("less than the comparator") is dropped where another names it.

    >>> _distinct_qualifiers([{"qualifiers": "less than the comparator"},
    ...                       {"qualifiers": "less than ketamine; weak"}])
    ['less than ketamine', 'weak']
    """
    quals: list[str] = []
    for r in rows:
        for q in str(r.get("qualifiers") or "").split("; "):
            if q and q not in quals:
                quals.append(q)
    vague = ("the comparator", "the mediator")

    def said_better(q: str) -> bool:
        if not q.endswith(vague):
            return False
        head = q.rsplit(" ", 2)[0] + " "  # "less than "
        return any(x.startswith(head) and not x.endswith(vague) for x in quals)

    return [q for q in quals if not said_better(q)]


def profiles_payload(
    legend: list[dict],
    node_class: list[int],
    src: list[int],
    dst: list[int],
    predicates: list[str],
    evidence: Sequence[Iterable[dict] | None],
    qualified: Container[int] | None = None,
) -> dict[int, list[list[object]]]:
    """For the page: each compound's claims as ``[category number, object number, claim
    number, qualifiers]``, from the page's columns (``legend`` entries of node classes,
    each node's class number, each claim's subject, object, predicate and statements;
    ``qualified``, when known, the claims with any qualified statement).

    >>> legend = [{"name": "Compound", "family": "Compound"}, {"name": "Receptor", "family": "GeneOrProtein"}]
    >>> profiles_payload(legend, [0, 1], [0], [1], ["kgo#antagonistOf"], [[]])
    {0: [[0, 1, 0, []]]}
    """
    compound = np.array([c["family"] == "Compound" for c in legend] + [False], dtype=bool)
    out: dict[int, list[list[object]]] = {}
    sections: dict[tuple[int, str], int] = {}
    if not len(src):
        return out
    of_class = np.asarray(node_class, dtype=np.int64)
    for j in np.flatnonzero(compound[of_class[np.asarray(src, dtype=np.int64)]]).tolist():
        s, o = src[j], dst[j]  # a compound's claim
        key = (node_class[o], predicates[j])
        if key not in sections:
            c = legend[key[0]]
            sections[key] = CATEGORIES.index(category(c["name"], c["family"], key[1]))
        quals = (
            _distinct_qualifiers(evidence[j] or ()) if qualified is None or j in qualified else []
        )
        out.setdefault(s, []).append([sections[key], o, j, quals])
    return out
