"""The layout of a large graph around its backbone: the :data:`BACKBONE` most connected entities
get the small layout of :mod:`kgraph.views.forces` with room for their labels and for the rings of
entities that hang off them; every other entity sits on rings around its nearest backbone entity;
what no backbone entity reaches is laid out below by :func:`~kgraph.views.forces.grid_force_layout`.

>>> import numpy as np
>>> backbone_layout(400, np.array([(0, i) for i in range(1, 400)])).shape
(400, 2)
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .forces import EDGE_PX, GAP_PX, _normalise, _small_layout, grid_force_layout

__all__ = ["BACKBONE", "RING_PX", "SLOT_PX", "backbone_layout", "rank_by_degree", "rings"]

#: Large graphs: how many of the most connected entities form the backbone of the layout.
BACKBONE = 150
#: Large graphs: ring spacing and room per entity along a ring around a backbone entity, in pixels.
RING_PX = 24.0
SLOT_PX = 22.0


def rank_by_degree(n: int, pairs: np.ndarray) -> np.ndarray:
    """Node indices, most connected first (ties: lower index first), as the page ranks them.

    >>> rank_by_degree(3, np.array([[0, 1], [1, 2]])).tolist()
    [1, 0, 2]
    """
    degree = np.bincount(pairs.ravel(), minlength=n) if len(pairs) else np.zeros(n, np.int64)
    return np.lexsort((np.arange(n), -degree))


def _nearest(n: int, pairs: np.ndarray, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every node, the nearest of ``sources`` (-1 if none is reached) and how many hops away,
    by a breadth-first search from all of them at once (direction ignored)."""
    both = np.concatenate([pairs, pairs[:, ::-1]]) if len(pairs) else np.zeros((0, 2), np.int64)
    both = both[np.argsort(both[:, 0], kind="stable")]
    indptr = np.searchsorted(both[:, 0], np.arange(n + 1))
    indices = both[:, 1]
    owner = np.full(n, -1, dtype=np.int64)
    hops = np.full(n, -1, dtype=np.int64)
    owner[sources], hops[sources] = sources, 0
    frontier, step = np.asarray(sources, dtype=np.int64), 0
    while len(frontier):
        step += 1
        starts, counts = indptr[frontier], indptr[frontier + 1] - indptr[frontier]
        if not counts.sum():
            break
        at = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        near, via = indices[at], np.repeat(owner[frontier], counts)
        new = owner[near] < 0
        near, first = np.unique(near[new], return_index=True)
        owner[near], hops[near] = via[new][first], step
        frontier = near
    return owner, hops


def rings(count: int, inner: float) -> np.ndarray:
    """Offsets of ``count`` points on rings around a centre: the first ring ``inner`` pixels out,
    then every ``RING_PX``, ``SLOT_PX`` apart along each ring, each ring turned a little.

    >>> rings(3, 50.0).shape
    (3, 2)
    """
    out = np.zeros((count, 2))
    done, ring = 0, 0
    while done < count:
        radius = inner + ring * RING_PX
        slots = min(count - done, max(6, int(2 * np.pi * radius / SLOT_PX)))
        angle = 2 * np.pi * np.arange(slots) / slots + ring * 0.618
        out[done : done + slots] = radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)
        done += slots
        ring += 1
    return out


def _box_at(boxes, v: int) -> tuple[float, ...]:
    """Node ``v``'s box from a list or mapping of boxes (a default where none is given)."""
    if boxes is None:
        return (30.0, 30.0, 0.0)
    try:
        return tuple(boxes[v])
    except (KeyError, IndexError):
        return (30.0, 30.0, 0.0)


def backbone_layout(
    n: int,
    pairs: np.ndarray,
    *,
    boxes: Mapping[int, tuple[float, ...]] | list[tuple[float, ...]] | None = None,
    seed: int = 7,
    aspect: float = 1.35,
) -> np.ndarray:
    """An ``(n, 2)`` array of positions for a large graph (edges ``pairs``, ``(m, 2)`` node
    indices): the :data:`BACKBONE` most connected nodes laid out as a small graph (``boxes``:
    their label boxes, as :func:`positions` takes them), each with room for the rings of the
    nodes nearest to it; the others on those rings, most connected innermost; nodes no backbone
    node reaches laid out by :func:`grid_force_layout` below the rest.

    >>> xy = backbone_layout(500, np.array([(i, i + 1) for i in range(499)]))
    >>> xy.shape, len({tuple(p) for p in np.rint(xy).tolist()})
    ((500, 2), 500)
    """
    order = rank_by_degree(n, pairs)
    core = np.sort(order[: min(BACKBONE, n)])
    owner, hops = _nearest(n, pairs, core)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    # each backbone node's satellites: the nodes nearest to it, nearer and busier ones first
    sat = np.flatnonzero((owner >= 0) & (hops > 0))
    sat = sat[np.lexsort((rank[sat], hops[sat], owner[sat]))]
    anchors, first, counts = np.unique(owner[sat], return_index=True, return_counts=True)
    local = np.full(n, -1, dtype=np.int64)
    local[core] = np.arange(len(core))
    size = np.array(
        [
            tuple(_box_at(boxes, v))[:3] + (0.0,) * (3 - len(_box_at(boxes, v)))
            for v in core.tolist()
        ],
        dtype=float,
    ).reshape(len(core), 3)
    inner = np.maximum(size[:, 0], size[:, 1]) / 2 + RING_PX
    cloud = np.zeros(len(core))  # radius of each backbone node's rings
    radii = {}
    for a, c in zip(anchors.tolist(), counts.tolist(), strict=True):
        radii[a] = rings(c, float(inner[local[a]]))
        cloud[local[a]] = float(np.hypot(*radii[a][-1]))
    # room for the clouds (a little less than their width: neighbours' rings may interleave)
    # and for the labels
    room = size.copy()
    room[:, :2] = np.maximum(room[:, :2], cloud[:, None] * 1.6)
    inside = (local[pairs[:, 0]] >= 0) & (local[pairs[:, 1]] >= 0) if len(pairs) else []
    core_pairs = local[pairs[inside]] if len(pairs) else np.zeros((0, 2), np.int64)
    xy = np.zeros((n, 2))
    # spread for the clouds, then labels kept apart (fewer rounds than a small graph gets)
    xy[core] = _small_layout(
        len(core),
        core_pairs.reshape(-1, 2),
        size,
        seed,
        aspect,
        iterations=30,
        rounds=40,
        room=room,
        quick=True,
    )
    for a, start, c in zip(anchors.tolist(), first.tolist(), counts.tolist(), strict=True):
        xy[sat[start : start + c]] = xy[a] + radii[a]
    alone = np.flatnonzero(owner < 0)  # components without a backbone node
    if len(alone):
        where = np.full(n, -1, dtype=np.int64)
        where[alone] = np.arange(len(alone))
        keep = (where[pairs[:, 0]] >= 0) & (where[pairs[:, 1]] >= 0) if len(pairs) else []
        sub = where[pairs[keep]] if len(pairs) else np.zeros((0, 2), np.int64)
        rest = grid_force_layout(len(alone), sub[:, 0], sub[:, 1], seed=seed, iterations=20)
        rest = _normalise(rest, sub, EDGE_PX)
        top = xy[core].max(axis=0)[1] if len(core) else 0.0
        rest = rest - rest.min(axis=0)
        span = xy[core, 0].min() if len(core) else 0.0
        xy[alone] = rest + np.array([span, top + 4 * GAP_PX])
    # rings of neighbouring backbone nodes may put two entities on one spot: move the later ones
    spot = np.rint(xy).astype(np.int64)
    spot -= spot.min(axis=0)
    key = spot[:, 0] * (int(spot[:, 1].max()) + 1) + spot[:, 1]  # one integer per spot
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    again = np.flatnonzero(first[inverse.ravel()] != np.arange(n))
    xy[again] += np.array([SLOT_PX / 2, RING_PX / 3])
    return xy
