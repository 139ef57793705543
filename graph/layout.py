"""Node positions computed once, in Python, for big network pages and static images.

vis-network's in-browser physics is fine for a crisis's few dozen actors but takes far too long
for thousands of nodes. :func:`force_layout` is the grid variant of Fruchterman–Reingold
(Fruchterman & Reingold 1991, section 4): repulsion only between nodes closer than twice the
ideal distance, found with a k-d tree, so each step costs about O(n log n) instead of O(n²).
networkx's own ``spring_layout`` took ~30 s for 5,000 nodes and 20,000 edges on the 2-core CI
machine; this takes a few seconds (scripts/bench_view.py measures it).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence


def force_layout(
    nodes: Sequence[Hashable],
    edges: Sequence[tuple[Hashable, Hashable]],
    iterations: int = 80,
    seed: int = 7,
    spacing: float = 110.0,
) -> dict[Hashable, tuple[float, float]]:
    """Positions (in pixels, about ``spacing`` apart between neighbours) for ``nodes``.

    Deterministic for a given ``seed``. Edges to unknown nodes are ignored."""
    import numpy as np
    from scipy.spatial import cKDTree

    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in edges if u in index and v in index and u != v], dtype=np.int64)
    pairs = pairs.reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = math.sqrt(1.0 / n)
    step = 0.1
    cool = step / (iterations + 1)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        close = cKDTree(pos).query_pairs(2 * k, output_type="ndarray")
        if len(close):
            d = pos[close[:, 0]] - pos[close[:, 1]]
            dist = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)
            push = d * (k * k / dist**2)[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(close[:, 0], push[:, axis], n) - np.bincount(close[:, 1], push[:, axis], n)
        if len(pairs):
            d = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            dist = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)
            pull = d * (dist / k)[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(pairs[:, 1], pull[:, axis], n) - np.bincount(pairs[:, 0], pull[:, axis], n)
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp * (np.minimum(length, step) / length)[:, None]
        step -= cool
    pos -= pos.mean(axis=0)
    pos *= spacing / k
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for node, i in index.items()}
