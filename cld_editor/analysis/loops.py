"""Feedback-loop analysis: find the elementary loops of a diagram, classify and name them.

A loop is reinforcing (R) when it has an even number of "-" links, balancing (B) when odd, and
undetermined (U) when any link is "?". Names are numbered by length, then by document order, so
the same diagram always gives the same names. Enumeration is bounded by a :class:`Budget`
(loop count, loop length, time) and can be cancelled; the result says whether it is complete.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from ..core.model import Diagram, canonical_loop

LoopPolarity = Literal["reinforcing", "balancing", "undetermined"]
PREFIX = {"reinforcing": "R", "balancing": "B", "undetermined": "U"}
DEFAULT_MAX_LOOPS = 100_000
DEFAULT_TIME_LIMIT = 10.0


@dataclass(frozen=True)
class Budget:
    """Limits on one analysis. ``None`` means no limit."""

    max_loops: int | None = DEFAULT_MAX_LOOPS
    max_length: int | None = None
    time_limit: float | None = DEFAULT_TIME_LIMIT


@dataclass(frozen=True)
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
    ``stopped_by`` then says which ("loop limit", "time limit", "cancelled")."""

    loops: list[Loop]
    complete: bool
    stopped_by: str | None = None
    loops_through: dict[str, int] = field(default_factory=dict)

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
            f"{self.count(p)} {p}"
            for p in ("reinforcing", "balancing", "undetermined")
            if self.count(p)
        ]
        head = f"{n} loop{'s' if n != 1 else ''}"
        if not self.complete:
            head = f"at least {head} (stopped at the {self.stopped_by or 'limit'})"
        return head + (": " + ", ".join(parts) if parts else "")


class Cancelled(Exception):
    """Raised inside the search when the cancel callback says so."""


def find_loops(
    diagram: Diagram,
    budget: Budget = Budget(),
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> LoopAnalysis:
    """Enumerate, classify and name the loops of ``diagram`` within ``budget``.

    ``progress(n)`` is called now and then with the number of loops found so far;
    ``cancelled()`` is polled as often, and stops the search when it returns True.
    """
    order = {v.id: i for i, v in enumerate(diagram.variables)}
    domain_of = {v.id: v.domain for v in diagram.variables}
    graph = nx.DiGraph()
    graph.add_nodes_from(order)
    link_at: dict[tuple[str, str], tuple[str, str, bool]] = {}
    for link in diagram.links:
        graph.add_edge(link.source, link.target)
        link_at[(link.source, link.target)] = (link.id, link.polarity, link.delay)

    deadline = None if budget.time_limit is None else time.monotonic() + budget.time_limit
    max_loops = budget.max_loops or None
    found: list[tuple[int, int, tuple[str, ...], tuple[str, ...], LoopPolarity, bool]] = []
    stopped_by: str | None = None
    for cycle in nx.simple_cycles(graph, length_bound=budget.max_length):
        if max_loops is not None and len(found) >= max_loops:
            stopped_by = "loop limit"
            break
        if len(found) % 256 == 0:
            if cancelled is not None and cancelled():
                stopped_by = "cancelled"
                break
            if deadline is not None and time.monotonic() > deadline:
                stopped_by = "time limit"
                break
            if progress is not None:
                progress(len(found))
        start = min(range(len(cycle)), key=lambda i: order[cycle[i]])
        members = tuple(cycle[start:] + cycle[:start])
        negatives, unknown, delayed, links = 0, False, False, []
        for i, source in enumerate(members):
            link_id, polarity, delay = link_at[(source, members[(i + 1) % len(members)])]
            links.append(link_id)
            negatives += polarity == "-"
            unknown |= polarity == "?"
            delayed |= delay
        kind: LoopPolarity = (
            "undetermined" if unknown else "balancing" if negatives % 2 else "reinforcing"
        )
        found.append((len(members), order[members[0]], members, tuple(links), kind, delayed))

    found.sort(key=lambda f: (f[0], f[1], [order[m] for m in f[2]]))
    numbers = {"reinforcing": 0, "balancing": 0, "undetermined": 0}
    loops: list[Loop] = []
    through: dict[str, int] = dict.fromkeys(order, 0)
    for _, _, members, links, kind, delayed in found:
        numbers[kind] += 1
        domains = {domain_of[m] for m in members} - {None}
        for m in members:
            through[m] += 1
        loops.append(
            Loop(
                name=f"{PREFIX[kind]}{numbers[kind]}",
                polarity=kind,
                variables=members,
                links=links,
                delayed=delayed,
                domains=tuple(sorted(domains)),
            )
        )
    return LoopAnalysis(loops, stopped_by is None, stopped_by, through)
