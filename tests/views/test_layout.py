"""Layouts: deterministic, non-overlapping for small graphs, packed components, fast at size."""

from __future__ import annotations

import time

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
    assert len(cells) > 2_000, "nodes are spread over the plane, not piled up"


def test_remove_overlaps_separates_coincident_nodes() -> None:
    xy = layout.remove_overlaps(np.zeros((5, 2)), np.full((5, 2), 30.0))
    assert _boxes_overlap(xy, np.full((5, 2), 30.0)) == 0
