"""Layouts: deterministic, non-overlapping for small graphs, packed components, fast at size."""

from __future__ import annotations

import time
from collections import Counter

import networkx as nx
import numpy as np

from kgraph.views import layout


def _boxes_overlap(xy: np.ndarray, size: np.ndarray) -> int:
    i, j = np.triu_indices(len(xy), 1)
    gap = np.abs(xy[i] - xy[j]) - (size[i] + size[j]) / 2
    return int(((gap[:, 0] < -1) & (gap[:, 1] < -1)).sum())


def test_positions_are_deterministic_and_cover_every_node() -> None:
    g = nx.karate_club_graph()
    a, b = layout.positions(g), layout.positions(g)
    assert a == b and set(a) == set(g)


def test_small_layout_keeps_labels_apart() -> None:
    g = nx.star_graph(40)  # a hub with many leaves: the corpus's ketamine
    boxes = {v: (120.0, 40.0) for v in g}
    pos = layout.positions(g, boxes=boxes)
    xy = np.array([pos[v] for v in g], dtype=float)
    assert _boxes_overlap(xy, np.array([boxes[v] for v in g])) == 0


def test_components_are_packed_not_flung_apart() -> None:
    g = nx.disjoint_union_all([nx.cycle_graph(30)] + [nx.path_graph(2) for _ in range(12)])
    pos = layout.positions(g)
    main = np.array([pos[v] for v in range(30)], dtype=float)
    everything = np.array(list(pos.values()), dtype=float)
    assert np.ptp(everything, axis=0).max() < 1.8 * np.ptp(main, axis=0).max()


def test_layered_layout_puts_columns_left_to_right() -> None:
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "x"), ("x", "c")])
    pos = layout.positions(g, layers={"a": 0, "b": 1, "x": 1, "c": 2})
    assert pos["a"][0] < pos["b"][0] == pos["x"][0] < pos["c"][0]
    assert pos["b"][1] != pos["x"][1]


def test_large_layout_is_fast_and_spread() -> None:
    g = nx.barabasi_albert_graph(20_000, 2, seed=1)
    started = time.perf_counter()
    pos = layout.positions(g)
    elapsed = time.perf_counter() - started
    xy = np.array(list(pos.values()), dtype=float)
    assert np.isfinite(xy).all() and len(pos) == 20_000
    assert elapsed < 3.0, f"layout of 20,000 nodes took {elapsed:.2f} s"
    cells = {tuple(c) for c in (xy // 60).astype(int).tolist()}
    assert len(cells) > 1_500, "nodes are spread over the plane, not piled up"
    alone = Counter(map(tuple, (xy // 10).astype(int).tolist()))
    assert sum(v for v in alone.values() if v == 1) > 0.7 * len(xy), "most have room of their own"


def test_remove_overlaps_separates_coincident_nodes() -> None:
    xy = layout.remove_overlaps(np.zeros((5, 2)), np.full((5, 2), 30.0))
    assert _boxes_overlap(xy, np.full((5, 2), 30.0)) == 0


def test_large_graphs_are_laid_out_around_their_backbone() -> None:
    """The most connected entities get the small layout with room for their labels; every other
    entity sits near the backbone entity it is nearest to; unreached components go below."""
    g = nx.barabasi_albert_graph(2_000, 2, seed=4)
    g.add_edges_from([(2_000, 2_001), (2_001, 2_002)])  # a piece no backbone node reaches
    g.add_edges_from((0, v) for v in range(2_003, 2_033))  # leaves of a hub
    pos = layout.positions(g)
    xy = np.array([pos[v] for v in range(g.number_of_nodes())], dtype=float)
    pairs = np.array(list(g.edges()))
    core = layout.rank_by_degree(len(xy), pairs)[: layout.BACKBONE]
    # the backbone's own boxes (30 px default) do not overlap
    assert _boxes_overlap(xy[core], np.full((len(core), 2), 30.0)) == 0
    # a leaf hangs near its hub: closer to it than the backbone's typical spacing
    hub = int(core[0])
    leaves = [v for v in g[hub] if g.degree(v) == 1 and v not in set(core.tolist())]
    centre = xy[core].mean(axis=0)
    spread = np.median(np.hypot(*(xy[core] - centre).T))
    assert leaves and all(np.hypot(*(xy[v] - xy[hub])) < spread for v in leaves)
    assert xy[2_000:2_003, 1].min() > np.delete(xy, [2_000, 2_001, 2_002], axis=0)[:, 1].max(), (
        "the unreached piece is drawn below"
    )
    assert len({tuple(p) for p in xy.tolist()}) == len(xy), "no two entities coincide"
