"""Loops of a listing found by key (a loop label's, an independent set's) without building a
Loop per row: in the compact table, one length at a time, each row's members compared as bytes
(one ``isin`` per length, however many keys). The Loops panel, its independent set and the
report use these."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .table import LoopTable, is_numpy

#: A table in lists of at least this many loops is searched in numpy (turned into arrays once);
#: a smaller one loop by loop (2,000 loops: about 10 ms, against 40 ms to import numpy).
ARRAYS_FROM = 2000


def rows_with_key(loops: Sequence[Any], key: tuple[str, ...]) -> list[int]:
    """The indexes in ``loops`` of the loop with ``key`` (a loop label's), found in the compact
    table when there is one, without building a Loop per row."""
    table: LoopTable | None = getattr(loops, "table", None)
    if table is not None and len(table):
        import numpy as np

        # A table kept in lists is turned into arrays for the search: tens of milliseconds
        # for 100,000 loops, against a second or more to build each Loop.
        table = table.as_arrays()
        members = np.asarray(table.graph.src, dtype=np.int32)[table.edges]
        return np.flatnonzero(key_mask(table, members, frozenset([key]))).tolist()
    return [i for i, loop in enumerate(loops) if loop.key == key]


def listed_names(
    loops: Sequence[Any], keys: frozenset[tuple[str, ...]]
) -> dict[tuple[str, ...], str]:
    """The names the loops give those of ``keys`` they hold (found in the compact table when
    there is one, without building a Loop per row; a table of a few thousand loops in lists is
    read loop by loop, quicker than importing numpy for it)."""
    table: LoopTable | None = getattr(loops, "table", None)
    if table is not None and (is_numpy(table.codes) or len(table) >= ARRAYS_FROM):
        import numpy as np

        table = table.as_arrays()  # as in rows_with_key: once, not a Loop per row
        members = np.asarray(table.graph.src, dtype=np.int32)[table.edges]
        found = (loops[int(i)] for i in np.flatnonzero(key_mask(table, members, keys)))
        return {loop.key: loop.name for loop in found}
    return {loop.key: loop.name for loop in loops if loop.key in keys}


def key_mask(table: LoopTable, members: Any, keys: frozenset[tuple[str, ...]]) -> Any:
    """Which loops of ``table`` have one of ``keys`` (member ids from the smallest id): one
    length at a time, each row's members as big-endian bytes against the wanted keys' (one
    ``isin`` per length, however many keys)."""
    import numpy as np

    mask = np.zeros(len(table), dtype=bool)
    if not keys or not len(table):
        return mask
    index = {v: i for i, v in enumerate(table.graph.ids)}
    lengths = np.diff(table.starts)
    wanted: dict[int, list[bytes]] = {}
    for key in keys:
        if any(v not in index for v in key):
            continue
        # The table starts each loop at its first member in document order.
        ids = [index[v] for v in key]
        turn = ids.index(min(ids))
        turned = np.asarray(ids[turn:] + ids[:turn], dtype=">u4")
        wanted.setdefault(len(key), []).append(turned.tobytes())
    for length, wanted_keys in wanted.items():
        lo, hi = np.searchsorted(lengths, [length, length + 1])
        if lo == hi:
            continue
        block = members[table.starts[lo] : table.starts[hi]].reshape(-1, length)
        width = f"S{4 * length}"
        rows = np.ascontiguousarray(block.astype(">u4")).view(width).ravel()
        hits = np.flatnonzero(np.isin(rows, np.asarray(wanted_keys, dtype=width)))
        mask[lo + hits] = True
    return mask
