"""What if: a change of one variable travelling through the diagram, one link per step.

The rules (issue 14): the start variable changes (rises or falls) at step 0. Every variable
that changes at step t passes its change along each of its outgoing links: a ``+`` link passes
the same direction, a ``-`` link the opposite one and a ``?`` link an unknown change. An
undelayed link delivers at step t + 1, a delayed one at t + 2. A variable that receives, in one
step, changes that disagree (or any unknown one) becomes unknown for that step. So a change
keeps circulating round loops: a reinforcing loop brings the start's direction back to it, a
balancing loop the opposite. This module owns that propagation (:func:`propagate`), its result
(:class:`WhatIf`, with every pulse travelling along a link for the editor to animate and the
``--json`` shape of ``cld-editor whatif``), the default number of steps and the lookup of the
start variable by id or label. It never changes the diagram. Captions are in
:mod:`cld_editor.analysis.whatif_caption`.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from ..core.model import Diagram, Link
from ..core.text import one_line as _one_line
from .loops import Budget, Loop, find_loops

Direction = Literal["up", "down", "unknown"]
StartDirection = Literal["up", "down"]
#: Default upper bound of the number of steps (the issue's "at most 50").
MAX_DEFAULT_STEPS = 50
#: The loop search behind the default number of steps: the longest loops are found only when
#: the search completes, so it is bounded like any analysis the editor runs unasked.
DEFAULT_STEPS_BUDGET = Budget(max_loops=20_000, time_limit=2.0)
_OPPOSITE: dict[str, Direction] = {"up": "down", "down": "up", "unknown": "unknown"}


def passed_on(direction: Direction, polarity: str) -> Direction:
    """The change a link of ``polarity`` passes on when its source changes in ``direction``."""
    if polarity == "?" or direction == "unknown":
        return "unknown"
    return _OPPOSITE[direction] if polarity == "-" else direction


_PASSES: dict[str, dict[str, Direction]] = {
    polarity: {d: passed_on(d, polarity) for d in ("up", "down", "unknown")}  # type: ignore[arg-type]
    for polarity in ("+", "-", "?")
}


def travel_steps(link: Link) -> int:
    """Steps a change takes along ``link``: 1, or 2 for a delayed link."""
    return 2 if link.delay else 1


class Pulse(NamedTuple):
    """A change travelling along one link: sent when ``source`` changed at step ``sent``,
    received by ``target`` at step ``arrives`` (``sent`` + 1, or + 2 on a delayed link).
    A named tuple: a long run makes hundreds of thousands of them."""

    link: str
    source: str
    target: str
    direction: Direction
    sent: int
    arrives: int


class Change(NamedTuple):
    """A variable changing at one step."""

    variable: str
    direction: Direction


@dataclass(frozen=True, slots=True)
class WhatIfStep:
    """One step: the variables that change (document order) and the pulses that arrive."""

    step: int
    changes: tuple[Change, ...]
    arrivals: tuple[Pulse, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "step": self.step,
            "changes": [{"variable": c.variable, "direction": c.direction} for c in self.changes],
        }


@dataclass(frozen=True)
class WhatIf:
    """The result of :func:`propagate`: ``steps[i]`` is step i + 1 (step 0 is the start)."""

    start: str
    direction: StartDirection
    steps: tuple[WhatIfStep, ...]
    pulses: tuple[Pulse, ...] = field(repr=False, default=())

    @property
    def count(self) -> int:
        return len(self.steps)

    def changes_at(self, step: int) -> dict[str, Direction]:
        """Variable id -> direction of the variables that change at ``step`` (0: the start)."""
        if step == 0:
            return {self.start: self.direction}
        if not 1 <= step <= len(self.steps):
            return {}
        return {change.variable: change.direction for change in self.steps[step - 1].changes}

    def in_flight(self, step: int) -> list[Pulse]:
        """Pulses on their way between step ``step - 1`` and step ``step`` (a delayed pulse is
        on its way for two steps): those arriving at ``step``, then the delayed ones sent at
        ``step - 1`` that arrive a step later."""
        if not 1 <= step <= len(self.steps):
            return []
        out = list(self.steps[step - 1].arrivals)
        if step < len(self.steps):
            out += [p for p in self.steps[step].arrivals if p.sent == step - 1]
        return out

    def to_json(self) -> dict[str, object]:
        """Exactly the shape ``cld-editor whatif --json`` prints."""
        return {
            "start": {"variable": self.start, "direction": self.direction},
            "steps": [step.to_json() for step in self.steps],
        }


def propagate(diagram: Diagram, start: str, direction: StartDirection, steps: int) -> WhatIf:
    """Let ``start`` change in ``direction`` and follow the change for ``steps`` steps.

    Every step up to ``steps`` is in the result, those without a change included. Costs
    O(steps x links) at worst: each step looks only at the links of the variables that changed.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    if steps < 0:
        raise ValueError("steps must be 0 or more")
    order = {variable.id: i for i, variable in enumerate(diagram.variables)}
    if start not in order:
        raise ValueError(f"{start!r} is not a variable of the diagram")
    # Per source: (link id, target, delay in steps, direction passed on per direction).
    outgoing: dict[str, list[tuple[str, str, int, dict[str, Direction]]]] = {}
    for link in diagram.links:
        passes = _PASSES[link.polarity]
        outgoing.setdefault(link.source, []).append(
            (link.id, link.target, travel_steps(link), passes)
        )
    # arrivals_by_step[t]: the pulses received at step t (t <= steps only).
    arrivals_by_step: list[list[Pulse]] = [[] for _ in range(steps + 2)]
    changed: dict[str, Direction] = {start: direction}
    out: list[WhatIfStep] = []
    pulses: list[Pulse] = []
    for now in range(steps + 1):
        if now > 0:
            received: dict[str, Direction] = {}
            for pulse in arrivals_by_step[now]:
                seen = received.get(pulse.target)
                # Disagreeing arrivals, or any unknown one, make the variable unknown.
                received[pulse.target] = (
                    pulse.direction if seen in (None, pulse.direction) else "unknown"
                )
            changed = {v: received[v] for v in sorted(received, key=order.__getitem__)}
            changes = tuple(Change(variable, d) for variable, d in changed.items())
            out.append(WhatIfStep(now, changes, tuple(arrivals_by_step[now])))
        for variable, change in changed.items():
            for link_id, target, delay, passes in outgoing.get(variable, ()):
                arrives = now + delay
                if arrives <= steps:
                    pulse = Pulse(link_id, variable, target, passes[change], now, arrives)
                    arrivals_by_step[arrives].append(pulse)
                    pulses.append(pulse)
    return WhatIf(start, direction, tuple(out), tuple(pulses))


def loop_travel_steps(loop: Loop, diagram: Diagram) -> int:
    """Steps a change takes to go once round ``loop`` (a delayed link counts twice)."""
    delayed = {link.id for link in diagram.links if link.delay}
    return sum(2 if link_id in delayed else 1 for link_id in loop.links)


def default_steps(
    diagram: Diagram, start: str, direction: StartDirection, loops: Sequence[Loop] | None = None
) -> int:
    """The issue's default: twice the longest loop found (in steps, so a delayed link counts
    twice), at most 50. With no loop, the steps until the change has died out (at most 50);
    at least 1. ``loops`` defaults to a bounded :func:`find_loops` of the diagram."""
    if loops is None:
        loops = find_loops(diagram, DEFAULT_STEPS_BUDGET).loops
    if loops:
        delayed = {link.id for link in diagram.links if link.delay}
        longest = max(sum(2 if i in delayed else 1 for i in loop.links) for loop in loops)
        return max(1, min(MAX_DEFAULT_STEPS, 2 * longest))
    run = propagate(diagram, start, direction, MAX_DEFAULT_STEPS)
    last = max((s.step for s in run.steps if s.changes), default=1)
    return max(1, last)


class UnknownVariable(ValueError):
    """No variable (or more than one) answers to a name; ``matches`` are close candidates."""

    def __init__(self, message: str, matches: list[str]) -> None:
        super().__init__(message)
        self.matches = matches


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def resolve_variable(diagram: Diagram, name: str) -> str:
    """The id of the variable ``name`` means: an id, else a unique label (exact, then ignoring
    case and spacing). Raises UnknownVariable naming close matches (as ``label (id)``)."""
    ids = {v.id for v in diagram.variables}
    if name in ids:
        return name
    for same in (
        lambda v: v.label == name,
        lambda v: _folded(v.label) == _folded(name),
    ):
        found = [v for v in diagram.variables if same(v)]
        if len(found) == 1:
            return found[0].id
        if len(found) > 1:
            choices = [f"{_one_line(v.label)} ({v.id})" for v in found]
            raise UnknownVariable(
                f"{name!r} is the label of {len(found)} variables; give the id of one", choices
            )
    keys: dict[str, list[str]] = {}
    for v in diagram.variables:
        shown = f"{_one_line(v.label)} ({v.id})"
        for key in {v.id.casefold(), _folded(v.label)}:
            keys.setdefault(key, []).append(shown)
    close = difflib.get_close_matches(_folded(name), list(keys), n=5, cutoff=0.6)
    close += [key for key in keys if _folded(name) in key and key not in close][:5]
    matches = list(dict.fromkeys(shown for key in close for shown in keys[key]))
    raise UnknownVariable(f"no variable {name!r}", matches)
