"""Loop census: count every loop of a diagram without keeping any, in memory that does not grow
with the number of loops.

One unbounded search of :mod:`.kernel` tallies each loop as it is found into fixed counters:
by length and class (reinforcing, balancing or undetermined; delayed or not; the domains of its
members: none, CX only, EX only, or both, "cross-domain"), and through each variable and each
link. A census stopped early (its time limit, a cancel, Ctrl+C) keeps its partial counts, which
are then lower bounds ("at least"). The search takes the variables in document order and finds
each loop from its first member, so a stopped census has counted every loop through the first
``variables_searched`` variables and only some of the others: its split by length, type, delay
and domain describes those loops, not the diagram (:meth:`Census.partial_note` says so).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..core.model import Diagram
from . import kernel
from .budget import DEFAULT_CENSUS_TIME_LIMIT
from .engine import KernelRun, Stopped
from .graph import LoopGraph
from .table import KINDS

DOMAIN_CLASSES = ("none", "CX only", "EX only", "cross-domain")
#: What each of ``DOMAIN_CLASSES`` counts, in words for tables and the panel.
DOMAIN_WORDS = {
    "none": "no CX or EX member",
    "CX only": "CX members only",
    "EX only": "EX members only",
    "cross-domain": "CX and EX members",
}


@dataclass
class Census:
    """Counts of the loops of one diagram (see the module docstring). ``by_length[k]`` holds
    the reinforcing, balancing and undetermined loops of k links; ``domains`` maps each of
    ``DOMAIN_CLASSES`` to its count."""

    complete: bool
    stopped_by: str | None
    by_length: dict[int, tuple[int, int, int]]
    delayed: int
    domains: dict[str, int]
    through_variables: dict[str, int]
    through_links: dict[str, int]
    seconds: float = 0.0
    #: Variables whose every loop was counted (all of them when complete), of ``variables``.
    variables_searched: int = 0
    variables: int = 0
    #: The id of the variable the search was starting from when it stopped (None: complete).
    stopped_at: str | None = None
    by_kind: tuple[int, int, int] = field(init=False)

    def __post_init__(self) -> None:
        self.by_kind = (
            sum(c[0] for c in self.by_length.values()),
            sum(c[1] for c in self.by_length.values()),
            sum(c[2] for c in self.by_length.values()),
        )

    @property
    def total(self) -> int:
        return sum(self.by_kind)

    def kinds_text(self) -> str:
        """ "700 reinforcing, 534 balancing" (the kinds counted; "" when none)."""
        return ", ".join(
            f"{count:,} {kind}" for kind, count in zip(KINDS, self.by_kind, strict=True) if count
        )

    def summary_text(self) -> str:
        """ "1,234 loops: 700 reinforcing, 534 balancing", "at least ..." when stopped early."""
        n = self.total
        head = f"{n:,} loop{'s' if n != 1 else ''}"
        if not self.complete:
            head = f"at least {head} (census stopped: {self.stopped_by})"
        kinds = self.kinds_text()
        return head + (": " + kinds if kinds else "")

    def domains_text(self) -> str:
        """ "no CX or EX member: 12, CX members only: 3, ..." (every class, zeros too)."""
        return ", ".join(f"{DOMAIN_WORDS[name]}: {count:,}" for name, count in self.domains.items())

    def partial_note(self, labels: dict[str, str] | None = None) -> str:
        """For a stopped census, in plain words: which loops were counted, that the counts are
        lower bounds and that their split is not representative ("" when complete).
        ``labels`` names variables by id (else the id is shown)."""
        if self.complete:
            return ""
        done, n = self.variables_searched, self.variables
        where = ""
        if self.stopped_at is not None:
            name = (labels or {}).get(self.stopped_at, self.stopped_at)
            where = f" while searching from variable {done + 1:,} of {n:,} ({name!r})"
        counted = (
            f"every loop through the first {done:,} variable{'s' if done != 1 else ''} "
            "(in document order) and some through the others"
            if done
            else "only some of the loops through the first variable"
        )
        return (
            f"Partial census: it stopped ({self.stopped_by}){where}. These are the loops met "
            f"before it stopped, {counted}: every count is a lower bound, and the split by "
            "length, type, delay and domain is not representative of the whole diagram."
        )

    def to_json(self) -> dict[str, object]:
        return {
            "loops": self.total,
            "complete": self.complete,
            "stopped_by": self.stopped_by,
            "reinforcing": self.by_kind[0],
            "balancing": self.by_kind[1],
            "undetermined": self.by_kind[2],
            "delayed": self.delayed,
            "domains": dict(self.domains),
            "by_length": [
                {"length": length, **dict(zip(KINDS, counts, strict=True))}
                for length, counts in sorted(self.by_length.items())
            ],
            "variables": dict(self.through_variables),
            "links": dict(self.through_links),
            "seconds": round(self.seconds, 3),
            "variables_searched": self.variables_searched,
            "variables_total": self.variables,
            "stopped_at_variable": self.stopped_at,
            "note": self.partial_note() or None,
        }


def count_loops(
    diagram: Diagram,
    time_limit: float = DEFAULT_CENSUS_TIME_LIMIT,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    compiled: bool | None = None,
) -> Census:
    """Count every loop of ``diagram``; ``time_limit`` seconds at most (0: no limit).

    ``progress(n)`` gets the loops counted so far, now and then; ``cancelled()`` is polled
    about every 10 ms. A KeyboardInterrupt (Ctrl+C) stops the census like a cancel: the
    counts so far are returned, marked incomplete ("interrupted").
    """
    started = time.monotonic()
    deadline = started + time_limit if time_limit else None
    graph = LoopGraph.of(diagram)
    run = KernelRun(graph, store_length=0, count=True, compiled=compiled)
    stopped_by: str | None = None
    try:
        run.run(deadline, cancelled, progress)
    except Stopped as stop:
        stopped_by = stop.reason
    except KeyboardInterrupt:
        stopped_by = "interrupted"
    if progress is not None and stopped_by is None:
        progress(run.found)
    return _census(graph, run, stopped_by, time.monotonic() - started)


def _census(graph: LoopGraph, run: KernelRun, stopped_by: str | None, seconds: float) -> Census:
    a = run.a
    counts = [int(c) for c in a["counts"]]
    through = [int(c) for c in a["through"]]
    link_count = [int(c) for c in a["link_count"]]
    state = a["state"]
    if stopped_by is not None and int(state[kernel.S_PHASE]) == 1:
        # The variables and links on the path of a stopped search are credited with the loops
        # found below them, as a finished search credits them when it backs up.
        found = int(state[kernel.S_FOUND])
        for level in range(int(state[kernel.S_DEPTH]) + 1):
            below = found - int(a["mark"][level])
            through[int(a["path"][level])] += below
            if level:
                link_count[int(a["edge_in"][level])] += below
    by_length: dict[int, tuple[int, int, int]] = {}
    delayed = 0
    domains = dict.fromkeys(DOMAIN_CLASSES, 0)
    classes = kernel.CLASSES
    for length in range(1, graph.n + 1):
        row = counts[length * classes : (length + 1) * classes]
        if not any(row):
            continue
        kinds = [0, 0, 0]
        for code, count in enumerate(row):
            kinds[code % 3] += count
            delayed += count if code // 3 % 2 else 0
            domains[DOMAIN_CLASSES[code // 6]] += count
        by_length[length] = (kinds[0], kinds[1], kinds[2])
    rows = sorted(range(graph.m), key=graph.link_of.__getitem__)  # in document order
    start = min(int(state[kernel.S_START]), graph.n) if stopped_by is not None else graph.n
    return Census(
        complete=stopped_by is None,
        stopped_by=stopped_by,
        by_length=by_length,
        delayed=delayed,
        domains=domains,
        through_variables=dict(zip(graph.ids, through, strict=True)),
        through_links={graph.link_ids[r]: link_count[r] for r in rows},
        seconds=seconds,
        variables_searched=start,
        variables=graph.n,
        stopped_at=graph.ids[start] if start < graph.n else None,
    )
