"""The ink of the links during a repair (:mod:`.repair`): the sample points of each link's arc,
indexed by grid cell, to ask quickly whether any link passes through a box.
"""

from __future__ import annotations

import math

import numpy as np

from .boxes import Rect

#: Size of the index's cells.
INK_CELL = 120.0


class Ink:
    """The sample points of each link's arc, indexed by grid cell, to ask which links pass
    through a box."""

    def __init__(self) -> None:
        self.points: dict[str, np.ndarray] = {}
        self._cells: dict[str, list[int]] = {}
        self._index: dict[int, set[str]] = {}

    def set(self, link_id: str, points: np.ndarray) -> None:
        self.remove(link_id)
        self.points[link_id] = points
        cells = np.floor(points / INK_CELL).astype(np.int64)
        keys = np.unique(_code(cells[:, 0], cells[:, 1])).tolist()
        self._cells[link_id] = keys
        index = self._index
        for key in keys:
            found = index.get(key)
            if found is None:
                index[key] = {link_id}
            else:
                found.add(link_id)

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
                seen.update(self._index.get(_code(gx, gy), ()))
        for link_id in sorted(seen - skip):
            pts = self.points[link_id]
            inside = (np.abs(pts[:, 0] - box.cx) <= box.hw + margin) & (
                np.abs(pts[:, 1] - box.cy) <= box.hh + margin
            )
            if inside.any():
                return True
        return False


#: Cell coordinates are shifted by this much to make one number of the two.
_OFFSET = 1 << 24


def _code(gx, gy):
    """One number for cell (gx, gy) (numbers or arrays)."""
    return (gx + _OFFSET) * (2 * _OFFSET) + (gy + _OFFSET)
