"""Node positions computed in Python, so the browser draws at once instead of simulating.

Small graphs (up to :data:`SMALL` nodes) are laid out one connected component at a time with
networkx's Fruchterman–Reingold (``spring_layout``), then nodes are pushed apart until their
labels do not overlap, and the components are packed in rows (largest first) instead of being
flung to the edges. Large graphs are laid out around their backbone
(:func:`kgraph.views.backbone.backbone_layout`):
the :data:`BACKBONE` most connected entities get the small layout, each with room for its label
and for the entities that hang off it; every other entity sits on rings around its nearest
backbone entity, and what no backbone entity reaches gets :func:`grid_force_layout` (a force
layout in numpy, O(n + m) per iteration) below. The page draws the backbone first (the readable
overview) and the rest as one zooms in.

>>> import networkx as nx
>>> pos = positions(nx.path_graph(4))
>>> sorted(pos) == [0, 1, 2, 3] and all(len(p) == 2 for p in pos.values())
True
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import networkx as nx
import numpy as np

from .backbone import SLOT_PX, backbone_layout, rings
from .forces import EDGE_PX, GAP_PX, _small_layout, grid_force_layout, remove_overlaps

__all__ = [
    "EDGE_PX",
    "GAP_PX",
    "SMALL",
    "grid_force_layout",
    "layout_xy",
    "positions",
    "remove_overlaps",
]

#: Up to this many nodes: spring layout per component, label overlap removal, packing.
SMALL = 300
#: Column and row spacing of layered (chain) layouts, in pixels.
COLUMN_PX = 260.0
ROW_PX = 120.0


def positions(
    g: nx.Graph,
    *,
    seed: int = 7,
    boxes: Mapping[Hashable, tuple[float, ...]] | None = None,
    aspect: float = 1.35,
    layers: Mapping[Hashable, int] | None = None,
) -> dict[Hashable, tuple[int, int]]:
    """Integer canvas positions for every node of ``g`` (any networkx graph; direction ignored).

    ``boxes`` gives each node's drawn width and height (shape plus label) in pixels, and
    optionally how far below the node the box's centre is; small layouts keep them from
    overlapping; ``aspect`` is the width/height the packed drawing aims at.
    With ``layers`` (node → column), nodes are placed in columns left to right instead, as for
    chains from one entity to another.

    >>> positions(nx.path_graph(3), layers={0: 0, 1: 1, 2: 2})
    {0: (-260, 0), 1: (0, 0), 2: (260, 0)}
    """
    nodes = list(g)
    index = {v: i for i, v in enumerate(nodes)}
    src, dst = [], []
    for u, v in g.edges():
        src.append(index[u])
        dst.append(index[v])
    box_list = [boxes.get(v, (30.0, 30.0)) for v in nodes] if boxes else None
    xs, ys = layout_xy(g, src, dst, boxes=box_list, layers=layers, seed=seed, aspect=aspect)
    return {v: (x, y) for v, x, y in zip(nodes, xs, ys, strict=True)}


def layout_xy(
    g: nx.Graph,
    src: Sequence[int] | np.ndarray,
    dst: Sequence[int] | np.ndarray,
    *,
    boxes: Mapping[int, tuple[float, ...]] | list[tuple[float, ...]] | None = None,
    layers: Mapping[Hashable, int] | None = None,
    seed: int = 7,
    aspect: float = 1.35,
    fold: Sequence[tuple[Sequence[int], tuple[float, ...]]] = (),
) -> tuple[list[int], list[int]]:
    """x and y columns (integers, in ``g``'s node order) for the nodes of ``g``, whose edges
    are given as node indices ``src[k] → dst[k]``; see :func:`positions`.

    ``fold`` lists groups of nodes the page draws as one node (hub bundles: members, and the
    box of the node standing for them): a small graph is laid out as the page first draws it,
    each group as one node, its members on a ring around it (where they appear when opened).

    >>> import networkx as nx
    >>> x, y = layout_xy(nx.path_graph(3), [0, 1], [1, 2])
    >>> len(x) == len(y) == 3 and len(set(zip(x, y))) == 3
    True
    """
    nodes = list(g)
    n = len(nodes)
    if n == 0:
        return [], []
    if layers is not None:
        pos = _layered(g, nodes, layers)
        return [pos[v][0] for v in nodes], [pos[v][1] for v in nodes]
    pairs = np.array([src, dst], dtype=np.int64).T.reshape(-1, 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    if n > SMALL:
        xy = backbone_layout(n, pairs, boxes=boxes, seed=seed, aspect=aspect)
    else:
        size = np.array(
            [boxes[v] for v in range(n)] if boxes else [(30.0, 30.0)] * n, dtype=float
        ).reshape(n, -1)
        if size.shape[1] == 2:
            size = np.hstack([size, np.zeros((n, 1))])
        xy = _folded_layout(n, pairs, size, fold, seed, aspect) if fold else None
        if xy is None:
            xy = _small_layout(n, pairs, size, seed, aspect)
    xy = np.rint(xy).astype(np.int64)
    return xy[:, 0].tolist(), xy[:, 1].tolist()


def _folded_layout(
    n: int, pairs: np.ndarray, size: np.ndarray, fold, seed: int, aspect: float
) -> np.ndarray:
    """The small layout of the graph with each group of ``fold`` as one node (see
    :func:`layout_xy`), members on a ring around their group's place."""

    group = np.full(n, -1, dtype=np.int64)
    for k, (members, _) in enumerate(fold):
        group[np.asarray(members, dtype=np.int64)] = k
    keep = np.flatnonzero(group < 0)
    remap = np.empty(n, dtype=np.int64)
    remap[keep] = np.arange(len(keep))
    remap[group >= 0] = len(keep) + group[group >= 0]
    folded = np.unique(remap[pairs], axis=0) if len(pairs) else pairs
    folded = folded[folded[:, 0] != folded[:, 1]] if len(folded) else folded
    boxes = np.array([tuple(box)[:3] + (0.0,) * (3 - len(box)) for _, box in fold], dtype=float)
    xy_folded = _small_layout(
        len(keep) + len(fold), folded.reshape(-1, 2), np.vstack([size[keep], boxes]), seed, aspect
    )
    xy = np.zeros((n, 2))
    xy[keep] = xy_folded[: len(keep)]
    for k, (members, box) in enumerate(fold):
        ring = rings(len(members), max(box[0], box[1]) / 2 + SLOT_PX)
        xy[np.asarray(members, dtype=np.int64)] = xy_folded[len(keep) + k] + ring
    return xy


def _layered(g: nx.Graph, nodes: list, layers: Mapping[Hashable, int]) -> dict:
    """Columns ``COLUMN_PX`` apart; in each column nodes ``ROW_PX`` apart, ordered by the mean row
    of their neighbours in the previous column (fewer crossings)."""
    columns: dict[int, list] = {}
    for v in nodes:
        columns.setdefault(int(layers.get(v, 0)), []).append(v)
    row: dict[Hashable, float] = {}
    out: dict[Hashable, tuple[int, int]] = {}
    keys = sorted(columns)
    centre = (keys[0] + keys[-1]) / 2
    undirected = g.to_undirected(as_view=True) if g.is_directed() else g
    for c in keys:
        members = columns[c]

        def order(v, c=c):
            near = [row[u] for u in undirected[v] if u in row and layers.get(u, 0) < c]
            return (sum(near) / len(near) if near else 0.0, str(v))

        members.sort(key=order)
        for k, v in enumerate(members):
            row[v] = k - (len(members) - 1) / 2
            out[v] = (round((c - centre) * COLUMN_PX), round(row[v] * ROW_PX))
    return out
