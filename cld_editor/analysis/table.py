"""The loops found, kept compactly: the row numbers of their links end to end, where each loop
starts, and one class code per loop (see :mod:`.kernel`), about 5 bytes per member and 9 per
loop instead of the hundreds a tuple of strings takes. :class:`LoopList` makes them a read-only
sequence of :class:`~cld_editor.analysis.loops.Loop` built on demand, so a million loops cost
megabytes until someone reads them, and a table view can show any number of rows.

The arrays are Python lists for small results and numpy arrays for large ones; every function
here accepts both. Loops are kept ordered by length, then by their members' document order,
which is the order of their names.
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, overload

from .graph import LoopGraph

if TYPE_CHECKING:
    from .loops import Loop

LoopPolarity = Literal["reinforcing", "balancing", "undetermined"]
KINDS: tuple[LoopPolarity, ...] = ("reinforcing", "balancing", "undetermined")
LETTERS = ("R", "B", "U")
DOMAINS_BY_MASK: tuple[tuple[str, ...], ...] = ((), ("CX",), ("EX",), ("CX", "EX"))


#: Members handled between two looks at a cancel flag in the steps over whole tables (a few
#: milliseconds each): Stop stays quick however many loops a search has found.
CHUNK_MEMBERS = 1 << 22


class Cancelled(Exception):
    """A step over a whole table stopped because its ``cancelled()`` returned True."""


def _check(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled


def json_list(values: tuple[str, ...]) -> str:
    return "[" + ",".join(f'"{v}"' for v in values) + "]"


def is_numpy(values: Any) -> bool:
    return not isinstance(values, list)


@dataclass
class LoopTable:
    """Loops over ``graph``: ``edges[starts[i]:starts[i + 1]]`` are loop i's link rows in the
    order the loop runs from its first member in document order; ``codes[i]`` its class."""

    graph: LoopGraph
    edges: Any
    starts: Any
    codes: Any
    _numbers: Any = field(default=None, repr=False)
    _kinds: tuple[int, int, int] | None = field(default=None, repr=False)
    #: The loops through each link row (offsets, loops), when built: see
    #: :func:`.incremental_arrays.link_index`.
    _by_link: Any = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.codes)

    @classmethod
    def empty(cls, graph: LoopGraph) -> LoopTable:
        return cls(graph, [], [0], [])

    @property
    def numbers(self) -> Any:
        """Each loop's number among the loops of its kind (R1, R2, ..., B1, ...)."""
        if self._numbers is None:
            if is_numpy(self.codes):
                import numpy as np

                kinds = self.codes % 3
                numbers = np.zeros(len(kinds), dtype=np.int64)
                for kind in range(3):
                    where = np.flatnonzero(kinds == kind)
                    numbers[where] = np.arange(1, len(where) + 1)
                self._numbers = numbers
            else:  # one counter per kind, stepped by each loop's kind: every loop in C
                counters = [itertools.count(1) for _ in KINDS]
                kinds = map((3).__rmod__, self.codes)
                self._numbers = list(map(next, map(counters.__getitem__, kinds)))
        return self._numbers

    def as_arrays(self) -> LoopTable:
        """The same loops in numpy arrays (this table when it already is): 5 bytes a member
        instead of 8, and what whole-array updates (:mod:`.incremental_arrays`) work on."""
        if is_numpy(self.edges):
            return self
        import numpy as np

        return LoopTable(
            self.graph,
            np.asarray(self.edges, dtype=np.int32),
            np.asarray(self.starts, dtype=np.int64),
            np.asarray(self.codes, dtype=np.int8),
        )

    def lengths(self) -> Any:
        if is_numpy(self.starts):
            import numpy as np

            return np.diff(self.starts)
        return [b - a for a, b in zip(self.starts, self.starts[1:], strict=False)]

    def kind_counts(self) -> tuple[int, int, int]:
        """How many loops are reinforcing, balancing, undetermined."""
        if is_numpy(self.codes):
            import numpy as np

            counts = np.bincount(self.codes % 3, minlength=3)
            return int(counts[0]), int(counts[1]), int(counts[2])
        if self._kinds is None:
            counts = [0, 0, 0]
            for code, count in Counter(self.codes).items():  # counted in C, per class code
                counts[code % 3] += count
            self._kinds = (counts[0], counts[1], counts[2])
        return self._kinds

    def through(self) -> list[int]:
        """How many loops pass through each variable (in document order)."""
        src = self.graph.src
        if is_numpy(self.edges):
            import numpy as np

            # Per link row first, a chunk at a time (bincount widens to 64 bits: a chunk's
            # copy, not the whole table's), then per variable.
            per_row = np.zeros(self.graph.m, dtype=np.int64)
            for at in range(0, len(self.edges), CHUNK_MEMBERS):
                chunk = self.edges[at : at + CHUNK_MEMBERS]
                per_row += np.bincount(chunk, minlength=self.graph.m)[: self.graph.m]
            # (Rows left behind by an edit may name no variable there is: they are in no loop.)
            per_node = np.bincount(src, weights=per_row, minlength=self.graph.n)
            return [int(count) for count in per_node[: self.graph.n]]
        through = [0] * self.graph.n
        for row, count in Counter(self.edges).items():  # counted in C, per link row
            through[src[row]] += count
        return through

    def through_by_kind(self) -> list[tuple[int, int, int]]:
        """How many reinforcing, balancing and undetermined loops pass through each variable
        (in document order): whole-array counts, however many loops there are."""
        import numpy as np

        if not len(self):
            return [(0, 0, 0)] * self.graph.n
        m = self.graph.m
        starts = np.asarray(self.starts, dtype=np.int64)
        # Each member's kind, a byte each (not a 64-bit copy of every member: on World3's
        # 12 million members that alone took 0.4 s); counted per link row and kind a few
        # million members at a time, then per variable.
        kinds = np.repeat((np.asarray(self.codes) % 3).astype(np.int8), np.diff(starts))
        edges = np.asarray(self.edges)
        per_row = np.zeros(3 * m, dtype=np.int64)
        for at in range(0, len(edges), CHUNK_MEMBERS):
            keys = edges[at : at + CHUNK_MEMBERS].astype(np.int32) * 3
            keys += kinds[at : at + CHUNK_MEMBERS]
            per_row += np.bincount(keys, minlength=3 * m)[: 3 * m]
        # (Rows left behind by an edit may name no variable there is: they are in no loop.)
        src = np.asarray(self.graph.src, dtype=np.int64)
        counts = [
            np.bincount(src, weights=per_row[kind::3], minlength=self.graph.n)[: self.graph.n]
            for kind in range(3)
        ]
        r, b, u = (c.tolist() for c in counts)
        return [(int(x), int(y), int(z)) for x, y, z in zip(r, b, u, strict=True)]

    def name(self, i: int) -> str:
        return f"{LETTERS[int(self.codes[i]) % 3]}{int(self.numbers[i])}"

    def members(self, i: int) -> list[int]:
        """Loop i's members as variable indexes."""
        src = self.graph.src
        rows = self.edges[self.starts[i] : self.starts[i + 1]]
        return [src[e] for e in (rows.tolist() if is_numpy(rows) else rows)]

    def _chunks(self, chunk: int) -> Iterator[tuple[list[int], list[int], list[int], list[int]]]:
        """The loops ``chunk`` at a time as plain lists: where each loop's link rows start
        (from 0 in this chunk), the link rows, the class codes and the numbers."""
        numpy = is_numpy(self.edges)
        for first in range(0, len(self), chunk):
            last = min(first + chunk, len(self))
            starts = self.starts[first : last + 1]
            edges = self.edges[starts[0] : starts[-1]]
            codes = self.codes[first:last]
            numbers = self.numbers[first:last]
            if numpy:
                yield (
                    (starts - starts[0]).tolist(),
                    edges.tolist(),
                    codes.tolist(),
                    numbers.tolist(),
                )
            else:
                yield [s - starts[0] for s in starts], list(edges), list(codes), list(numbers)

    def json_rows(self, chunk: int = 4096) -> Iterator[dict[str, object]]:
        """Each loop as :meth:`Loop.to_json` gives it, straight from the arrays (no Loop is
        built): what a command writes out, a few microseconds per loop. The arrays are read
        ``chunk`` loops at a time, so memory stays flat whatever the number of loops."""
        g = self.graph
        link_ids = g.link_ids
        member_of = [g.ids[s] for s in g.src]
        for starts, edges, codes, numbers in self._chunks(chunk):
            for i, code in enumerate(codes):
                rows = edges[starts[i] : starts[i + 1]]
                yield {
                    "name": f"{LETTERS[code % 3]}{numbers[i]}",
                    "polarity": KINDS[code % 3],
                    "length": len(rows),
                    "variables": [member_of[e] for e in rows],
                    "links": [link_ids[e] for e in rows],
                    "delayed": bool(code // 3 % 2),
                    "domains": list(DOMAINS_BY_MASK[code // 6]),
                }

    def json_texts(self, quote: Callable[[str], str], chunk: int = 4096) -> Iterator[list[str]]:
        """The loops as JSON text (the keys of :meth:`json_rows` and ``"label": null``), a list
        of ``chunk`` loops at a time; ``quote`` turns an id into a JSON string. Text is put
        together directly, the ids quoted once: about twice as fast as encoding dicts."""
        g = self.graph
        member_text = [quote(g.ids[s]) for s in g.src].__getitem__
        link_text = [quote(link) for link in g.link_ids].__getitem__
        heads = [f'{{"name":"{LETTERS[k]}' for k in range(3)]
        kinds = [f'","polarity":"{KINDS[k]}","length":' for k in range(3)]
        middles = [
            f',"delayed":{"true" if code // 3 % 2 else "false"},'
            f'"domains":{json_list(DOMAINS_BY_MASK[code // 6])},"label":null}}'
            for code in range(24)
        ]
        for starts, edges, codes, numbers in self._chunks(chunk):
            # The chunk's ids quoted in one pass each; a loop's are then a slice of them.
            members = list(map(member_text, edges))
            links = list(map(link_text, edges))
            texts = []
            a = 0
            for i, code in enumerate(codes):
                b = starts[i + 1]
                kind = code % 3
                texts.append(
                    f"{heads[kind]}{numbers[i]}{kinds[kind]}{b - a},"
                    f'"variables":[{",".join(members[a:b])}],'
                    f'"links":[{",".join(links[a:b])}]{middles[code]}'
                )
                a = b
            yield texts

    def loop(self, i: int) -> Loop:
        from .loops import Loop

        g = self.graph
        rows = self.edges[self.starts[i] : self.starts[i + 1]]
        if is_numpy(rows):
            rows = rows.tolist()
        code = int(self.codes[i])
        ids, src, link_ids = g.ids, g.src, g.link_ids
        return Loop(
            self.name(i),
            KINDS[code % 3],
            tuple([ids[src[e]] for e in rows]),
            tuple([link_ids[e] for e in rows]),
            bool(code // 3 % 2),
            DOMAINS_BY_MASK[code // 6],
        )


def sorted_by_length(
    graph: LoopGraph,
    edges: Any,
    starts: Any,
    codes: Any,
    cancelled: Callable[[], bool] | None = None,
) -> LoopTable:
    """A table of loops found start by start (each length's loops already in order), stably
    sorted by length. ``cancelled``: as for :meth:`LoopTable.through` (arrays only)."""
    if not is_numpy(codes):
        # Lengths and a stable sort keyed on them in C; then each loop's slice appended in
        # order (one short-lived slice at a time: three times faster than making them all
        # first and chaining them).
        lengths = list(map(operator.sub, starts[1:], starts[:-1]))
        order = sorted(range(len(codes)), key=lengths.__getitem__)
        if all(map(operator.eq, order, itertools.count())):
            return LoopTable(graph, list(edges), list(starts), list(codes))
        new_edges: list[int] = []
        append = new_edges.extend
        for i in order:
            append(edges[starts[i] : starts[i + 1]])
        return LoopTable(
            graph,
            new_edges,
            list(itertools.accumulate(map(lengths.__getitem__, order), initial=0)),
            list(map(codes.__getitem__, order)),
        )
    import numpy as np

    lengths = np.diff(starts)
    order = np.argsort(lengths, kind="stable")
    new_lengths = lengths[order]
    new_starts = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(new_lengths, out=new_starts[1:])
    new_edges = np.empty_like(edges)
    # One length at a time, a chunk of its loops at a time: the index arrays stay small.
    for length in np.unique(new_lengths).tolist():
        lo, hi = np.searchsorted(new_lengths, [length, length + 1]).tolist()
        step = max(1, CHUNK_MEMBERS // max(length, 1))
        for first in range(lo, hi, step):
            _check(cancelled)
            last = min(first + step, hi)
            index = starts[order[first:last]][:, None] + np.arange(length)
            new_edges[new_starts[first] : new_starts[last]] = edges[index].ravel()
    return LoopTable(graph, new_edges, new_starts, codes[order])


def concatenated(
    graph: LoopGraph,
    parts: list[tuple[Any, Any, Any]],
    cancelled: Callable[[], bool] | None = None,
) -> LoopTable:
    """One table from (edges, starts, codes) parts already in order, end to end.
    ``cancelled``: as for :meth:`LoopTable.through` (arrays only)."""
    if not parts:
        return LoopTable.empty(graph)
    if not any(is_numpy(part[2]) for part in parts):
        edges: list[int] = []
        starts = [0]
        codes: list[int] = []
        for part_edges, part_starts, part_codes in parts:
            base = len(edges)
            edges.extend(part_edges)
            starts.extend(map(base.__add__, part_starts[1:]))
            codes.extend(part_codes)
        return LoopTable(graph, edges, starts, codes)
    import numpy as np

    bases = np.cumsum([0] + [len(part[0]) for part in parts])
    # The members a chunk at a time (hundreds of megabytes for millions of loops).
    joined = np.empty(int(bases[-1]), dtype=np.int32)
    for part, base in zip(parts, bases.tolist(), strict=False):
        for at in range(0, len(part[0]), CHUNK_MEMBERS):
            _check(cancelled)
            chunk = np.asarray(part[0][at : at + CHUNK_MEMBERS], dtype=np.int32)
            joined[base + at : base + at + len(chunk)] = chunk
    return LoopTable(
        graph,
        joined,
        np.concatenate(
            [np.zeros(1, dtype=np.int64)]
            + [np.asarray(p[1][1:], dtype=np.int64) + b for p, b in zip(parts, bases, strict=False)]
        ),
        np.concatenate([np.asarray(part[2], dtype=np.int8) for part in parts]),
    )


class LoopList(Sequence["Loop"]):
    """The loops of a :class:`LoopTable` as a read-only sequence, each built when read."""

    def __init__(self, table: LoopTable) -> None:
        self.table = table
        # Up to this many loops, each is built once and kept, so reading the same loop twice
        # gives the same object (as a list would); beyond, each read builds a new one.
        self._built: list[Loop | None] | None = (
            [None] * len(table) if len(table) <= 100_000 else None
        )

    def _loop(self, index: int) -> Loop:
        built = self._built
        if built is None:
            return self.table.loop(index)
        loop = built[index]
        if loop is None:
            loop = built[index] = self.table.loop(index)
        return loop

    def __len__(self) -> int:
        return len(self.table)

    @overload
    def __getitem__(self, index: int) -> Loop: ...
    @overload
    def __getitem__(self, index: slice) -> list[Loop]: ...
    def __getitem__(self, index: int | slice) -> Loop | list[Loop]:
        if isinstance(index, slice):
            return [self._loop(i) for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("loop index out of range")
        return self._loop(index)

    def __iter__(self) -> Iterator[Loop]:
        loop = self._loop
        for i in range(len(self)):
            yield loop(i)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LoopList | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __repr__(self) -> str:
        return f"<LoopList of {len(self)} loops>"
