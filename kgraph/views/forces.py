"""The force layouts under :mod:`kgraph.views.layout` and :mod:`kgraph.views.backbone`: the
small layout (spring layout per component, labels kept apart, components packed in rows),
overlap removal, scaling, and :func:`grid_force_layout` for thousands of nodes.

>>> import numpy as np
>>> grid_force_layout(50, np.arange(49), np.arange(1, 50)).shape
(50, 2)
"""

from __future__ import annotations

import networkx as nx
import numpy as np

__all__ = [
    "EDGE_PX",
    "GAP_PX",
    "SPACING_PX",
    "grid_force_layout",
    "remove_overlaps",
    "spring_layout",
]

#: Typical edge length in pixels (vis-network's canvas units).
EDGE_PX = 90.0
#: Least room per node in pixels for large graphs (square root of the area per node).
SPACING_PX = 40.0
#: Gap between packed components, in pixels.
GAP_PX = 60.0


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
    quick: bool = False,
) -> np.ndarray:
    """Positions of ``n`` nodes linked by ``pairs``: a spring layout per component, ``size``
    (width, height, label offset) boxes kept apart, components packed in rows about ``aspect``
    wide. ``quick``: the spring layout of :func:`spring_layout` instead of networkx's (the same
    to rounding after a few dozen iterations; rounding grows with many, so small graphs, laid
    out with 100, keep networkx's)."""
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
            where = np.full(n, -1, dtype=np.int64)
            where[members] = np.arange(len(members))
            sub_pairs = where[pairs[where[pairs[:, 0]] >= 0]].reshape(-1, 2)
            sub_pairs = np.unique(np.sort(sub_pairs, axis=1), axis=0)  # each linked pair once
            k = 1.0 / np.sqrt(len(members))
            if quick:
                local = spring_layout(
                    len(members), sub_pairs, k=k, iterations=iterations, seed=seed
                )
            else:
                pos = nx.spring_layout(
                    simple.subgraph(members.tolist()), k=k, iterations=iterations, seed=seed
                )
                local = np.array([pos[int(v)] for v in members], dtype=float)
            local = _normalise(local, sub_pairs, edge_px)
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


def spring_layout(
    n: int, pairs: np.ndarray, *, k: float, iterations: int = 50, seed: int = 7
) -> np.ndarray:
    """``networkx.spring_layout`` of nodes ``0 … n-1`` linked by ``pairs`` (with ``k``,
    ``iterations`` and ``seed``): Fruchterman–Reingold from the same seeded random start, then
    centred and scaled into [-1, 1]; the same arithmetic on x and y arrays (networkx's, on an
    n×n×2 array through einsum, takes three times as long), summed in another order: the two
    agree to about 1e-7 after 30 iterations, and drift apart over many more.

    >>> import networkx as nx
    >>> g = nx.path_graph(5)
    >>> ours = spring_layout(5, np.array(list(g.edges())), k=0.4, iterations=30, seed=7)
    >>> theirs = nx.spring_layout(g, k=0.4, iterations=30, seed=7)
    >>> bool(np.allclose(ours, [theirs[v] for v in range(5)]))
    True
    """
    adjacency = np.zeros((n, n))
    if len(pairs):
        adjacency[pairs[:, 0], pairs[:, 1]] = adjacency[pairs[:, 1], pairs[:, 0]] = 1.0
    start = np.random.RandomState(seed).rand(n, 2)
    x, y = start[:, 0].copy(), start[:, 1].copy()
    t = max(x.max() - x.min(), y.max() - y.min()) * 0.1
    dt = t / (iterations + 1)
    for _ in range(iterations):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        distance = np.sqrt(dx * dx + dy * dy)
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / distance**2 - adjacency * distance / k
        px = np.einsum("ij,ij->i", dx, force)
        py = np.einsum("ij,ij->i", dy, force)
        length = np.sqrt(px * px + py * py)
        np.clip(length, 0.01, None, out=length)
        step = t / length
        px *= step
        py *= step
        x += px
        y += py
        t -= dt
        if np.sqrt(px @ px + py @ py) / n < 1e-4:
            break
    pos = np.stack([x, y], axis=1)
    pos -= pos.mean(axis=0)
    lim = np.abs(pos).max()
    return pos / lim if lim > 0 else pos


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
        # each node's moves summed in order, j-ends then i-ends (np.add.at's sums, by bincount)
        ends = np.concatenate([hj_, hi_])
        move = np.stack(
            [np.bincount(ends, np.concatenate([shift[:, c], -shift[:, c]]), n) for c in (0, 1)],
            axis=1,
        )
        counts = np.bincount(ends, minlength=n).clip(1)[:, None]
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
