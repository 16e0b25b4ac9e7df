"""What the Loops table shows of its model: the loops of one type, of one span of domains (those
crossing CX and EX, CX only, ...), those through every selected variable, or those of the
shortest independent loop set, in the order of a clicked column.

:class:`LoopsView` is a proxy model whose rows are an index array into the loops, computed in
one pass over the analysis's compact table (in numpy, its lists turned into arrays once), so no
Python runs per row on the GUI thread when a filter or a sort changes: a million rows filter as
fast as a hundred. Finding loops by key (which loops of the independent set a listing holds,
where a loop label's loop is) is :mod:`cld_editor.analysis.lookup`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractProxyModel, QModelIndex, QObject, QPersistentModelIndex

from cld_editor.analysis.table import CHUNK_MEMBERS, KINDS, LoopTable, is_numpy

Index = QModelIndex | QPersistentModelIndex


class LoopsView(QAbstractProxyModel):
    """Filters and sorts the rows of a :class:`LoopsTableModel` (see the module docstring)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.polarity: str | None = None
        #: Only loops whose domains are DOMAINS_BY_MASK[domains] (3: crossing CX and EX).
        self.domains: int | None = None
        self.through: frozenset[str] | None = None
        self._sort: tuple[int, bool] | None = None  # column, descending
        self._rows: Any = []
        self._position: Any = []
        self._arrays: tuple[LoopTable, LoopTable] | None = None  # a list table, as arrays

    # -- filters and sorting -------------------------------------------------------------
    def set_polarity(self, polarity: str | None) -> None:
        self.polarity = polarity
        self.refresh()

    def set_domains(self, mask: int | None) -> None:
        """Show only the loops whose domains are ``DOMAINS_BY_MASK[mask]`` (None: all)."""
        self.domains = mask
        self.refresh()

    def set_through(self, variable_ids: Iterable[str] | None) -> None:
        self.through = None if variable_ids is None else frozenset(variable_ids)
        self.refresh()

    def sort(self, column: int, order: Any = None) -> None:  # Qt override
        from PySide6.QtCore import Qt

        self._sort = None if column < 0 else (column, order == Qt.SortOrder.DescendingOrder)
        self.refresh()

    def refresh(self) -> None:
        """Recompute the rows shown (after a filter, a sort or new loops)."""
        self.beginResetModel()
        self._rows = self._compute_rows()
        n = len(self._loops())
        if is_numpy(self._rows):
            import numpy as np

            position = np.full(n, -1, dtype=np.int64)
            position[self._rows] = np.arange(len(self._rows))
            self._position = position
        else:
            position = [-1] * n
            for row, source in enumerate(self._rows):
                position[source] = row
            self._position = position
        self.endResetModel()

    def source_rows(self) -> Sequence[int]:
        return self._rows

    # -- QAbstractProxyModel -------------------------------------------------------------
    def setSourceModel(self, model: Any) -> None:  # Qt override
        super().setSourceModel(model)
        model.modelReset.connect(self.refresh)
        model.dataChanged.connect(self._on_source_data_changed)
        self.refresh()

    def mapToSource(self, proxy: Index) -> QModelIndex:
        if not proxy.isValid() or not 0 <= proxy.row() < len(self._rows):
            return QModelIndex()
        return self.sourceModel().index(int(self._rows[proxy.row()]), proxy.column())

    def mapFromSource(self, source: Index) -> QModelIndex:
        if not source.isValid() or not 0 <= source.row() < len(self._position):
            return QModelIndex()
        row = int(self._position[source.row()])
        return QModelIndex() if row < 0 else self.index(row, source.column())

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not 0 <= row < len(self._rows):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def _on_source_data_changed(self, *args: object) -> None:
        if self._rows is not None and len(self._rows):
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1)
            )

    # -- rows ----------------------------------------------------------------------------
    def _loops(self) -> Sequence[Any]:
        model = self.sourceModel()
        return [] if model is None else model.loops

    def _compute_rows(self) -> Any:
        loops = self._loops()
        table: LoopTable | None = getattr(loops, "table", None)
        if table is not None and len(table):
            return self._rows_numpy(self._as_arrays(table))
        keep = [
            i
            for i, loop in enumerate(loops)
            if (self.polarity is None or loop.polarity == self.polarity)
            and (self.domains is None or _domain_order(loop.domains) == self.domains)
            and (self.through is None or self.through.issubset(loop.variables))
        ]
        if self._sort is not None:
            column, descending = self._sort
            keep.sort(key=lambda i: self._key(loops[i], column), reverse=descending)
        return keep

    def _as_arrays(self, table: LoopTable) -> LoopTable:
        """``table`` in numpy arrays, converted once per table when it holds plain lists (the
        search without numba keeps even 100,000 loops so)."""
        if is_numpy(table.codes):
            return table
        if self._arrays is None or self._arrays[0] is not table:
            self._arrays = (table, table.as_arrays())
        return self._arrays[1]

    def _key(self, loop: Any, column: int) -> Any:
        if column == 0:
            # R3, or R*3 for a loop of the independent set beyond the listing (after them).
            beyond = loop.name[1:2] == "*"
            return (KINDS.index(loop.polarity), beyond, int(loop.name[1 + beyond :]))
        if column == 1:
            return KINDS.index(loop.polarity)
        if column == 2:
            return loop.length
        if column == 3:
            return loop.delayed
        if column == 4:
            return _domain_order(loop.domains)
        return self.sourceModel().member_labels(loop)

    def _label_ranks(self, ids: Sequence[str]) -> Any:
        """Each variable's place (from 1) among the labels the Members column shows, in
        alphabetical order; variables with the same label share a place."""
        import numpy as np

        labels = self.sourceModel().labels_of(ids)
        place = {label: n for n, label in enumerate(sorted(set(labels)), start=1)}
        return np.array([place[label] for label in labels], dtype=np.int64)

    def _rows_numpy(self, table: LoopTable) -> Any:
        import numpy as np

        kinds = table.codes % 3
        mask = np.ones(len(table), dtype=bool)
        if self.polarity is not None:
            mask &= kinds == KINDS.index(self.polarity)
        if self.domains is not None:
            mask &= table.codes // 6 == self.domains
        if self.through is not None and len(table):
            index = {v: i for i, v in enumerate(table.graph.ids)}
            wanted = [index[v] for v in self.through if v in index]
            if len(wanted) < len(self.through):
                mask[:] = False
            elif wanted:
                mask &= _through_all(table, wanted)
        order = np.arange(len(table))
        if self._sort is not None:
            column, descending = self._sort
            lengths = np.diff(table.starts)
            if column == 0:
                order = np.lexsort((np.asarray(table.numbers), kinds))
            elif column == 5:
                order = members_order(table, self._label_ranks(table.graph.ids))
            else:
                key = {
                    1: kinds,
                    2: lengths,
                    3: table.codes // 3 % 2,
                    4: table.codes // 6,
                }[column]
                order = np.argsort(key, kind="stable")
            if descending:
                order = order[::-1]
        return order[mask[order]]


def _through_all(table: LoopTable, wanted: list[int]) -> Any:
    """Which loops of ``table`` pass through every variable in ``wanted`` (indexes): whether
    each link row leaves one of them is looked up per row (a few hundred rows), then summed per
    loop over its members in the narrowest type that holds the count (a loop meets each
    variable once). One gather of the members, not a search of each among them."""
    import numpy as np

    narrow = np.int16 if len(wanted) < np.iinfo(np.int16).max else np.int32
    leaves_wanted = np.isin(np.asarray(table.graph.src), wanted).astype(narrow)
    edges, starts = np.asarray(table.edges), np.asarray(table.starts)
    through = np.empty(len(table), dtype=bool)
    # A few million members at a time: the buffers stay small and are reused, where one of
    # the whole table's size is fresh memory every time (its first touch costs more than this).
    first = 0
    while first < len(table):
        last = int(np.searchsorted(starts, starts[first] + CHUNK_MEMBERS, side="right")) - 1
        last = min(max(last, first + 1), len(table))
        hits = leaves_wanted[edges[starts[first] : starts[last]]]
        counted = np.add.reduceat(hits, starts[first:last] - starts[first])
        through[first:last] = counted == len(wanted)
        first = last
    return through


def members_order(table: LoopTable, ranks: Any) -> Any:
    """The loops of ``table`` in the order of their members' labels, label by label (a loop
    whose members start another's comes first), as rows of ``table``; ``ranks`` gives each
    variable's place among the labels (from 1).

    A radix sort over member positions, whole arrays at a time: the places of several members
    are packed into one 64-bit key, and the keys are sorted stably from the last position to the
    first. Memory stays a few arrays of one number per loop, whatever the loops' lengths.
    """
    import numpy as np

    n = len(table)
    if n == 0:
        return np.arange(0, dtype=np.int64)
    starts = np.asarray(table.starts, dtype=np.int64)
    edges = np.asarray(table.edges)
    sources = np.asarray(table.graph.src, dtype=np.int64)
    first, lengths = starts[:-1], np.diff(starts)
    bits = max(1, int(ranks.max()).bit_length())
    per_key = max(1, 63 // bits)
    last_edge = max(len(edges) - 1, 0)
    order = np.arange(n, dtype=np.int64)
    for group in reversed(range(0, int(lengths.max()), per_key)):
        key = np.zeros(n, dtype=np.int64)
        for position in range(group, group + per_key):
            at = np.minimum(first + position, last_edge)
            place = np.where(lengths > position, ranks[sources[edges[at]]], 0)
            key = (key << bits) | place
        order = order[np.argsort(key[order], kind="stable")]
    return order


def _domain_order(domains: tuple[str, ...]) -> int:
    """The domain mask (index of DOMAINS_BY_MASK): untagged, CX only, EX only, then crossing."""
    return ("CX" in domains) + 2 * ("EX" in domains)
