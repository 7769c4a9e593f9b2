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
from operator import contains, eq, itemgetter, methodcaller

import networkx as nx
import numpy as np

from .. import claims
from . import compare, details, style
from .backbone import BACKBONE, rank_by_degree
from .layout import SMALL, layout_xy

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
            "size": 10,
            "color": "#5f6770",
            "strokeWidth": 3,
            "strokeColor": "#ffffff",
            "align": "middle",
        },
        # relation labels only when zoomed in past 1.2 (a selected claim's, drawn larger, at 1):
        # a page at its fitted zoom is not lined with grey text
        "scaling": {"label": {"drawThreshold": 12}},
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
    """Node columns (``iri``, ``label``, ``cls``) and the legend; ``info`` holds the synonyms,
    identifiers and definitions (of nodes with any). (The page breaks long labels into lines
    itself, as :func:`kgraph.views.style.wrap_label` does.)"""
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
    for c, k in enumerate(np.bincount(np.array(cls, dtype=np.int64), minlength=len(styles))):
        if k:
            counts[styles[c].name] += int(k)
    legend = style.legend(styles, counts)
    order = {entry["name"]: i for i, entry in enumerate(legend)}
    remap = [order[s.name] for s in styles]
    label = (
        list(raw_label)
        if _all_text(raw_label)
        else [
            t if isinstance(t, str) and t else str(t or v)
            for t, v in zip(raw_label, iris, strict=True)
        ]
    )
    url = style.identifier_url
    info: dict[int, dict] = {
        i: {
            "syn": [x if type(x) is str else _text(x) for x in sy or ()],
            "ids": [[t, url(t)] for x in ii or () for t in (x if type(x) is str else _text(x),)],
            "def": _text(df) or None,
        }
        for i in _any_set(syn, ids, definition)
        for sy, ii, df in ((syn[i], ids[i], definition[i]),)
    }
    cols = {
        "iri": iris if _all_text(iris) else [_text(v) for v in iris],
        "label": label,
        "cls": list(map(remap.__getitem__, cls)),
        "info": info,
    }
    return cols, legend


def _all_text(values: Iterable[object]) -> bool:
    """Every value is a non-empty ``str`` (checked in C).

    >>> _all_text(("a", "b")), _all_text(("a", "")), _all_text(("a", None))
    (True, False, False)
    """
    try:
        return all(map(str.__len__, values))
    except TypeError:
        return False


def _any_set(*columns: tuple) -> list[int]:
    """The rows where any of ``columns`` is set (truthy), in order; a column that is all empty
    (the usual case for definitions) costs a scan in C.

    >>> _any_set((None, ["x"], None), (None, None, "d"))
    [1, 2]
    """
    found = np.zeros(len(columns[0]) if columns else 0, dtype=bool)
    for column in columns:
        if any(column):
            found |= np.fromiter(map(bool, column), bool, len(column))
    return np.flatnonzero(found).tolist()


def _columns(
    dicts: Sequence[dict], keys: tuple[str, ...], *, coded: str | None = None
) -> list[Sequence]:
    """The values of ``keys`` in each dict, transposed: one sequence per key (``None`` if
    missing); with ``coded`` (one of ``keys``), also that column numbered as :func:`_indexed`
    numbers it, as two more items: the numbers and the values in order of first appearance.

    >>> _columns([{"a": 1, "b": 2}, {"a": 3}], ("a", "b"))
    [(1, 3), (2, None)]
    >>> _columns([{"a": 1, "b": 2}, {"b": 3, "c": 4}], ("a", "b", "c"))
    [(1, None), (2, 3), (None, 4)]
    >>> _columns([{"a": 1, "b": 2}, {"b": 3, "a": 4}], ("a", "c"))
    [(1, 4), (None, None)]
    >>> _columns([{"a": "x", "b": 2}, {"a": "y", "b": 3}, {"a": "x", "b": 4}], ("a",), coded="a")
    [['x', 'y', 'x'], [0, 1, 0], {'x': 0, 'y': 1}]
    """
    present = tuple(k for k in keys if dicts and k in dicts[0])
    if len(present) > 1 or (present and coded):
        # the usual case, every dict has the first's keys: a chunk of dicts at a time, each
        # field of the chunk read while it is in the cache (a pass per key over all the dicts
        # costs twice as much on 50,000 statements), and a key the first lacks looked for then
        getters = [itemgetter(k) for k in present]
        lacking = [k for k in keys if k not in present]
        seen: set[str] = set()
        found: list[list] = [[] for _ in present]
        codes: list[int] = []
        index: dict = {}
        at = present.index(coded) if coded in present else -1
        try:
            for a in range(0, len(dicts), _CHUNK // 4):
                chunk = dicts[a : a + _CHUNK // 4]
                for column, get in zip(found, getters, strict=True):  # the chunk stays in cache
                    column.extend(map(get, chunk))
                if at >= 0:
                    _number(found[at][a:], codes, index)
                for k in lacking:
                    if k not in seen and any(map(contains, chunk, itertools.repeat(k))):
                        seen.add(k)
        except KeyError:
            pass
        else:
            nothing = (None,) * len(dicts)
            by_key = dict(zip(present, found, strict=True))
            out = [
                by_key[k] if k in by_key else (_column(dicts, k) if k in seen else nothing)
                for k in keys
            ]
            if coded is None:
                return out
            if at >= 0:
                return [*out, codes, index]
    out = [_column(dicts, k) for k in keys]
    if coded is None:
        return out
    return [*out, *_indexed(tuple(out[keys.index(coded)]))]


def _number(values: Sequence, codes: list[int], index: dict) -> None:
    """Append to ``codes`` the number of each value in ``index`` (a value not yet in it gets
    the next number): :func:`_indexed`, a chunk at a time.

    >>> codes, index = [], {}
    >>> _number(["x", "y", "x"], codes, index); _number(["z", "y"], codes, index)
    >>> codes, index
    ([0, 1, 0, 2, 1], {'x': 0, 'y': 1, 'z': 2})
    """
    fresh = [v for v in dict.fromkeys(values) if v not in index]
    index.update(zip(fresh, itertools.count(len(index))))
    codes.extend(map(index.__getitem__, values))


#: Rows transposed at a time: a chunk's tuples stay in the CPU cache while each of its columns
#: is read (a transposition of the whole table at once reads all of it again for each column).
_CHUNK = 1024


def _column(dicts: Sequence[dict], key: str) -> tuple:
    """The values of ``key`` in each dict (``None`` if missing): one pass in C, and a key no
    dict has (a common case: optional fields) costs only a scan for it.

    >>> _column([{"a": 1}, {"b": 2}], "a"), _column([{"a": 1}], "c")
    ((1, None), (None,))
    """
    try:
        return tuple(map(itemgetter(key), dicts))
    except KeyError:
        if not any(map(contains, dicts, itertools.repeat(key))):
            return (None,) * len(dicts)
        return tuple(map(methodcaller("get", key), dicts))


def _edge_table(
    g: nx.MultiDiGraph, index: dict, keys: tuple[str, ...], *, coded: str | None = None
) -> tuple[list[int], list[int], list, list[Sequence], tuple[list[int], dict] | None]:
    """The claims of ``g`` in its edge order: subject and object numbers (``index``), edge keys
    (``None`` in a graph without them) and the columns of ``keys`` (as :func:`_columns`), read
    in one pass over networkx's adjacency dicts (three times faster than ``g.edges``), a chunk
    at a time; and the ``coded`` column numbered as :func:`_indexed` does (``None`` when it was
    not read in that pass).

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", key="p", label="x", n=1); _ = g.add_edge("b", "a", key="q", n=2)
    >>> _edge_table(g, {"a": 0, "b": 1}, ("n", "label"))
    ([0, 1], [1, 0], ['p', 'q'], [(1, 2), ('x', None)], None)
    >>> h = nx.MultiDiGraph([("a", "b", "p", {"p": "x", "n": 1}), ("b", "a", "q", {"p": "y", "n": 2})])
    >>> _edge_table(h, {"a": 0, "b": 1}, ("p", "n"), coded="p")[3:]
    ([['x', 'y'], [1, 2]], ([0, 1], {'x': 0, 'y': 1}))
    """
    if g.is_multigraph() and g.is_directed():
        succ = g._succ
        first = next(
            (d for nbrs in succ.values() for keyed in nbrs.values() for d in keyed.values()), None
        )
        if first is None:
            return [], [], [], [() for _ in keys], None
        present = tuple(k for k in keys if k in first)
        if len(present) > 1:
            get = itemgetter(*present)
            items = list(succ.items())
            step = _CHUNK // 4  # subjects at a time: about _CHUNK / 2 claims
            at = 5 + present.index(coded) if coded in present else -1
            codes: list[int] = []
            numbers: dict = {}
            table: list[list] = []
            try:
                for a in range(0, len(items), step):
                    parts = list(
                        zip(
                            *[
                                (i, index[o], k, d, len(d), *get(d))
                                for s, nbrs in items[a : a + step]
                                for i in (index[s],)
                                for o, keyed in nbrs.items()
                                for k, d in keyed.items()
                            ],
                            strict=True,
                        )
                    )
                    if not parts:  # subjects of no claim
                        continue
                    table = table or [[] for _ in parts]
                    for column, part in zip(table, parts, strict=True):
                        column.extend(part)
                    if at >= 0:  # numbered while the chunk is in cache
                        _number(parts[at], codes, numbers)
            except KeyError:  # some claim lacks a field the first has
                pass
            else:
                src, dst, ekeys, data, sizes, *got = table
                found = dict(zip(present, got, strict=True))
                # claims with exactly the first's fields, all of them read: the others are absent
                alike = len(present) == len(first) and sizes.count(len(first)) == len(sizes)
                nothing = (None,) * len(sizes)
                columns = [
                    found[k] if k in found else nothing if alike else _column(data, k) for k in keys
                ]
                return src, dst, ekeys, columns, ((codes, numbers) if at >= 0 else None)
        edges = [
            (s, o, k, d)
            for s, nbrs in succ.items()
            for o, keyed in nbrs.items()
            for k, d in keyed.items()
        ]
    elif g.is_multigraph():
        edges = list(g.edges(keys=True, data=True))
    else:
        edges = [(s, o, None, d) for s, o, d in g.edges(data=True)]
    src = [index[e[0]] for e in edges]
    dst = [index[e[1]] for e in edges]
    return src, dst, [e[2] for e in edges], _columns([e[3] for e in edges], keys), None


def _ints(values: tuple) -> np.ndarray:
    """An int array of ``values`` (``None`` as 0).

    >>> _ints((1, None, 2.0, True)).tolist()
    [1, 0, 2, 1]
    """
    try:
        return np.fromiter(values, np.int64, len(values))  # no shape discovery: quicker
    except (TypeError, ValueError):
        pass
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
    n: int,
    src: Sequence[int] | np.ndarray,
    dst: Sequence[int] | np.ndarray,
    cls: Sequence[int],
    keep: Sequence[int] = (),
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
    only, word = ["Preclinical"], "Preclinical"
    try:  # in C: which lists are exactly ["Preclinical"] (graph_of's levels are sorted and
        # distinct), and which hold it among others (only those need the rule itself)
        has = np.fromiter(map(contains, levels, itertools.repeat(word)), bool, len(levels))
    except TypeError:  # claims without levels (None)
        return [
            lv == only or (bool(lv) and word in lv and claims.is_preclinical_only(lv))
            for lv in levels
        ]
    out = np.fromiter(map(eq, levels, itertools.repeat(only)), bool, len(levels))
    for j in np.flatnonzero(has & ~out).tolist():
        out[j] = claims.is_preclinical_only(levels[j])
    return out.tolist()


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


def _evidence_columns(per_edge: Sequence, levels: tuple) -> dict:
    """The statements of every claim (a list of rows, or ``None``), flattened into columns
    (claim ``j``'s are rows ``ev0[j]`` to ``ev0[j] + evn[j] - 1``), with the documents, evidence
    levels and certainties they use, and how many distinct documents support each claim."""
    m = len(per_edge)
    evn: list[int] = []
    rows: list[dict] = []
    try:  # each claim's count and rows, a chunk of claims at a time (their lists stay in cache)
        for a in range(0, m, _CHUNK):
            part = per_edge[a : a + _CHUNK]
            evn.extend(map(len, part))
            rows.extend(itertools.chain.from_iterable(part))
    except TypeError:  # claims without statements (None) in a query view
        per_edge = [r or () for r in per_edge]
        evn = list(map(len, per_edge))
        rows = list(itertools.chain.from_iterable(per_edge))
    a_evn = np.fromiter(evn, np.int64, m)
    ev0 = [0, *itertools.accumulate(evn)][:-1]
    quote, stext, otext, _, level_raw, cert_raw, neg, qual, note, doc, docs = _columns(
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
        coded="document",
    )
    a_doc = np.fromiter(doc, np.int64, len(doc))
    documents = []
    kinds: dict[str, str | None] = {}  # pretty source types, each worked out once
    # each document's details, from its first statement
    for iri, r in zip(docs, map(rows.__getitem__, _first_rows(a_doc)), strict=True):
        text = _text(iri)
        kind = _text(r.get("source_type"))
        if kind not in kinds:
            kinds[kind] = style.pretty(kind) or None
        documents.append(
            {
                "iri": text,
                "title": _text(r.get("title")) or text.rsplit("/", 1)[-1],
                "publisher": _text(r.get("publisher")) or None,
                "date": _text(r.get("date")) or None,
                "type": kinds[kind],
                **details.document_fields(r),
            }
        )
    # levels of the statements, and of claims shown without statements (query views)
    bare = np.flatnonzero(a_evn == 0).tolist()
    level_set, cert_set = set(level_raw), set(cert_raw)
    names_seen = {_text(v) for v in level_set} | {_text(v) for j in bare for v in levels[j] or ()}
    level_names = sorted((v for v in names_seen if v), key=style.level_key)
    level_of = {name: i for i, name in enumerate(level_names)}
    level_code = {v: level_of.get(_text(v), -1) for v in level_set}
    cert_names = sorted({_text(v) for v in cert_set} - {""})
    cert_of = {name: i for i, name in enumerate(cert_names)}
    cert_code = {v: cert_of.get(_text(v), -1) for v in cert_set}
    # documents per claim, and claims per document (each counted once)
    width = max(len(documents), 1)
    row_edge = np.repeat(np.arange(m, dtype=np.int64), a_evn)
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
            "neg": list(map(int, map(bool, neg))),
            "qual": _sparse(qual),
            "note": _sparse(note),
            **details.evidence_columns(rows),
        },
        "qualifiers_per_edge": _per_claim(qual, row_edge),
        "evn": evn,
        "a_evn": a_evn,
        "ev0": ev0,
        "documents": documents,
        "level_names": level_names,
        "level_of": level_of,
        "cert_names": cert_names,
        "docs_per_edge": np.bincount(distinct // width, minlength=m),
    }


def _first_rows(codes: np.ndarray) -> list[int]:
    """Where each code first appears, for codes numbered in order of first appearance (as
    :func:`_indexed` numbers them): a running maximum, no sort.

    >>> _first_rows(np.array([0, 1, 0, 2, 1, 3]))
    [0, 1, 3, 5]
    """
    if not len(codes):
        return []
    seen = np.maximum.accumulate(np.r_[-1, codes[:-1]])
    return np.flatnonzero(codes > seen).tolist()


def _sparse(column: tuple) -> dict[int, str]:
    """The non-empty texts of a column, by row number (none at all is the usual case).

    >>> _sparse((None, "less than ketamine", ""))
    {1: 'less than ketamine'}
    """
    if not any(column):
        return {}
    return {k: v for k, v in enumerate(column) if isinstance(v, str) and v}


def _per_claim(qual: tuple, row_edge: np.ndarray) -> dict[int, str]:
    """Each claim's distinct qualifiers (``"; "``-joined, sorted), from its statements'
    (``row_edge``: the claim of each statement); claims without any are left out.

    >>> _per_claim(("b", None, "a", "b"), np.array([0, 0, 1, 1]))
    {0: 'b', 1: 'a; b'}
    """
    found: dict[int, set[str]] = {}
    if any(qual):
        for k in np.flatnonzero(np.fromiter(map(bool, qual), bool, len(qual))).tolist():
            found.setdefault(int(row_edge[k]), set()).add(qual[k])
    return {j: "; ".join(sorted(found[j])) for j in sorted(found)}


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
    src, dst, ekeys, columns, coding = _edge_table(
        g,
        index,
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
        coded="predicate",
    )
    pred, label, stmts_raw, docs_raw, negated, hedged, levels, contested, weight, why, rows_of = (
        columns
    )
    m = len(src)
    a_src, a_dst = np.fromiter(src, np.int64, m), np.fromiter(dst, np.int64, m)
    a_degree = np.bincount(a_src, minlength=n) + np.bincount(a_dst, minlength=n)
    degree = a_degree.tolist()
    nodes, legend = _node_columns(g)
    # room for each node and its label, which the small layout keeps apart (in a large graph,
    # for its backbone: the most connected entities)
    labels = nodes["label"]
    boxed = range(n) if not large else np.argsort(-a_degree, kind="stable")[:BACKBONE]
    boxes = {
        i: _box(
            style.node_size(degree[i]), style.wrap_label(labels[i]), style.label_font(degree[i])
        )
        for i in map(int, boxed)
    }
    marked = [index[v] for v in highlight if v in index]
    bundles = hub_bundles(n, a_src, a_dst, nodes["cls"], marked) if layers is None else []
    fold = [
        (b["members"], _box(min(10 + 2.2 * len(b["members"]) ** 0.5, 24), "+00 " + "m" * 14, 11))
        for b in bundles
    ]
    x, y = layout_xy(g, a_src, a_dst, boxes=boxes, layers=layers, fold=fold)
    pairs = np.stack([a_src, a_dst], axis=1)
    backbone = sorted(rank_by_degree(n, pairs[a_src != a_dst])[:BACKBONE].tolist()) if large else []
    nodes["x"], nodes["y"] = x, y

    rel, rel_index = coding if coding is not None else _indexed(pred)
    if not all(isinstance(p, str) and p for p in rel_index):  # else the edge key names it
        pred = tuple(
            p if isinstance(p, str) and p else str(k if k is not None else lb or "related to")
            for p, lb, k in zip(pred, label, ekeys, strict=True)
        )
        rel, rel_index = _indexed(pred)
    a_rel = np.fromiter(rel, np.int64, m)
    rel_count = np.bincount(a_rel, minlength=len(rel_index)).tolist()
    last = np.zeros(len(rel_index), dtype=np.int64)  # each relation's label: its last claim's
    np.maximum.at(last, a_rel, np.arange(m, dtype=np.int64))
    rel_label = {p: label[last[i]] for p, i in rel_index.items()}
    relations = [
        {
            "iri": p,
            "label": style.pretty(_text(rel_label.get(p)) or style.local_name(p)),
            "count": rel_count[i],
        }
        for p, i in rel_index.items()
    ]

    ev = _evidence_columns(rows_of, levels)
    evn, ev0, documents, level_of = ev["evn"], ev["ev0"], ev["documents"], ev["level_of"]
    docs_per_edge = ev["docs_per_edge"]

    # claims
    a_stmts = _ints(stmts_raw)  # as given, else counted from the statements shown
    a_stmts = np.where(a_stmts != 0, a_stmts, ev["a_evn"])
    a_docs = _ints(docs_raw)
    docs_n = np.where(a_docs != 0, a_docs, docs_per_edge).tolist()
    stmts = a_stmts.tolist()
    flags = claims.claim_flags(
        a_stmts,
        _ints(negated),
        _ints(hedged),
        _preclinical_only(levels),
        list(map(bool, contested)),
    ).tolist()
    curve = _curves(a_src, a_dst, n)
    elv = {  # evidence levels of claims shown without statements (query views)
        j: sorted({level_of[_text(v)] for v in levels[j] if _text(v) in level_of})
        for j in np.flatnonzero(ev["a_evn"] == 0).tolist()
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
        "w": list(weight)
        if weight.count(None) == m
        else [None if v is None else float(v) for v in weight],
        "why": {j: t for j, t in enumerate(why) if t} if any(why) else {},
        "qual": ev["qualifiers_per_edge"],
        "against": details.contested_pairs(
            g,
            [
                (str(nodes["iri"][a]), str(nodes["iri"][b]), str(k))
                for a, b, k in zip(src, dst, ekeys, strict=True)
            ],
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
            "edges": m,
            "statements": len(ev["columns"]["quote"]),
            "documents": len(documents),
            "physics": physics,
            "physicsMax": SMALL,
            "layered": layers is not None,  # chains in columns: labels go beside their entities
            "backbone": backbone,  # a large graph's overview: its most connected entities
            "large": large,
            "edgeLabels": m <= 600,
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
