"""Feedback-loop analysis: find the elementary loops of a diagram, classify and name them.

A loop is reinforcing (R) when it has an even number of "-" links, balancing (B) when odd, and
undetermined (U) when any link is "?". Names are numbered by length, then by document order, so
the same diagram always gives the same names. Enumeration is bounded by a :class:`Budget`
(loop count, loop length, time, total size) and can be cancelled; the result says whether it is
complete. The search itself is :mod:`cld_editor.analysis.cycles`.

When the loop or size limit stops a search without a length bound, the loops found are whatever
Johnson's algorithm met first, mostly long ones, while the short loops are the ones people
discuss. The search is then run again with a growing length bound (1, 2, 3, ... links), in a
share of the time, so a truncated result holds every loop of up to ``complete_up_to`` links and
is filled up to the limit with longer ones, shortest first. On very large diagrams (about
10,000 variables) the bounded searches cost too much and the first search's loops are kept.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

from ..core.model import Diagram, canonical_loop
from .cycles import Cycle, CycleSearch, Edge, edge_code, field_width

LoopPolarity = Literal["reinforcing", "balancing", "undetermined"]
PREFIX = {"reinforcing": "R", "balancing": "B", "undetermined": "U"}
DEFAULT_MAX_LOOPS = 100_000
DEFAULT_TIME_LIMIT = 10.0
#: Loops on a large diagram can run through thousands of variables each; this many members in
#: all (the sum of the loops' lengths, about 160 MB) keeps a search's memory in hand.
DEFAULT_MAX_MEMBERS = 10_000_000


@dataclass(frozen=True)
class Budget:
    """Limits on one analysis. ``None`` (or 0 for the counts) means no limit.

    ``max_loops``: loops found; ``max_length``: links in a loop (longer loops are left out,
    and the result can still be complete); ``time_limit``: seconds for the whole call;
    ``max_members``: the sum of the lengths of the loops found.
    """

    max_loops: int | None = DEFAULT_MAX_LOOPS
    max_length: int | None = None
    time_limit: float | None = DEFAULT_TIME_LIMIT
    max_members: int | None = DEFAULT_MAX_MEMBERS


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
    ``stopped_by`` then says which ("loop limit", "time limit", "size limit", "cancelled")."""

    loops: list[Loop]
    complete: bool
    stopped_by: str | None = None
    loops_through: dict[str, int] = field(default_factory=dict)
    #: When incomplete: every loop of at most this many links is among ``loops`` (None: not
    #: known to hold for any length).
    complete_up_to: int | None = None

    def count(self, polarity: LoopPolarity) -> int:
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
        }

    def summary_text(self) -> str:
        """ "5 loops: 3 reinforcing, 2 balancing", or "at least N loops (...)" when truncated."""
        n = len(self.loops)
        parts = [
            f"{self.count(p):,} {p}"
            for p in ("reinforcing", "balancing", "undetermined")
            if self.count(p)
        ]
        head = f"{n:,} loop{'s' if n != 1 else ''}"
        if not self.complete:
            stopped = self.stopped_by or "limit"
            why = "analysis stopped" if stopped == "cancelled" else f"stopped at the {stopped}"
            if self.complete_up_to:
                links = "link" if self.complete_up_to == 1 else "links"
                why += f"; all loops of up to {self.complete_up_to} {links} found"
            head = f"at least {head} ({why})"
        return head + (": " + ", ".join(parts) if parts else "")


_KINDS: tuple[LoopPolarity, ...] = ("reinforcing", "balancing", "undetermined")
_LETTERS = tuple(PREFIX[kind] for kind in _KINDS)
_DOMAINS_BY_MASK: tuple[tuple[str, ...], ...] = ((), ("CX",), ("EX",), ("CX", "EX"))


def find_loops(
    diagram: Diagram,
    budget: Budget = Budget(),
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> LoopAnalysis:
    """Enumerate, classify and name the loops of ``diagram`` within ``budget``.

    ``progress(n)`` is called now and then (at most every 0.1 s, and once at the end) with the
    number of loops found so far; ``cancelled()`` is polled every few thousand search steps and
    stops the search when it returns True. Both may be called from a worker thread.
    """
    deadline = None if budget.time_limit is None else time.monotonic() + budget.time_limit
    ids = [v.id for v in diagram.variables]
    index = {variable_id: i for i, variable_id in enumerate(ids)}
    domain_bits = [{"CX": 1, "EX": 2}.get(v.domain or "", 0) for v in diagram.variables]
    width = field_width(len(ids))
    successors: list[list[Edge]] = [[] for _ in ids]
    for link in diagram.links:
        target = index[link.target]
        code = edge_code(
            width, link.polarity == "-", link.polarity == "?", link.delay, domain_bits[target]
        )
        successors[index[link.source]].append((target, code, link.id, link.target))
    for edges in successors:
        # Searching successors in document order yields each length's loops already in order.
        edges.sort(key=_target)

    def search(max_length: int | None, until: float | None = deadline) -> CycleSearch:
        run = CycleSearch(
            successors,
            ids,
            max_length=max_length,
            max_cycles=budget.max_loops or None,
            max_members=budget.max_members or None,
            deadline=until,
            cancelled=cancelled,
            progress=progress,
        )
        run.run()
        return run

    # The search and the naming allocate a few objects per loop, none of them cyclic garbage;
    # Python's cyclic GC would rescan them again and again (a fifth of the run), so it pauses.
    with _gc_paused():
        started = time.monotonic()
        found = search(budget.max_length)
        by_length, through, stopped_by = found.by_length, found.through, found.stopped_by
        complete_up_to = None
        work = len(ids) * (len(ids) + len(diagram.links))
        if (
            budget.max_length is None
            and stopped_by in _COUNT_LIMITS
            and work <= SHORTEST_FIRST_MAX_WORK
        ):
            # The shorter searches get a share of the time, not all of it: on a large diagram
            # they can cost far more than the first search, which already has a full result.
            spent = time.monotonic() - started
            until = time.monotonic() + max(SHORTEST_FIRST_MIN_SECONDS, 2 * spent)
            if deadline is not None:
                until = min(until, deadline)
            shortest = _shortest_first(search, found, len(ids), budget, until)
            if shortest is not None:
                by_length, through, stopped_by, complete_up_to = shortest
        loops = _named_loops(by_length, width)
    through_by_id = dict(zip(ids, through, strict=True))
    return LoopAnalysis(loops, stopped_by is None, stopped_by, through_by_id, complete_up_to)


#: Limits on how much is found (rather than on time): the ones a shortest-first search helps.
_COUNT_LIMITS = ("loop limit", "size limit")
#: The shortest-first searches may take twice as long as the first search, and at least this.
SHORTEST_FIRST_MIN_SECONDS = 1.0
#: Each bounded search splits the graph into strongly connected pieces once per start
#: variable, about variables x (variables + links) steps: beyond this (a 10,000-variable
#: diagram) even the 2-link search would not finish in its share of time, so the first
#: search's loops are kept as they are.
SHORTEST_FIRST_MAX_WORK = 20_000_000


def _shortest_first(
    search: Callable[[int | None, float | None], CycleSearch],
    unbounded: CycleSearch,
    n_nodes: int,
    budget: Budget,
    until: float | None,
) -> tuple[list[list[Cycle]], list[int], str, int] | None:
    """After ``unbounded`` was stopped by the loop or size limit: search with the length bound
    1, 2, ... (until ``until``) for the largest L whose search is complete, keep all its loops
    (every loop of up to L links), and fill up to the limit with longer loops, shortest first:
    those of the search that bound at L + 1 if it hit the limit (a bounded search finds loops
    by start variable, not by length, so it is only a source of loops of length L + 1), else
    those ``unbounded`` found. None when not even the 1-link search completed. Returns (cycles
    by length, loops through each node, why it stopped, L)."""
    best: CycleSearch | None = None
    source, stopped_by = unbounded, unbounded.stopped_by or "loop limit"
    for bound in range(1, n_nodes + 1):
        bounded = search(bound, until)
        if bounded.complete:
            best = bounded
            continue
        if bounded.stopped_by in _COUNT_LIMITS:
            source, stopped_by = bounded, bounded.stopped_by or stopped_by
        elif bounded.stopped_by == "cancelled":
            stopped_by = "cancelled"
        break
    else:
        bound = n_nodes + 1
    if best is None:
        return None
    kept = best.by_length[:bound]
    count = sum(len(cycles) for cycles in kept)
    members = sum(length * len(cycles) for length, cycles in enumerate(kept))
    loops_left = budget.max_loops - count if budget.max_loops else sys.maxsize
    members_left = budget.max_members - members if budget.max_members else sys.maxsize
    longer: list[list[Cycle]] = []
    for length in range(bound, len(source.by_length)):
        taken: list[Cycle] = []
        for cycle in source.by_length[length]:
            if loops_left <= 0 or members_left < length:
                break
            taken.append(cycle)
            loops_left -= 1
            members_left -= length
        longer.append(taken)
    by_length = [*kept, *longer]
    index = {name: i for i, name in enumerate(unbounded.names)}
    through = [0] * n_nodes
    for cycles in by_length:
        for members_of, _links, _sums in cycles:
            for member in members_of:
                through[index[member]] += 1
    return by_length, through, stopped_by, bound - 1


def _target(edge: Edge) -> int:
    return edge[0]


def _named_loops(by_length: list[list[Cycle]], width: int) -> list[Loop]:
    """Classify and number the cycles, which come grouped by length in document order."""
    mask = (1 << width) - 1
    numbers = [0, 0, 0]
    loops: list[Loop] = []
    append = loops.append
    # Many loops share the same summed edge codes, so each sum is decoded once.
    decoded: dict[int, tuple[int, bool, tuple[str, ...]]] = {}
    for length, cycles in enumerate(by_length):
        # Each list is dropped once named: fewer live objects for the GC to walk when it resumes.
        by_length[length] = []
        for members, links, sums in cycles:
            try:
                kind, delayed, domains = decoded[sums]
            except KeyError:
                kind = 2 if sums >> width & mask else sums & 1
                delayed = bool(sums >> 2 * width & mask)
                cx, ex = bool(sums >> 3 * width & mask), bool(sums >> 4 * width)
                domains = _DOMAINS_BY_MASK[cx | ex << 1]
                decoded[sums] = kind, delayed, domains
            numbers[kind] += 1
            # Positional arguments: this runs once per loop, up to millions of times.
            append(
                Loop(
                    f"{_LETTERS[kind]}{numbers[kind]}",
                    _KINDS[kind],
                    members,
                    links,
                    delayed,
                    domains,
                )
            )
    return loops


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC, restoring it afterwards only if it was running (another thread or
    caller may have paused it too: that only costs memory for a while, never correctness)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
