"""Node positions computed in Python, so the browser draws at once instead of simulating.

Small graphs (up to :data:`SMALL` nodes) are laid out one connected component at a time with
networkx's Fruchterman–Reingold (``spring_layout``), then nodes are pushed apart until their
labels do not overlap, and the components are packed in rows (largest first) instead of being
flung to the edges. Large graphs are laid out around their backbone (:func:`backbone_layout`):
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

__all__ = [
    "BACKBONE",
    "SMALL",
    "backbone_layout",
    "grid_force_layout",
    "layout_xy",
    "positions",
    "remove_overlaps",
]

#: Up to this many nodes: spring layout per component, label overlap removal, packing.
SMALL = 300
#: Typical edge length in pixels (vis-network's canvas units).
EDGE_PX = 90.0
#: Least room per node in pixels for large graphs (square root of the area per node).
SPACING_PX = 40.0
#: Column and row spacing of layered (chain) layouts, in pixels.
COLUMN_PX = 260.0
ROW_PX = 120.0
#: Gap between packed components, in pixels.
GAP_PX = 60.0
#: Large graphs: how many of the most connected entities form the backbone of the layout.
BACKBONE = 150
#: Large graphs: ring spacing and room per entity along a ring around a backbone entity, in pixels.
RING_PX = 24.0
SLOT_PX = 22.0


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
    src: list[int],
    dst: list[int],
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
        ring = _rings(len(members), max(box[0], box[1]) / 2 + SLOT_PX)
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


def _small_layout(
    n: int,
    pairs: np.ndarray,
    size: np.ndarray,
    seed: int,
    aspect: float,
    *,
    iterations: int = 100,
    rounds: int = 400,
    room: np.ndarray | None = None,
) -> np.ndarray:
    simple = nx.Graph()
    simple.add_nodes_from(range(n))
    simple.add_edges_from(pairs.tolist())
    # short edges pack big graphs tightly; small ones can afford room for their labels
    edge_px = float(np.interp(n, [10, 100], [2.2 * EDGE_PX, EDGE_PX]))
    xy = np.zeros((n, 2))
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (members, lo, hi)
    for comp in sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c))):
        members = np.array(sorted(comp))
        shift = np.stack([np.zeros(len(members)), size[members, 2]], axis=1)  # label below node
        if len(members) == 1:
            local = np.zeros((1, 2))
        else:
            sub = simple.subgraph(members.tolist())
            k = 1.0 / np.sqrt(len(members))
            pos = nx.spring_layout(sub, k=k, iterations=iterations, seed=seed)
            local = np.array([pos[int(v)] for v in members], dtype=float)
            lookup = {int(v): i for i, v in enumerate(members)}
            sub_pairs = np.array([(lookup[a], lookup[b]) for a, b in sub.edges()], dtype=np.int64)
            local = _normalise(local, sub_pairs.reshape(-1, 2), edge_px)
            if room is not None:
                local = _make_room(local, room[members, :2])
            local = (
                remove_overlaps(local + shift, size[members, :2], bias=2.0, rounds=rounds) - shift
            )
        half = size[members, :2] / 2
        lo = (local + shift - half).min(axis=0)
        hi = (local + shift + half).max(axis=0)
        xy[members] = local
        parts.append((members, lo, hi))
    return _pack(xy, parts, aspect)


def _make_room(xy: np.ndarray, size: np.ndarray, fill: float = 0.35) -> np.ndarray:
    """Scale ``xy`` up (never down) until the boxes ``size`` cover at most ``fill`` of the
    drawing's area, so that removing overlaps moves nodes a little, not far from their
    neighbours (a crowded spring layout would otherwise end as a pile pushed apart at random).

    >>> float(_make_room(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), np.full((3, 2), 10.0)).max())
    2.66...
    """
    extent = xy.max(axis=0) - xy.min(axis=0) + size.mean(axis=0)
    need = float(np.prod(size, axis=1).sum()) / fill
    area = float(np.prod(extent))
    factor = np.sqrt(need / area) if area > 0 else 1.0
    return xy * factor if factor > 1.0 else xy


def _pack(xy: np.ndarray, parts: list, aspect: float) -> np.ndarray:
    """Place components in rows, largest first, filling a drawing about ``aspect`` wide."""
    area = sum(float(np.prod(hi - lo + GAP_PX)) for _, lo, hi in parts)
    width = max(float(parts[0][2][0] - parts[0][1][0]), np.sqrt(area * aspect))
    x = y = row_height = 0.0
    out = xy.copy()
    for members, lo, hi in parts:
        w, h = hi - lo
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height + GAP_PX, 0.0
        out[members] = xy[members] - lo + (x, y)
        x += w + GAP_PX
        row_height = max(row_height, h)
    return out - (out.min(axis=0) + out.max(axis=0)) / 2


def remove_overlaps(
    xy: np.ndarray, size: np.ndarray, *, pad: float = 6.0, rounds: int = 400, bias: float = 1.0
) -> np.ndarray:
    """Move nodes apart until no two ``size`` (width, height) boxes centred on them overlap,
    each pair along the axis where they overlap least (O(n²) per round; for small graphs).

    >>> xy = remove_overlaps(np.zeros((2, 2)), np.array([[40.0, 20.0], [40.0, 20.0]]))
    >>> bool(abs(xy[0] - xy[1]).max() >= 20)
    True
    """
    xy = xy.astype(float).copy()
    n = len(xy)
    if n < 2:
        return xy
    i, j = np.triu_indices(n, 1)
    need = (size[i] + size[j]) / 2 + pad
    rng = np.random.default_rng(0)
    for _ in range(rounds):
        d = xy[j] - xy[i]
        overlap = need - np.abs(d)
        hit = (overlap[:, 0] > 0) & (overlap[:, 1] > 0)
        if not hit.any():
            break
        d, overlap, hi_, hj_ = d[hit], overlap[hit], i[hit], j[hit]
        axis = (overlap[:, 1] * bias < overlap[:, 0]).astype(int)  # along the smaller overlap
        rows = np.arange(len(axis))
        sign = np.sign(d[rows, axis])
        sign[sign == 0] = rng.choice([-1.0, 1.0], size=int((sign == 0).sum()))
        shift = np.zeros((len(axis), 2))
        shift[rows, axis] = sign * overlap[rows, axis] * 0.5
        move = np.zeros_like(xy)
        np.add.at(move, hj_, shift)
        np.add.at(move, hi_, -shift)
        counts = np.bincount(np.concatenate([hi_, hj_]), minlength=n).clip(1)[:, None]
        xy += move / counts**0.25
    return xy


def _normalise(xy: np.ndarray, pairs: np.ndarray, edge_px: float) -> np.ndarray:
    """Centre and scale: the median edge ``edge_px`` long, unless that leaves less than
    ``SPACING_PX`` of room per node (long edges in dense graphs), then nodes ``SPACING_PX`` apart."""
    xy = xy - xy.mean(axis=0)
    n = len(xy)
    extent = float((xy.max(axis=0) - xy.min(axis=0)).mean()) if n > 1 else 0.0
    spacing = extent / np.sqrt(n) if extent else 1.0
    if len(pairs):
        lengths = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
        positive = lengths[lengths > 0]
        typical = float(np.median(positive)) if len(positive) else spacing
    else:
        typical = spacing
    factor = max(edge_px / typical, SPACING_PX / spacing)
    return xy * factor


def grid_force_layout(
    n: int, src: np.ndarray, dst: np.ndarray, *, seed: int = 7, iterations: int = 45
) -> np.ndarray:
    """An ``(n, 2)`` array of positions: Fruchterman–Reingold in O(n + m + G² log G) per iteration.

    Attraction acts along each edge (distance², ideal length 1). Repulsion between all pairs is
    computed on a G×G grid (a particle-mesh method): the count of nodes per cell convolved, by FFT,
    with the 1/distance force kernel; nodes sharing a cell are pushed away from its centre.

    >>> xy = grid_force_layout(1000, np.arange(999), np.arange(1, 1000))
    >>> xy.shape, bool(np.isfinite(xy).all())
    ((1000, 2), True)
    """
    rng = np.random.default_rng(seed)
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    side = np.sqrt(n)
    x, y = rng.uniform(-side / 2, side / 2, size=(2, n))
    if n < 2:
        return np.stack([x, y], axis=1)
    size = int(np.clip(2 * np.sqrt(n), 16, 128))  # grid cells per side
    offsets = np.fft.fftfreq(2 * size, 1.0 / (2 * size))
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = np.inf
    kernel_x = np.fft.rfft2(dx / r2)
    kernel_y = np.fft.rfft2(dy / r2)
    padded = np.zeros((2 * size, 2 * size))
    ends = np.concatenate([src, dst])  # springs: +f on the source, -f on the target
    degree = np.bincount(ends, minlength=n)
    inv_mass = 1.0 / (1.0 + degree)
    cells = size * size
    for it in range(iterations):
        temp = side * 0.15 * (1.0 - it / iterations) + 0.02
        # repulsion on the grid: node counts per cell convolved with the 1/r kernel
        x0, y0 = x.min(), y.min()
        h = max(x.max() - x0, y.max() - y0) / (size - 1) or 1.0
        gx = np.minimum(((x - x0) / h).astype(np.int64), size - 1)
        gy = np.minimum(((y - y0) / h).astype(np.int64), size - 1)
        flat = gx * size + gy
        counts = np.bincount(flat, minlength=cells)
        padded[:size, :size] = counts.reshape(size, size)
        spectrum = np.fft.rfft2(padded)
        fx = np.fft.irfft2(spectrum * kernel_x, s=padded.shape)[:size, :size].ravel()
        fy = np.fft.irfft2(spectrum * kernel_y, s=padded.shape)[:size, :size].ravel()
        vx = fx[flat] / h
        vy = fy[flat] / h
        # nodes sharing a cell: away from the cell's centre of mass
        occupancy = counts[flat]
        crowded = (occupancy > 1) * 0.5
        for v, p in ((vx, x), (vy, y)):
            away = p - np.bincount(flat, p, cells)[flat] / occupancy
            v += crowded * away / np.maximum(away * away, 0.01)
        # springs, distance² along each edge
        ex = x[dst] - x[src]
        ey = y[dst] - y[src]
        dist = np.hypot(ex, ey)
        vx += np.bincount(ends, np.concatenate([ex * dist, -ex * dist]), n) * inv_mass
        vy += np.bincount(ends, np.concatenate([ey * dist, -ey * dist]), n) * inv_mass
        # gentle gravity keeps disconnected pieces in view; step at most `temp`
        vx -= x * (0.05 / side)
        vy -= y * (0.05 / side)
        step = np.minimum(1.0, temp / np.maximum(np.hypot(vx, vy), 1e-9))
        x += vx * step
        y += vy * step
    return np.stack([x, y], axis=1)


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


def _rings(count: int, inner: float) -> np.ndarray:
    """Offsets of ``count`` points on rings around a centre: the first ring ``inner`` pixels out,
    then every ``RING_PX``, ``SLOT_PX`` apart along each ring, each ring turned a little.

    >>> _rings(3, 50.0).shape
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
        radii[a] = _rings(c, float(inner[local[a]]))
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
    _, first, inverse = np.unique(np.rint(xy), axis=0, return_index=True, return_inverse=True)
    again = np.flatnonzero(first[inverse.ravel()] != np.arange(n))
    xy[again] += np.array([SLOT_PX / 2, RING_PX / 3])
    return xy
