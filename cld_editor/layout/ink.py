"""The ink of the links during a repair (:mod:`.repair`): the sample points of each link's arc,
indexed by grid cell, to ask quickly whether any link passes through a box.
"""

from __future__ import annotations

import math

import numpy as np

from .boxes import Rect

#: Size of the index's cells.
INK_CELL = 60.0


class Ink:
    """The sample points of each link's arc, indexed by grid cell, to ask which links pass
    through a box."""

    def __init__(self) -> None:
        self.points: dict[str, np.ndarray] = {}
        self._cells: dict[str, list[tuple[int, int]]] = {}
        self._index: dict[tuple[int, int], set[str]] = {}

    def set(self, link_id: str, points: np.ndarray) -> None:
        self.remove(link_id)
        self.points[link_id] = points
        cells = np.floor(points / INK_CELL).astype(np.int64)
        if len(cells) > 1:
            cells = cells[np.concatenate(([True], (cells[1:] != cells[:-1]).any(axis=1)))]
        keys = sorted(set(map(tuple, cells.tolist())))
        self._cells[link_id] = keys
        for key in keys:
            self._index.setdefault(key, set()).add(link_id)

    def remove(self, link_id: str) -> None:
        for key in self._cells.pop(link_id, ()):
            self._index[key].discard(link_id)
        self.points.pop(link_id, None)

    def crosses(self, box: Rect, margin: float, skip: set[str]) -> bool:
        """Whether a link not in ``skip`` passes within ``margin`` of ``box``."""
        x0 = math.floor((box.left - margin) / INK_CELL)
        x1 = math.floor((box.right + margin) / INK_CELL)
        y0 = math.floor((box.top - margin) / INK_CELL)
        y1 = math.floor((box.bottom + margin) / INK_CELL)
        seen: set[str] = set()
        for gx in range(x0, x1 + 1):
            for gy in range(y0, y1 + 1):
                seen.update(self._index.get((gx, gy), ()))
        for link_id in sorted(seen - skip):
            pts = self.points[link_id]
            inside = (np.abs(pts[:, 0] - box.cx) <= box.hw + margin) & (
                np.abs(pts[:, 1] - box.cy) <= box.hh + margin
            )
            if inside.any():
                return True
        return False
