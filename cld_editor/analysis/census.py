"""Loop census: count every loop of a diagram without keeping any, in memory that does not grow
with the number of loops.

One unbounded search of :mod:`.kernel` tallies each loop as it is found into fixed counters:
by length and class (reinforcing, balancing or undetermined; delayed or not; the domains of its
members: none, CX only, EX only, or both, "cross-domain"), and through each variable and each
link. A census stopped early (its time limit, a cancel, Ctrl+C) keeps its partial counts, which
are then lower bounds ("at least").
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

    def summary_text(self) -> str:
        """ "1,234 loops: 700 reinforcing, 534 balancing", "at least ..." when stopped early."""
        n = self.total
        parts = [
            f"{count:,} {kind}" for kind, count in zip(KINDS, self.by_kind, strict=True) if count
        ]
        head = f"{n:,} loop{'s' if n != 1 else ''}"
        if not self.complete:
            head = f"at least {head} (census stopped: {self.stopped_by})"
        return head + (": " + ", ".join(parts) if parts else "")

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
    return Census(
        complete=stopped_by is None,
        stopped_by=stopped_by,
        by_length=by_length,
        delayed=delayed,
        domains=domains,
        through_variables=dict(zip(graph.ids, through, strict=True)),
        through_links={graph.link_ids[r]: link_count[r] for r in rows},
        seconds=seconds,
    )
