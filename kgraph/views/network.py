"""The explorer's data: nodes, edges and evidence as column lists, plus vis-network options.

pyvis's ``add_node``/``add_edge`` scan every node already added (quadratic: 20,000 nodes take
seconds), and its ``title`` popups switch to raw ``innerHTML``. So the network data is built here
directly, column by column (one list per field, which also makes the JSON small and quick to
write); pyvis provides the vis-network options (physics solver, interaction) and the vis-network
library the page inlines. The page turns the columns into vis ``DataSet`` items.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("kg:a", label="ketamine", cls="https://w3id.org/kgraph/ontology#Compound")
>>> g.add_node("kg:b", label="NMDA receptor", cls="https://w3id.org/kgraph/ontology#Receptor")
>>> _ = g.add_edge("kg:a", "kg:b", key="kgo:antagonistOf", label="antagonist of", documents=2,
...                statements=2, negated=0, hedged=0, levels=["Review"])
>>> p = payload(g, title="demo")
>>> p["nodes"]["label"], p["edges"]["docs"], [c["label"] for c in p["classes"]]
(['ketamine', 'NMDA receptor'], [2], ['Compound', 'Receptor'])
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from operator import itemgetter, methodcaller

import networkx as nx
import numpy as np

from .. import claims
from . import compare, details, style
from .layout import BACKBONE, SMALL, layout_xy, rank_by_degree

__all__ = ["payload", "vis_options"]

#: Node label font size, and the width of an average character, as a fraction of the size.
LABEL_FONT_PX = 14
CHAR_EM = 0.56


def _box(size: float, text: str, font: int) -> tuple[float, float, float]:
    """Width, height and downward offset of the centre, in pixels, of the box around a node of
    radius ``size`` and its label (drawn below it).

    >>> _box(10, "ketamine", 14)
    (68.72, 41.5, 10.75)
    """
    lines = text.split("\n")
    width = max(2 * size, CHAR_EM * font * max(len(line) for line in lines) + 6)
    label = 1.25 * font * len(lines) + 4
    return round(width, 2), 2 * size + label, label / 2


def vis_options(*, physics: bool, large: bool) -> dict:
    """vis-network options, built with pyvis's options model and completed here (a fresh copy).

    >>> vis_options(physics=False, large=True)["physics"]["enabled"]
    False
    """
    return json.loads(_vis_options(physics, large))


@lru_cache(maxsize=8)
def _vis_options(physics: bool, large: bool) -> str:
    from pyvis.network import Network

    net = Network(directed=True)
    net.force_atlas_2based(
        gravity=-70,
        central_gravity=0.006,
        spring_length=120,
        spring_strength=0.05,
        damping=0.6,
        overlap=0.3,
    )
    net.toggle_physics(physics)
    net.toggle_hide_edges_on_drag(large)
    options = json.loads(net.options.to_json())
    options["physics"]["stabilization"] = {"enabled": physics, "iterations": 150, "fit": True}
    options["physics"]["minVelocity"] = 1.0
    options["edges"] = {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
        "width": style.edge_width(1),
        "color": {
            "color": style.EDGE_COLOURS["claim"],
            "highlight": "#1d2733",
            "hover": style.EDGE_COLOURS["claim"],
            "opacity": 0.85,
        },
        "smooth": False,
        "font": {
            "size": 11,
            "color": "#4a5058",
            "strokeWidth": 3,
            "strokeColor": "#ffffff",
            "align": "middle",
        },
        "scaling": {"label": {"drawThreshold": 7}},
        "selectionWidth": 2,
        "hoverWidth": 1,
        "chosen": True,
    }
    options["nodes"] = {
        "borderWidth": 1.5,
        "borderWidthSelected": 3,
        "font": {
            "size": LABEL_FONT_PX,
            "face": "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
            "color": "#1d2733",
            "strokeWidth": 4,
            "strokeColor": "rgba(255,255,255,0.9)",
        },
        # big graphs: labels appear once zoomed in enough to read them
        "scaling": {"label": {"drawThreshold": 8 if large else 4}},
    }
    options["interaction"].update(
        {
            "hover": not large,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "multiselect": False,
            "hideEdgesOnZoom": large,
        }
    )
    options["layout"] = {"improvedLayout": False, "randomSeed": 7}
    return json.dumps(options)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _node_columns(g: nx.MultiDiGraph) -> tuple[dict[str, object], list[dict]]:
    """Node columns (``iri``, ``label``, ``cls``) and the legend; ``wrap`` holds the labels drawn
    on several lines and ``info`` the synonyms, identifiers and definitions (of nodes with any)."""
    ancestors = g.graph.get("class_ancestors", {})
    iris = list(g)
    raw_label, raw_cls, class_label, syn, ids, definition = _columns(
        list(g._node.values()),
        ("label", "cls", "class_label", "synonyms", "identifiers", "definition"),
    )
    cls, class_index = _indexed(raw_cls)
    labels_of = dict(zip(raw_cls, class_label, strict=True))
    styles = [
        style.class_style(None if c is None else str(c), labels_of.get(c), ancestors.get(c, ()))
        for c in class_index
    ]
    counts: Counter[str] = Counter()
    for c, k in Counter(cls).items():
        counts[styles[c].name] += k
    legend = style.legend(styles, counts)
    order = {entry["name"]: i for i, entry in enumerate(legend)}
    remap = [order[s.name] for s in styles]
    label = [
        t if isinstance(t, str) and t else str(t or v) for t, v in zip(raw_label, iris, strict=True)
    ]
    info: dict[int, dict] = {
        i: {
            "syn": [_text(x) for x in sy or ()],
            "ids": [[_text(x), style.identifier_url(_text(x))] for x in ii or ()],
            "def": _text(df) or None,
        }
        for i, (sy, ii, df) in enumerate(zip(syn, ids, definition, strict=True))
        if sy or ii or df
    }
    wrapped = {i: w for i, t in enumerate(label) if len(t) > 20 and (w := style.wrap_label(t)) != t}
    cols = {
        "iri": [v if isinstance(v, str) else str(v) for v in iris],
        "label": label,
        "wrap": wrapped,  # labels drawn on several lines (the page sizes nodes and fonts itself)
        "cls": [remap[c] for c in cls],
        "info": info,
    }
    return cols, legend


def _columns(dicts: list[dict], keys: tuple[str, ...]) -> list[tuple]:
    """The values of ``keys`` in each dict, transposed: one tuple per key (``None`` if missing).

    >>> _columns([{"a": 1, "b": 2}, {"a": 3}], ("a", "b"))
    [(1, 3), (2, None)]
    """
    if not dicts:
        return [() for _ in keys]
    out = []
    for key in keys:  # one column at a time, in C: a key some dicts lack costs no Python loop
        try:
            out.append(tuple(map(itemgetter(key), dicts)))
        except KeyError:
            out.append(tuple(map(methodcaller("get", key), dicts)))
    return out


def _ints(values: tuple) -> np.ndarray:
    """An int array of ``values`` (``None`` as 0)."""
    try:
        return np.array(values, dtype=np.int64)
    except TypeError:
        return np.fromiter((v or 0 for v in values), dtype=np.int64, count=len(values))


def _indexed(values: tuple) -> tuple[list[int], dict]:
    """Each value's index in a list of the distinct values (in order of first appearance)."""
    index = {v: i for i, v in enumerate(dict.fromkeys(values))}
    return list(map(index.__getitem__, values)), index


#: A hub has at least this many neighbours; it folds each class of its leaves (entities linked
#: to it alone) that has at least BUNDLE_MIN of them into one counted node. Views under
#: BUNDLE_VIEW_MIN entities, and chains, show everything.
HUB_MIN, BUNDLE_MIN, BUNDLE_VIEW_MIN = 8, 3, 40


def hub_bundles(
    n: int, src: list[int], dst: list[int], cls: list[int], keep: Sequence[int] = ()
) -> list[dict]:
    """The page's hub bundles: ``{"hub", "cls", "members"}`` for each class of a hub's leaves
    (never the entities in ``keep``, e.g. the highlighted ones), in order of first member.

    >>> star = [0] * 45, list(range(1, 46))
    >>> [(b["hub"], b["cls"], len(b["members"])) for b in hub_bundles(46, *star, [0] + [1] * 45)]
    [(0, 1, 45)]
    """
    if n < BUNDLE_VIEW_MIN or not len(src):
        return []
    a, b = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    code = np.unique(np.minimum(a, b)[a != b] * n + np.maximum(a, b)[a != b])
    lo, hi = code // n, code % n  # each linked pair once
    near = np.bincount(lo, minlength=n) + np.bincount(hi, minlength=n)
    other = np.full(n, -1, dtype=np.int64)  # a leaf's one neighbour
    other[lo[near[lo] == 1]] = hi[near[lo] == 1]
    other[hi[near[hi] == 1]] = lo[near[hi] == 1]
    leaf = np.flatnonzero(other >= 0)
    hub = other[leaf]
    ok = (near[hub] >= HUB_MIN) & (other[hub] != leaf)
    if keep:
        ok &= ~np.isin(leaf, np.fromiter(keep, dtype=np.int64))
    leaf, hub = leaf[ok], hub[ok]
    cls_of = np.asarray(cls, dtype=np.int64)[leaf]
    order = np.lexsort((leaf, cls_of, hub))
    leaf, hub, cls_of = leaf[order], hub[order], cls_of[order]
    starts = np.flatnonzero(np.r_[True, (hub[1:] != hub[:-1]) | (cls_of[1:] != cls_of[:-1])])
    ends = np.r_[starts[1:], len(leaf)]
    found = [
        {"hub": int(hub[i]), "cls": int(cls_of[i]), "members": leaf[i:j].tolist()}
        for i, j in zip(starts.tolist(), ends.tolist(), strict=True)
        if j - i >= BUNDLE_MIN
    ]
    return sorted(found, key=lambda x: x["members"][0])  # in order of first member


def _preclinical_only(levels: tuple) -> list[bool]:
    """:func:`kgraph.claims.is_preclinical_only` of each claim's levels, once per distinct list.

    >>> _preclinical_only((["Preclinical"], None, ["Preclinical", "Review"], ["Preclinical"]))
    [True, False, False, True]
    """
    only = ["Preclinical"]  # graph_of's levels are sorted and distinct: most compare equal at once
    return [
        lv == only or (bool(lv) and "Preclinical" in lv and claims.is_preclinical_only(lv))
        for lv in levels
    ]


def _curves(src: np.ndarray, dst: np.ndarray, n: int) -> dict[int, float]:
    """Roundness of the claims that share their two ends (others are straight), so parallel
    lines separate."""
    curve: dict[int, float] = {}
    if len(src) == 0:
        return curve
    pair = np.minimum(src, dst) * n + np.maximum(src, dst)
    _, inverse, counts = np.unique(pair, return_inverse=True, return_counts=True)
    shared = np.nonzero((counts[inverse] > 1) & (src != dst))[0]
    seen: Counter[tuple[int, int]] = Counter()
    for j in shared.tolist():
        key = (int(src[j]), int(dst[j]))
        seen[key] += 1
        curve[j] = round(0.18 * seen[key], 2)
    return curve


def _evidence_columns(per_edge: list, levels: tuple) -> dict:
    """The statements of every claim, flattened into columns (claim ``j``'s are rows
    ``ev0[j]`` to ``ev0[j] + evn[j] - 1``), with the documents, evidence levels and certainties
    they use, and how many distinct documents support each claim."""
    m = len(per_edge)
    evn = list(map(len, per_edge))
    ev0 = [0, *itertools.accumulate(evn)][:-1]
    rows = list(itertools.chain.from_iterable(per_edge))
    quote, stext, otext, doc_iri, level_raw, cert_raw, neg, qual, note = _columns(
        rows,
        (
            "quote",
            "subject_text",
            "object_text",
            "document",
            "level",
            "certainty",
            "negated",
            "qualifiers",
            "note",
        ),
    )
    doc, docs = _indexed(doc_iri)
    a_doc = np.array(doc, dtype=np.int64)
    first = np.unique(a_doc, return_index=True)[1].tolist() if rows else []
    documents = []
    for iri, i in docs.items():
        r = rows[first[i]]  # the document's details, from its first statement
        text = _text(iri)
        documents.append(
            {
                "iri": text,
                "title": _text(r.get("title")) or text.rsplit("/", 1)[-1],
                "publisher": _text(r.get("publisher")) or None,
                "date": _text(r.get("date")) or None,
                "type": style.pretty(_text(r.get("source_type"))) or None,
                **details.document_fields(r),
            }
        )
    # levels of the statements, and of claims shown without statements (query views)
    bare = np.flatnonzero(np.array(evn, dtype=np.int64) == 0).tolist() if m else []
    names_seen = {_text(v) for v in set(level_raw)} | {
        _text(v) for j in bare for v in levels[j] or ()
    }
    level_names = sorted((v for v in names_seen if v), key=style.level_key)
    level_of = {name: i for i, name in enumerate(level_names)}
    level_code = {v: level_of.get(_text(v), -1) for v in set(level_raw)}
    cert_names = sorted({_text(v) for v in set(cert_raw)} - {""})
    cert_of = {name: i for i, name in enumerate(cert_names)}
    cert_code = {v: cert_of.get(_text(v), -1) for v in set(cert_raw)}
    # documents per claim, and claims per document (each counted once)
    width = max(len(documents), 1)
    row_edge = np.repeat(np.arange(m, dtype=np.int64), evn)
    distinct = np.unique(row_edge * width + a_doc) if rows else a_doc
    doc_claims = np.bincount(distinct % width, minlength=len(documents))
    for i, d in enumerate(documents):
        d["claims"] = int(doc_claims[i])
    return {
        "columns": {
            "quote": quote,
            "stext": stext,
            "otext": otext,
            "doc": doc,
            "level": list(map(level_code.__getitem__, level_raw)),
            "cert": list(map(cert_code.__getitem__, cert_raw)),
            "neg": [1 if v else 0 for v in neg],
            "qual": {k: _text(v) for k, v in enumerate(qual) if isinstance(v, str) and v},
            "note": {k: _text(v) for k, v in enumerate(note) if isinstance(v, str) and v},
            **details.evidence_columns(rows),
        },
        "qualifiers_per_edge": {
            j: "; ".join(sorted({q for q in qual[ev0[j] : ev0[j] + evn[j]] if q}))
            for j in range(m)
            if any(qual[ev0[j] : ev0[j] + evn[j]])
        },
        "evn": evn,
        "ev0": ev0,
        "documents": documents,
        "level_names": level_names,
        "level_of": level_of,
        "cert_names": cert_names,
        "docs_per_edge": np.bincount(distinct // width, minlength=m).tolist(),
    }


def payload(
    g: nx.MultiDiGraph,
    *,
    title: str = "kgraph",
    highlight: Iterable[str] = (),
    note: str | None = None,
    physics: bool | None = None,
    layers: dict[str, int] | None = None,
) -> dict:
    """Everything the page draws, as JSON-ready data (see the module docstring).

    Positions are computed here (see :mod:`kgraph.views.layout`; ``layers`` puts nodes in
    columns), so ``physics`` (the live simulation) starts off unless asked for, and stays off
    above :data:`~kgraph.views.layout.SMALL` entities (it would freeze the page).

    >>> g = nx.MultiDiGraph([("a", "b")])
    >>> p = payload(g, title="two")
    >>> p["meta"]["nodes"], p["meta"]["edges"], p["meta"]["physics"]
    (2, 1, False)
    """
    n = g.number_of_nodes()
    large = n > SMALL
    physics = bool(physics) and not large
    index = {v: i for i, v in enumerate(g)}
    # g.edges(keys=True, data=True), read straight from networkx's adjacency dicts (3× faster)
    if g.is_multigraph() and g.is_directed():
        edge_list = [
            (s, o, k, d)
            for s, nbrs in g._succ.items()
            for o, keyed in nbrs.items()
            for k, d in keyed.items()
        ]
    elif g.is_multigraph():
        edge_list = list(g.edges(keys=True, data=True))
    else:
        edge_list = [(s, o, None, d) for s, o, d in g.edges(data=True)]
    m = len(edge_list)
    src = list(map(index.__getitem__, map(itemgetter(0), edge_list)))
    dst = list(map(index.__getitem__, map(itemgetter(1), edge_list)))
    data = list(map(itemgetter(3), edge_list))
    a_src, a_dst = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    degree = (np.bincount(a_src, minlength=n) + np.bincount(a_dst, minlength=n)).tolist()
    if not m:
        degree = [0] * n
    nodes, legend = _node_columns(g)
    # room for each node and its label, which the small layout keeps apart (in a large graph,
    # for its backbone: the most connected entities)
    wrap, labels = nodes["wrap"], nodes["label"]
    boxed = range(n) if not large else np.argsort(-np.array(degree), kind="stable")[:BACKBONE]
    boxes = {
        i: _box(style.node_size(degree[i]), wrap.get(i, labels[i]), style.label_font(degree[i]))
        for i in map(int, boxed)
    }
    marked = [index[v] for v in highlight if v in index]
    bundles = hub_bundles(n, src, dst, nodes["cls"], marked) if layers is None else []
    fold = [
        (b["members"], _box(min(10 + 2.2 * len(b["members"]) ** 0.5, 24), "+00 " + "m" * 14, 11))
        for b in bundles
    ]
    x, y = layout_xy(g, src, dst, boxes=boxes, layers=layers, fold=fold)
    pairs = np.stack([a_src, a_dst], axis=1)
    backbone = sorted(rank_by_degree(n, pairs[a_src != a_dst])[:BACKBONE].tolist()) if large else []
    nodes["x"], nodes["y"] = x, y

    pred, label, stmts_raw, docs_raw, negated, hedged, levels, contested, weight, why, rows_of = (
        _columns(
            data,
            (
                "predicate",
                "label",
                "statements",
                "documents",
                "negated",
                "hedged",
                "levels",
                "contested",
                "evidence_weight",
                "why",
                "evidence",
            ),
        )
    )
    pred = [
        p if isinstance(p, str) and p else str(e[2] if e[2] is not None else lb or "related to")
        for p, lb, e in zip(pred, label, edge_list, strict=True)
    ]
    rel, rel_index = _indexed(tuple(pred))
    rel_label = dict(zip(pred, label, strict=True))
    rel_count = Counter(rel)
    relations = [
        {
            "iri": p,
            "label": style.pretty(_text(rel_label.get(p)) or style.local_name(p)),
            "count": rel_count[i],
        }
        for p, i in rel_index.items()
    ]

    ev = _evidence_columns([r or () for r in rows_of], levels)
    evn, ev0, documents, level_of = ev["evn"], ev["ev0"], ev["documents"], ev["level_of"]
    docs_per_edge = ev["docs_per_edge"]

    # claims
    stmts = [int(v) if v else k for v, k in zip(stmts_raw, evn, strict=True)]
    docs_n = [int(v) if v else k for v, k in zip(docs_raw, docs_per_edge, strict=True)]
    flags = claims.claim_flags(
        np.array(stmts, dtype=np.int64),
        _ints(negated),
        _ints(hedged),
        _preclinical_only(levels),
        [bool(c) for c in contested],
    ).tolist()
    curve = _curves(a_src, a_dst, n)
    elv = {  # evidence levels of claims shown without statements (query views)
        j: sorted({level_of[_text(v)] for v in levels[j] if _text(v) in level_of})
        for j in np.flatnonzero(np.array(evn) == 0).tolist()
        if levels[j]
    }
    edges = {
        "from": src,
        "to": dst,
        "rel": rel,
        "docs": docs_n,
        "stmts": stmts,
        "flags": flags,
        "curve": curve,
        "ev0": ev0,
        "evn": evn,
        "lv": elv,
        # the evidence weight (line width) and why, and how the claim's statements are qualified
        "w": [None if v is None else float(v) for v in weight],
        "why": {j: t for j, t in enumerate(why) if t},
        "qual": ev["qualifiers_per_edge"],
        "against": details.contested_pairs(
            g, [(str(e[0]), str(e[1]), str(e[2])) for e in edge_list]
        )
        if g.graph.get("contests")
        else {},
    }
    options = vis_options(physics=physics, large=large)
    options["groups"] = {
        f"c{i}": {
            "shape": c["shape"],
            "color": {
                "background": c["color"],
                "border": c["border"],
                "highlight": {"background": c["color"], "border": "#111111"},
                "hover": {"background": c["color"], "border": "#111111"},
            },
        }
        for i, c in enumerate(legend)
    }
    return {
        "title": title,
        "note": note,
        "meta": {
            "nodes": n,
            "edges": len(edge_list),
            "statements": len(ev["columns"]["quote"]),
            "documents": len(documents),
            "physics": physics,
            "physicsMax": SMALL,
            "backbone": backbone,  # a large graph's overview: its most connected entities
            "large": large,
            "edgeLabels": len(edge_list) <= 600,
        },
        "classes": legend,
        "relations": relations,
        "levels": [{"id": name, "label": style.pretty(name)} for name in ev["level_names"]],
        "certainties": [style.pretty(c) for c in ev["cert_names"]],
        "documents": documents,
        "highlight": marked,
        "bundles": bundles,
        "nodes": nodes,
        "edges": edges,
        "evidence": ev["columns"],
        "profiles": compare.profiles_payload(
            legend, nodes["cls"], src, dst, pred, rows_of, ev["qualifiers_per_edge"]
        ),
        "categories": list(compare.CATEGORIES),
        "options": options,
        "style": {
            "colours": style.EDGE_COLOURS,
            "scales": style.SCALES,
            "flags": {
                "dashed": claims.DASHED,
                "negated": claims.NEGATED,
                "contested": claims.CONTESTED,
                "hedged": claims.HEDGED,
                "preclinical": claims.PRECLINICAL_ONLY,
            },
        },
    }
