"""Captions for a what-if run: one sentence per step saying what happened, in the words of
the diagram (labels and loop names), for the editor's What If mode and stories.

When the start variable changes again, the caption names the loops that brought the change
back: loops through the start whose first trip round (a delayed link counting twice) took
that many steps and whose closing link delivered the change the loop predicts. A reinforcing
loop "reinforces the fall — a doom loop" (or the rise — a virtuous cycle, the words the issue
uses), a balancing loop "pushes back". Other changes are summed up by direction. Qt-free.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.model import Diagram
from ..core.text import one_line as _one_line
from .loops import Loop
from .whatif import Direction, WhatIf, loop_travel_steps

_VERB = {"up": "rises", "down": "falls"}
_PLURAL_VERB = {"up": "rise", "down": "fall"}
_NOUN = {"up": "rise", "down": "fall"}
_SPIRAL = {"up": "a virtuous cycle", "down": "a doom loop"}
_PREDICTED: dict[str, dict[str, str]] = {
    "reinforcing": {"up": "up", "down": "down"},
    "balancing": {"up": "down", "down": "up"},
    "undetermined": {},
}
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
    if run.start in changes:
        sentences.append(_return_sentence(run, step, changes[run.start], diagram, loops, start))
        del others[run.start]
    summary = _summary(others, labels)
    if summary:
        sentences.append(("Also: " if sentences else f"Step {step}: ") + summary + ".")
    return " ".join(sentences)


def _return_sentence(
    run: WhatIf,
    step: int,
    change: Direction,
    diagram: Diagram,
    loops: Sequence[Loop],
    start: str,
) -> str:
    credited = _loops_returning(run, step, diagram, loops)
    reinforcing = [title for loop, title in credited if loop.polarity == "reinforcing"]
    balancing = [title for loop, title in credited if loop.polarity == "balancing"]
    undetermined = [title for loop, title in credited if loop.polarity == "undetermined"]
    after = f"after {step} step{'s' if step != 1 else ''}"
    fall = _NOUN[run.direction]
    if change == run.direction:
        head = f"{start} {_VERB[change]} again {after}"
        if reinforcing:
            loops_text = f"{_and(reinforcing)} reinforce{_s(reinforcing)}"
            return f"{head}: {loops_text} the {fall} — {_SPIRAL[change]}."
        return head + "."
    if change != "unknown":
        head = f"{start} {_VERB[change]} {after}"
        if balancing:
            return f"{head}: {_and(balancing)} push{_es(balancing)} back against the {fall}."
        return head + "."
    head = f"{start} is pulled both ways {after}"
    parts = []
    if reinforcing:
        parts.append(f"{_and(reinforcing)} bring{_s(reinforcing)} the {fall} back")
    if balancing:
        parts.append(f"{_and(balancing)} push{_es(balancing)} back")
    if undetermined:
        parts.append(
            f"{_and(undetermined)} {'has' if len(undetermined) == 1 else 'have'} "
            "a link of unknown sign"
        )
    return f"{head}: {'; '.join(parts)}." if parts else f"{head}: its change is unknown."


def _loops_returning(
    run: WhatIf, step: int, diagram: Diagram, loops: Sequence[Loop]
) -> list[tuple[Loop, str]]:
    """Loops through the start whose first trip round takes ``step`` steps and whose link into
    the start delivered, at ``step``, the change the loop predicts (the start's direction for
    a reinforcing loop, the opposite for a balancing one, unknown for an undetermined one)."""
    arrived = {pulse.link: pulse.direction for pulse in run.pulses if pulse.arrives == step}
    out = []
    for loop in loops:
        if run.start not in loop.variables:
            continue
        at = loop.variables.index(run.start)
        closing = loop.links[at - 1]
        if closing not in arrived or loop_travel_steps(loop, diagram) != step:
            continue
        if arrived[closing] == _PREDICTED[loop.polarity].get(run.direction, "unknown"):
            out.append((loop, loop_title(loop, diagram)))
    return out


def _summary(changes: dict[str, Direction], labels: dict[str, str]) -> str:
    groups: list[str] = []
    for direction in ("down", "up", "unknown"):
        names = [labels.get(v, v) for v, d in changes.items() if d == direction]
        if not names:
            continue
        shown = names[:NAMED_PER_GROUP]
        rest = len(names) - len(shown)
        listed = _and(shown + ([f"{rest} more"] if rest else []))
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


def _s(items: list[str]) -> str:
    return "" if len(items) > 1 else "s"


def _es(items: list[str]) -> str:
    return "" if len(items) > 1 else "es"
