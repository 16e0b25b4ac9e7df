"""Captions for a what-if run: one sentence per step saying what happened, in the words of
the diagram (labels and loop names), for the editor's What If mode, stories and the
``cld-editor whatif`` table.

When the start variable changes again, the caption says where that change came from: the
latest earlier change of the start that reached it (a pulse travelling round a loop and back),
and through which loop, the shortest one that brought it back with that sign. The first
return says how long the trip took ("rises after 5 steps: B1 Workload brake pushes back
against the fall"); a later one names the change it brings back ("falls again: B1 Workload
brake pushes back against the rise of step 5") instead of counting steps from the start as
if nothing had come back before. A change that came back through a loop with a detour round
another loop names that one too ("…, by way of R1 Turnover spiral, …"). A reinforcing trip
"reinforces the fall — a doom loop" (or the rise — a virtuous cycle, the issue's words), a
balancing one "pushes back". Other changes are summed up by direction. Qt-free.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..core.model import Diagram
from ..core.text import one_line as _one_line
from .loops import Loop
from .whatif import Direction, Pulse, WhatIf, loop_travel_steps

_VERB = {"up": "rises", "down": "falls"}
_PLURAL_VERB = {"up": "rise", "down": "fall"}
_NOUN = {"up": "rise", "down": "fall"}
_SPIRAL = {"up": "a virtuous cycle", "down": "a doom loop"}
#: At most this many labels are named in one group of a caption ("A, B, C and 2 more fall").
NAMED_PER_GROUP = 3


def loop_title(loop: Loop, diagram: Diagram) -> str:
    """ "R1", or "R1 Virtuous cycle" when a loop label gives the loop a name."""
    for label in diagram.loop_labels:
        if label.name and label.loop_key == loop.key:
            return f"{loop.name} {_one_line(label.name)}"
    return loop.name


def caption(run: WhatIf, step: int, diagram: Diagram, loops: Sequence[Loop] = ()) -> str:
    """What happens at ``step`` of ``run`` (0: the start), as one or two sentences."""
    labels = {v.id: _one_line(v.label) or v.id for v in diagram.variables}
    start = labels.get(run.start, run.start)
    if step == 0:
        return f"Suppose {start} {_VERB[run.direction]}."
    changes = run.changes_at(step)
    if not changes:
        if any(p.arrives > step for p in run.in_flight(step)) or run.in_flight(step + 1):
            return f"Step {step}: nothing changes; a delayed change is still on its way."
        return f"Step {step}: nothing changes any more."
    sentences: list[str] = []
    others = dict(changes)
    returned = return_sentence(run, step, diagram, loops)
    if returned is not None:
        sentences.append(returned)
        del others[run.start]
    summary = _summary(others, labels)
    if summary:
        sentences.append(("Also: " if sentences else f"Step {step}: ") + summary + ".")
    return " ".join(sentences)


def return_sentence(
    run: WhatIf, step: int, diagram: Diagram, loops: Sequence[Loop] = ()
) -> str | None:
    """The sentence about the start variable changing again at ``step`` (None when it does
    not change then): how it changes and which loop brought that change back."""
    if step <= 0:
        return None
    change = run.changes_at(step).get(run.start)
    if change is None:
        return None
    start = _one_line(next((v.label for v in diagram.variables if v.id == run.start), ""))
    start = start or run.start
    trips = _trips(run, step, diagram, loops)
    # The start's own change came back (rather than one that had come back before): the
    # trip took ``step`` steps, and the caption may say so.
    first = all(trip.origin == 0 for trip in trips)
    before = {run.changes_at(t).get(run.start) for t in range(step)}
    if change != "unknown":
        head = f"{start} {_VERB[change]}{' again' if change in before else ''}"
    elif {"up", "down"} <= {trip.arriving for trip in trips}:
        head = f"{start} is pulled both ways"
    else:
        head = f"{start} may rise or fall"
    if first:
        head += f" after {step} step{'s' if step != 1 else ''}"
    parts = [_trip_phrase(run, trip, first, change != "unknown") for trip in trips if trip.names]
    if parts:
        return f"{head}: {'; '.join(parts)}."
    if change == "unknown":
        return f"{head}: its change is unknown."
    return head + "."


@dataclass(frozen=True)
class _Trip:
    """How the pulses of one direction came back to the start at a step: from its change at
    step ``origin``, round the loops titled ``names`` (detours round ``via`` on the way)."""

    arriving: Direction
    origin: int
    names: tuple[str, ...]
    via: tuple[str, ...]
    effect: str  # "same", "opposite" or "uncertain": the change brought back vs the origin's
    unknown_sign: bool  # a loop on the way has a link of unknown sign


def _trips(run: WhatIf, step: int, diagram: Diagram, loops: Sequence[Loop]) -> list[_Trip]:
    """One trip per direction the start received at ``step``: the latest change of the start
    it can come from, and the shortest loops through the start that brought it back."""
    chains = _Chains.of(run)
    arrivals = [p for p in run.steps[step - 1].arrivals if p.target == run.start]
    through = [loop for loop in loops if run.start in loop.variables]
    trips: list[_Trip] = []
    for arriving in ("up", "down", "unknown"):
        group = [p for p in arrivals if p.direction == arriving]
        if not group:
            continue
        latest = max(group, key=lambda p: chains.origin_of(p))
        origin = chains.origin_of(latest)
        came_from = run.changes_at(origin)[run.start]
        mains = [
            loop
            for loop in through
            if loop_travel_steps(loop, diagram) == step - origin
            and chains.went_round(loop, run.start, origin, arriving, diagram)
        ]
        detours: list[Loop] = []
        if not mains:
            mains, detours = _named_walk(chains.walk(latest), run.start, loops)
        if "unknown" in (arriving, came_from):
            effect = "uncertain"
        else:
            effect = "same" if arriving == came_from else "opposite"
        trips.append(
            _Trip(
                arriving,  # type: ignore[arg-type]
                origin,
                _titles(mains, diagram),
                _titles(detours, diagram),
                effect,
                any(loop.polarity == "undetermined" for loop in mains + detours),
            )
        )
    order = {"same": 0, "opposite": 1, "uncertain": 2}
    return sorted(trips, key=lambda trip: order[trip.effect])


def _trip_phrase(run: WhatIf, trip: _Trip, first: bool, settled: bool) -> str:
    """``B1 Workload brake pushes back against the rise of step 5`` and the like. ``first``:
    the start's first return (its own change came back); ``settled``: the start's change at
    this step is a rise or a fall (not pulled both ways)."""
    who = _and(_capped(list(trip.names)))
    if trip.via:
        who += f", by way of {_and(_capped(list(trip.via)))},"
    plural = len(trip.names) > 1
    came_from = run.changes_at(trip.origin)[run.start]
    if came_from == "unknown":
        what = f"the uncertain change of step {trip.origin}"
    elif first:
        what = f"the {_NOUN[came_from]}"
    elif trip.origin == 0:
        what = f"the {_NOUN[came_from]} it began with"
    else:
        what = f"the {_NOUN[came_from]} of step {trip.origin}"
    bring = "bring" if plural else "brings"
    if trip.effect == "same":
        if first and settled:
            return f"{who} reinforce{'' if plural else 's'} {what} — {_SPIRAL[came_from]}"
        return f"{who} {bring} {what} back" if first else f"{who} {bring} back {what}"
    if trip.effect == "opposite":
        push = "push" if plural else "pushes"
        return (
            f"{who} {push} back" if first and not settled else f"{who} {push} back against {what}"
        )
    if came_from == "unknown":
        return f"{who} {bring} back {what}"
    if trip.unknown_sign:
        return f"{who} {'have' if plural else 'has'} a link of unknown sign"
    return f"{who} {bring} back a change that became uncertain on the way"


class _Chains:
    """For one run, every change's latest source at the start: for each (variable, step) that
    changed, the latest step at which a change of the start reached it by a chain of pulses
    not passing through the start again, and the last pulse of that chain. Built once per run
    (in O(pulses)) and kept while the run lives."""

    _made: ClassVar[dict[int, tuple[weakref.ref[WhatIf], _Chains]]] = {}

    @classmethod
    def of(cls, run: WhatIf) -> _Chains:
        kept = cls._made.get(id(run))
        if kept is not None and kept[0]() is run:
            return kept[1]
        chains = cls(run)
        for key in [key for key, (ref, _c) in cls._made.items() if ref() is None]:
            del cls._made[key]
        cls._made[id(run)] = (weakref.ref(run), chains)
        return chains

    def __init__(self, run: WhatIf) -> None:
        start = run.start
        self._latest: dict[tuple[str, int], tuple[int, Pulse | None]] = {(start, 0): (0, None)}
        self._sent: dict[tuple[str, int], Direction] = {}
        for now in run.steps:
            best: dict[str, tuple[int, Pulse]] = {}
            for pulse in now.arrivals:
                self._sent[(pulse.link, pulse.sent)] = pulse.direction
                if pulse.target == start:
                    continue
                origin = self._latest[(pulse.source, pulse.sent)][0]
                if pulse.target not in best or origin > best[pulse.target][0]:
                    best[pulse.target] = (origin, pulse)
            self._latest.update({(v, now.step): found for v, found in best.items()})
            if any(change.variable == start for change in now.changes):
                self._latest[(start, now.step)] = (now.step, None)

    def origin_of(self, pulse: Pulse) -> int:
        """The latest step of the start's change that ``pulse`` carries on from."""
        return self._latest[(pulse.source, pulse.sent)][0]

    def walk(self, pulse: Pulse) -> list[Pulse]:
        """The chain of pulses from the start's change at :meth:`origin_of` to ``pulse``."""
        chain = [pulse]
        parent = self._latest[(pulse.source, pulse.sent)][1]
        while parent is not None:
            chain.append(parent)
            parent = self._latest[(parent.source, parent.sent)][1]
        return chain[::-1]

    def went_round(
        self, loop: Loop, start: str, origin: int, arriving: str, diagram: Diagram
    ) -> bool:
        """Whether the start's change at ``origin`` went once round ``loop``, link by link,
        and came back as ``arriving``."""
        delayed = {link.id for link in diagram.links if link.delay} if loop.delayed else set()
        at = loop.variables.index(start)
        n = len(loop.links)
        now, direction = origin, None
        for i in range(n):
            link = loop.links[(at + i) % n]
            direction = self._sent.get((link, now))
            if direction is None:
                return False
            now += 2 if link in delayed else 1
        return direction == arriving


def _named_walk(
    walk: list[Pulse], start: str, loops: Sequence[Loop]
) -> tuple[list[Loop], list[Loop]]:
    """The loop a chain of pulses from the start back to it went round, and the loops it
    detoured round on the way (each found among ``loops``; none when one is missing)."""
    path, links, detours = [start], [], []
    for pulse in walk:
        if pulse.target != start and pulse.target in path:
            at = path.index(pulse.target)
            detours.append(frozenset([*links[at:], pulse.link]))
            del path[at + 1 :], links[at:]
        else:
            path.append(pulse.target)
            links.append(pulse.link)
    wanted = [frozenset(links), *detours]
    found = {}
    for loop in loops:
        key = frozenset(loop.links)
        if key in wanted:
            found[key] = loop
    if any(key not in found for key in wanted):
        return [], []
    return [found[wanted[0]]], [found[key] for key in dict.fromkeys(detours)]


def _titles(loops: Sequence[Loop], diagram: Diagram) -> tuple[str, ...]:
    return tuple(loop_title(loop, diagram) for loop in loops)


def _capped(names: list[str]) -> list[str]:
    rest = len(names) - NAMED_PER_GROUP
    return [*names[:NAMED_PER_GROUP], f"{rest} more"] if rest > 0 else names


def _summary(changes: dict[str, Direction], labels: dict[str, str]) -> str:
    groups: list[str] = []
    for direction in ("down", "up", "unknown"):
        names = [labels.get(v, v) for v, d in changes.items() if d == direction]
        if not names:
            continue
        listed = _and(_capped(names))
        plural = len(names) > 1
        if direction == "unknown":
            verb = "may rise or fall"
        else:
            verb = _PLURAL_VERB[direction] if plural else _VERB[direction]
        groups.append(f"{listed} {verb}")
    return "; ".join(groups)


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
