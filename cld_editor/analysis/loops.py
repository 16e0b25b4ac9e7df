"""Feedback-loop analysis: find the elementary loops of a diagram, classify and name them.

A loop is reinforcing (R) when it has an even number of "-" links, balancing (B) when odd, and
undetermined (U) when any link is "?". Names are numbered by length, then by document order, so
the same diagram always gives the same names. Listing is bounded by a :class:`Budget` and can be
cancelled; the result says whether it is complete.

One search (:mod:`.kernel`) lists every loop within the limits, which is all most diagrams need.
When a limit binds, the loops are listed again in one length-deepening pass: all loops of 1
link, then of 2, and so on (the length-bounded search, skipping the start variables whose every
loop is known), until the limit binds, so a truncated result holds every loop of up to
``complete_up_to`` links, filled with the first loops of the next length. Under a time limit
the first search has ``FIRST_SEARCH_SHARE`` of it, and running out of that counts as a limit
binding. On very large diagrams (``SHORTEST_FIRST_MAX_WORK``), or when the length-deepening pass
finds no loop before the time runs out, the first search's loops are kept instead, sorted by
length (as many as can be written in the time left: the pass keeps time back for them, at most
half, until it finds a loop). Memory never grows past the budget's member bound. Counting
loops without listing them is :mod:`.census`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.model import Diagram, canonical_loop
from .budget import DEFAULT_MAX_LOOPS, DEFAULT_MAX_MEMBERS, DEFAULT_TIME_LIMIT, Budget
from .engine import PYTHON_SECONDS, KernelRun, Stopped
from .graph import LoopGraph
from .table import (
    KINDS,
    Cancelled,
    LoopList,
    LoopPolarity,
    LoopTable,
    concatenated,
    is_numpy,
    sorted_by_length,
)

__all__ = [
    "DEFAULT_MAX_LOOPS",
    "DEFAULT_MAX_MEMBERS",
    "DEFAULT_TIME_LIMIT",
    "PREFIX",
    "Budget",
    "Loop",
    "LoopAnalysis",
    "LoopPolarity",
    "find_loops",
]

PREFIX = {"reinforcing": "R", "balancing": "B", "undetermined": "U"}
#: ``stopped_by`` of a partial result handed out while the search goes on.
IN_PROGRESS = "in progress"
#: When a limit binds, the shortest loops are handed out (``early``) after this many seconds:
#: with the hand-out's own work and the window's, they show about 0.1 s later (the goal is
#: 0.3 s from the edit; at 0.3 here a tester measured 0.32-0.41 s on a World3-sized model).
EARLY_SECONDS = 0.2
#: After the first, the loops found so far are handed out again as further lengths are done:
#: the second at least this many seconds after the first, each next one at least twice as long
#: after the one before (each hand-out copies them all, and a window lists them all again).
EARLY_AGAIN_SECONDS = 1.0
#: While fewer than this many loops have been handed out (the shortest lengths of a big model
#: may hold one loop), the next hand-out may come as soon as EARLY_SOON_SECONDS after: copying
#: and listing them costs next to nothing, and a window showing one loop for a second of a
#: search that has found thousands looks stuck.
EARLY_FEW = 1000
EARLY_SOON_SECONDS = 0.1
#: Seconds that sorting and counting the loops found takes afterwards, per member, with room
#: to spare (measured: 30 to 50 ns); kept from the time limit, so that it holds for the result.
FINISH_SECONDS_PER_MEMBER = 8e-8
#: The same for the shortest-first listing, whose lengths are joined, not sorted (measured:
#: 1 to 8 ns a member on World3, K12 and a 1,500-variable diagram).
JOIN_SECONDS_PER_MEMBER = 2e-8
#: With ``output_seconds``, the reserves are measured once a length of the shortest-first
#: listing has at least this many loops: its first CALIBRATE_LOOPS are timed as the caller
#: writes them, and the reserves scaled to match, with OUTPUT_MARGIN to spare.
CALIBRATE_FROM = 500
CALIBRATE_LOOPS = 4000
OUTPUT_MARGIN = 1.2
#: ... but only where they can matter: when the reserve for as many loops as the budget lets
#: through is over this share of the time left.
CALIBRATE_WHEN_SHARE = 0.25
#: Each length of the shortest-first listing splits the graph into strongly connected parts
#: once per start variable, about variables x (variables + links) steps: beyond this (a
#: 5,000-variable diagram) the first search's loops are kept as they are, sorted by length.
SHORTEST_FIRST_MAX_WORK = 100_000_000
#: Under a time limit, the first search gets this share of it: if it has not finished by then,
#: a limit binds, and the rest of the time goes to the shortest-first listing. (A search that
#: would have finished in the rest is cut short: the guarantee that the loops kept are the
#: shortest weighs more, and a longer time limit gives it room.)
FIRST_SEARCH_SHARE = 0.5
DEFAULT_BUDGET = Budget()


@dataclass(frozen=True, slots=True)
class Loop:
    """One feedback loop: members in the order the loop runs, starting at the member that comes
    first in the document, and the links between them (``links[i]`` goes from ``variables[i]``)."""

    name: str
    polarity: LoopPolarity
    variables: tuple[str, ...]
    links: tuple[str, ...]
    delayed: bool
    domains: tuple[str, ...]

    @property
    def length(self) -> int:
        return len(self.links)

    @property
    def key(self) -> tuple[str, ...]:
        """Identity that survives renumbering (loop labels are matched on it)."""
        return canonical_loop(self.variables)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "polarity": self.polarity,
            "length": self.length,
            "variables": list(self.variables),
            "links": list(self.links),
            "delayed": self.delayed,
            "domains": list(self.domains),
        }


@dataclass
class LoopAnalysis:
    """What :func:`find_loops` found. ``complete`` is False when a limit stopped the search;
    ``stopped_by`` then says which ("loop limit", "time limit", "size limit", "cancelled").
    ``loops`` is a sequence of :class:`Loop` (built as they are read when ``table`` holds
    them compactly)."""

    loops: Sequence[Loop]
    complete: bool
    stopped_by: str | None = None
    #: Loops through each variable when counted already (see :attr:`loops_through`).
    counted_through: dict[str, int] | None = field(default=None, repr=False, compare=False)
    #: When incomplete: every loop of at most this many links is among ``loops`` (None: not
    #: known to hold for any length).
    complete_up_to: int | None = None
    table: LoopTable | None = field(default=None, repr=False, compare=False)
    #: Only loops of at most this many links were looked for (the budget's ``max_length``,
    #: where it is shorter than the longest possible loop); None: loops of any length.
    max_length: int | None = None
    #: For a stopped search: how many loops it had found (more than are listed when it was
    #: stopped before they were put in order), so that the summary says "at least" that many.
    found: int = 0

    @property
    def loops_through(self) -> dict[str, int]:
        """How many of the loops listed pass through each variable, counted in the table the
        first time it is asked for (the editor never asks: a listing of millions of loops,
        or an edit followed incrementally, does not count them for nothing); {} without a
        table."""
        if self.counted_through is None:
            table = self.table
            self.counted_through = (
                {} if table is None else dict(zip(table.graph.ids, table.through(), strict=True))
            )
        return self.counted_through

    def count(self, polarity: LoopPolarity) -> int:
        if self.table is not None:
            return self.table.kind_counts()[KINDS.index(polarity)]
        return sum(1 for loop in self.loops if loop.polarity == polarity)

    def by_name(self, name: str) -> Loop | None:
        return next((loop for loop in self.loops if loop.name == name), None)

    def summary_json(self) -> dict[str, object]:
        return {
            "loops": len(self.loops),
            "reinforcing": self.count("reinforcing"),
            "balancing": self.count("balancing"),
            "undetermined": self.count("undetermined"),
            "complete": self.complete,
            "max_length": self.max_length,
        }

    def summary_text(self) -> str:
        """ "5 loops: 3 reinforcing, 2 balancing", or "at least N loops (...)" when truncated."""
        n = len(self.loops)
        counts = {p: self.count(p) for p in KINDS}
        parts = [f"{counts[p]:,} {p}" for p in KINDS if counts[p]]
        split = ": " + ", ".join(parts) if parts else ""
        shown = max(n, self.found) if not self.complete else n
        head = f"{shown:,} loop{'s' if shown != 1 else ''}"
        if self.max_length is not None:  # counts of the loops looked for, not of all loops
            head += f" of up to {self.max_length} link{'s' if self.max_length != 1 else ''}"
        if not self.complete:
            stopped = self.stopped_by or "limit"
            why = {
                "cancelled": "analysis stopped",
                IN_PROGRESS: "listed so far, still searching",
                "size limit": "stopped at the memory bound for a listing",
            }.get(stopped, f"stopped at the {stopped}")
            if self.found > n:  # stopped before the loops found were put in order
                # (the split by kind is of the loops listed, so it goes with them)
                why += "; none listed" if not n else f"; {n:,} listed{split}"
                split = ""
            if self.complete_up_to:
                links = "link" if self.complete_up_to == 1 else "links"
                why += f"; all loops of up to {self.complete_up_to} {links} found"
            head = f"at least {head} ({why})"
        return head + split


def find_loops(
    diagram: Diagram,
    budget: Budget = DEFAULT_BUDGET,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    reserve_per_member: float = 0.0,
    reserve_per_loop: float = 0.0,
    compiled: bool | None = None,
    early: Callable[[LoopAnalysis], None] | None = None,
    early_after: float = EARLY_SECONDS,
    output_seconds: Callable[[LoopTable], float] | None = None,
) -> LoopAnalysis:
    """List, classify and name the loops of ``diagram`` within ``budget``, shortest first.

    ``progress(n)`` is called now and then (at most every 0.1 s, and at the end) with the
    number of loops listed so far; ``cancelled()`` is polled between chunks of the search (about
    every 10 ms) and stops it when it returns True: the loops of the lengths listed in full by
    the shortest-first pass are kept, any others dropped (a cancelled run is not worth
    sorting); both may be called from a worker thread.
    ``reserve_per_member`` seconds per member and ``reserve_per_loop`` per loop listed are
    kept from the time limit for what the caller does with them (writing them out), so the
    whole command keeps to it. ``output_seconds(table)``, when given, says how long the caller
    takes to write out ``table`` (a sample of the loops listed): the two reserves are then
    scaled to what this machine takes (see CALIBRATE_FROM), so that the time limit is used,
    not kept back for a slower machine.
    ``compiled`` forces (True) or forbids (False) the compiled kernel; None chooses.
    ``early(analysis)``, when given, is called with the shortest loops found so far (every
    loop of up to ``complete_up_to`` links; ``stopped_by`` is ``IN_PROGRESS``) if a limit binds
    and the search is still going ``early_after`` seconds in, so that a window can show them
    while the rest is found; and again as further lengths are done: every EARLY_SOON_SECONDS
    while fewer than EARLY_FEW loops were handed out, then at most once every
    EARLY_AGAIN_SECONDS at first and twice as long between each next two, so that what it
    shows keeps up with the count found so far. With ``early`` the first search (see below)
    stops at ``early_after`` too: one still going then is a big one.
    """
    started = time.monotonic()
    deadline = started + budget.time_limit if budget.time_limit else None
    graph = LoopGraph.of(diagram)
    loops_cap, members_cap = budget.loops_cap(), budget.members_cap()
    longest = min(budget.max_length or graph.n, graph.n)
    bounded = longest if budget.max_length and longest < graph.n else None
    python_until = started + PYTHON_SECONDS
    floor = 0
    # Seconds the first search's loops take to write, and those kept for it while the
    # deepening has found nothing (its loops are then what is kept).
    first_cost = keep_for_first = 0.0

    def searched(
        bound: int,
        store_length: int,
        loops: int,
        members: int,
        done: object,
        base: int,
        search_until: float | None = None,
    ):
        run = KernelRun(
            graph,
            bound=bound if bound < graph.n else 0,
            store_length=store_length,
            max_loops=loops,
            max_members=members,
            done=done,
            compiled=compiled,
        )
        # Counts only grow while the search goes on: the shortest-first pass finds again what
        # the first search found, so it reports no fewer than that (``floor``).
        report = None if progress is None else lambda stored: progress(max(base + stored, floor))
        until = deadline
        finish = FINISH_SECONDS_PER_MEMBER if store_length < 0 else JOIN_SECONDS_PER_MEMBER
        reserve = reserve_per_member + finish
        if until is not None:  # what earlier lengths listed needs its time too
            until -= (members_cap - members) * reserve + (loops_cap - loops) * reserve_per_loop
            if loops == loops_cap:
                until -= keep_for_first
        try:
            status = run.run(
                until, cancelled, report, reserve, python_until, search_until, reserve_per_loop
            )
        except Stopped as stop:
            status = stop.reason
        return run, status

    # Most diagrams: one search lists every loop within the limits. Under a time limit it gets
    # a share of the time, so that the shortest-first listing has the rest when a limit binds;
    # for a window waiting for the shortest loops (``early``), no longer than their hand-out
    # may wait: a search that is not done by then is a big one, and the length-by-length
    # listing shows its shortest loops while it goes on (a World3-sized model opened before the
    # compiled search is loaded: 1.6 s for the first search to reach the loop limit).
    deepening = graph.n * (graph.n + graph.m) <= SHORTEST_FIRST_MAX_WORK
    share = None
    if deadline is not None and deepening:
        share = started + FIRST_SEARCH_SHARE * budget.time_limit
    if early is not None and deepening:
        share = min(share or math.inf, started + early_after)
    run, status = searched(longest, -1, loops_cap, members_cap, None, 0, share)
    if status == "cancelled":
        # Stop must be quick: the loops found are dropped (freed on this thread), not sorted;
        # the summary says how many there were.
        return _stopped(graph, run.stored, progress, bounded)
    first_stop = "loop limit" if run.stored >= loops_cap else "size limit"
    in_time = deadline is None or time.monotonic() < deadline
    if status in ("time share", "time limit") and deepening and in_time:
        # Out of its share, or its listing is as long as can be written in time: the
        # shortest loops come from the length-deepening pass with the time left.
        status, first_stop = "full", "time limit"
    elif status == "time share":  # and the deadline passed since: the time limit stopped it
        status = "time limit"
    if status != "full" or not deepening:
        stopped_by = None if status == "done" else first_stop if status == "full" else status
        found = run.stored
        try:  # joining and sorting millions of loops takes seconds: Stop stays quick
            output = run.output(cancelled)
            del run  # its output blocks, once copied into one
            table = sorted_by_length(graph, *output, cancelled=cancelled)
            del output
            return _analysis(graph, table, stopped_by, None, progress, bounded)
        except Cancelled:
            return _stopped(graph, found, progress, bounded)
    # A limit binds: list again one length at a time, so that the loops kept are the shortest.
    # The first search's loops are kept aside in case the time runs out before as many are found.
    # Kept only for a time limit that leaves the shortest-first pass empty-handed: without one
    # it is not even joined (it would double what the listing holds in memory).
    first: tuple[Any, Any, Any] | None = run.output() if deadline is not None else None
    floor = run.stored
    per_member = reserve_per_member + FINISH_SECONDS_PER_MEMBER
    if deadline is not None:  # at most half the time left: the shortest loops come first
        first_cost = run.members * per_member + run.stored * reserve_per_loop
        keep_for_first = max(0.0, min(first_cost, (deadline - time.monotonic()) / 2))
    del run
    parts: list[tuple[object, object, object]] = []
    done: object = None
    stopped_by: str | None = None
    complete_up_to = 0
    loops_left, members_left = loops_cap, members_cap
    handed, next_early = 0, 0.0  # loops handed to ``early`` so far, and when it may be again
    wait = EARLY_AGAIN_SECONDS
    for length in range(1, longest + 1):
        run, status = searched(
            length, length, loops_left, members_left, done, loops_cap - loops_left
        )
        part = run.output()
        parts.append(part)
        loops_left -= run.stored
        members_left -= len(part[0])
        done = run.done_starts
        if status == "full":
            status = "loop limit" if loops_left <= 0 else "size limit"
        if status != "done":
            stopped_by = status
            break
        complete_up_to = length
        found = loops_cap - loops_left
        if output_seconds is not None and len(part[2]) >= CALIBRATE_FROM:
            scale = _calibrated(
                graph, part, output_seconds, reserve_per_loop, reserve_per_member,
                deadline, loops_cap, members_cap,
            )  # fmt: skip
            if scale is not None:
                reserve_per_loop *= scale
                reserve_per_member *= scale
            output_seconds = None
        now = time.monotonic()
        if (
            early is not None
            and found > handed
            and now - started >= early_after
            and (now >= next_early)
        ):
            table = concatenated(graph, parts)
            early(_analysis(graph, table, IN_PROGRESS, length, None, bounded))
            handed = found
            if found < EARLY_FEW:  # a few loops: cheap to hand out again soon
                next_early = time.monotonic() + EARLY_SOON_SECONDS
            else:
                next_early = time.monotonic() + wait
                wait *= 2
    if stopped_by == "cancelled":
        # Stopped by hand: the lengths listed in full are kept (joined, not sorted: quick), so
        # the listing says what it holds; the length under way is dropped.
        parts = parts[:complete_up_to]
    table = concatenated(graph, parts)
    if stopped_by == "time limit" and not len(table):
        # Out of time before the first loop of the shortest length: the first search's loops,
        # all longer than the lengths found empty, say more than none.
        assert first is not None  # (a time limit)
        try:
            table, stopped_by = sorted_by_length(graph, *first, cancelled=cancelled), first_stop
        except Cancelled:
            stopped_by = "cancelled"
        else:
            seconds = max(deadline - time.monotonic(), keep_for_first) if deadline else first_cost
            if first_cost > seconds:  # no more of them than can be written in the time left
                table = _fitting(table, seconds, per_member, reserve_per_loop)
                stopped_by = "time limit"
    # A stop by hand: the first search's loops, or the length under way's, were found too.
    found = max(floor, loops_cap - loops_left) if stopped_by == "cancelled" else 0
    return _analysis(
        graph, table, stopped_by, complete_up_to or None, progress, bounded, found=found
    )


def _calibrated(
    graph: LoopGraph,
    part: tuple[Any, Any, Any],
    output_seconds: Callable[[LoopTable], float],
    per_loop: float,
    per_member: float,
    deadline: float | None,
    loops_cap: int,
    members_cap: int,
) -> float | None:
    """How many times the reserves ``per_loop`` and ``per_member`` should be (OUTPUT_MARGIN
    included), from the time ``output_seconds`` takes for the first CALIBRATE_LOOPS loops of
    ``part`` (a length of the listing, all found); None when the reserves cannot matter (no
    time limit, or all the loops the budget lets through are written in a small share of the
    time left) or nothing was measured."""
    if deadline is None or per_loop + per_member <= 0:
        return None
    most = loops_cap * per_loop + members_cap * per_member
    if most < CALIBRATE_WHEN_SHARE * (deadline - time.monotonic()):
        return None
    _edges, starts, codes = part
    k = min(len(codes), CALIBRATE_LOOPS)
    # What writing k loops takes more than writing one: the time each loop adds, without what
    # a write takes once whatever its size (a sample that is mostly that would say each loop
    # takes many times what it does).
    seconds = output_seconds(_first_loops(graph, part, k)) - output_seconds(
        _first_loops(graph, part, 1)
    )
    expected = (k - 1) * per_loop + (int(starts[k]) - int(starts[1])) * per_member
    if seconds <= 0 or expected <= 0:
        return None
    return seconds / expected * OUTPUT_MARGIN


def _first_loops(graph: LoopGraph, part: tuple[Any, Any, Any], k: int) -> LoopTable:
    """A table of the first ``k`` loops of ``part`` (link rows end to end, starts, codes)."""
    edges, starts, codes = part
    first, end = int(starts[0]), int(starts[k])
    head = starts[: k + 1]
    head = head - first if is_numpy(head) else [s - first for s in head]
    return LoopTable(graph, edges[first:end], head, codes[:k])


def _stopped(
    graph: LoopGraph, found: int, progress: Callable[[int], None] | None, bounded: int | None
) -> LoopAnalysis:
    """A search stopped by hand before its loops were put in order: none listed, ``found``
    said."""
    return _analysis(
        graph, LoopTable.empty(graph), "cancelled", None, progress, bounded, found=found
    )


def _fitting(table: LoopTable, seconds: float, per_member: float, per_loop: float) -> LoopTable:
    """The first loops of ``table`` that can be written in ``seconds``."""
    starts = table.starts
    fits, more = 0, len(table)  # the most that fit: at least ``fits``, at most ``more``
    while fits < more:
        k = (fits + more + 1) // 2
        if int(starts[k]) * per_member + k * per_loop <= seconds:
            fits = k
        else:
            more = k - 1
    end = int(starts[fits])
    return LoopTable(table.graph, table.edges[:end], table.starts[: fits + 1], table.codes[:fits])


def _analysis(
    graph: LoopGraph,
    table: LoopTable,
    stopped_by: str | None,
    complete_up_to: int | None,
    progress: Callable[[int], None] | None,
    max_length: int | None = None,
    found: int = 0,
) -> LoopAnalysis:
    """The analysis of ``table``; ``found``: see :attr:`LoopAnalysis.found`."""
    if progress is not None:
        progress(len(table))
    return LoopAnalysis(
        LoopList(table),
        stopped_by is None,
        stopped_by,
        None,  # loops through each variable: counted if asked for
        complete_up_to if stopped_by is not None else None,
        table,
        max_length,
        found,
    )
