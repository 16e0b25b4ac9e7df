"""``cld-editor whatif FILE VARIABLE up|down [--steps N] [--json]``: follow a change through a
diagram one link per step (see :mod:`cld_editor.analysis.whatif`) and print a table of the
steps, or exactly the documented JSON. Each step at which the start variable changes again is
followed by the sentence the editor's What If caption says about it (which loop brought the
change back). VARIABLE is an id or a unique label; an unknown one is exit 2 with the close
matches. Never imports Qt."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from cld_editor.analysis.loops import Loop, find_loops
from cld_editor.analysis.whatif import (
    DEFAULT_STEPS_BUDGET,
    MAX_DEFAULT_STEPS,
    UnknownVariable,
    WhatIf,
    default_steps,
    propagate,
    resolve_variable,
)
from cld_editor.analysis.whatif_caption import return_sentence
from cld_editor.cli.common import (
    EXIT_OK,
    Commands,
    UsageError,
    _positive_int,
    one_line,
    read_diagram,
    stdout_takes_unicode,
)
from cld_editor.core.model import Diagram

#: More steps than anyone reads; the bound keeps a typo (--steps 10000000) from running away.
MAX_STEPS = 10_000
_WORDS = {"up": "rises", "down": "falls", "unknown": "unknown"}
_ARROWS = {"up": "▲", "down": "▼", "unknown": "?"}


def add_whatif_command(commands: Commands) -> None:
    whatif = commands.add_parser(
        "whatif",
        help="follow a rise or fall of one variable through the diagram",
        description="Let VARIABLE rise (up) or fall (down) and follow the change along the "
        "links, one link per step (a delayed link takes two): a + link passes the same "
        "direction on, a - link the opposite, a ? link an unknown change; a variable that "
        "receives disagreeing changes in one step becomes unknown for that step.",
    )
    whatif.add_argument(
        "file", metavar="FILE", help="a diagram (.cld.json, or a file from another tool)"
    )
    whatif.add_argument("variable", metavar="VARIABLE", help="the id or the label of a variable")
    whatif.add_argument("direction", choices=("up", "down"), help="rises (up) or falls (down)")
    whatif.add_argument(
        "--steps",
        type=_steps,
        default=None,
        metavar="N",
        help=f"stop after N steps (default: twice the longest loop, at most {MAX_DEFAULT_STEPS})",
    )
    whatif.add_argument("--json", action="store_true", help="print JSON instead of a table")
    whatif.set_defaults(run=run_whatif)


def _steps(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_STEPS:
        raise argparse.ArgumentTypeError(f"expected at most {MAX_STEPS:,}, got {value:,}")
    return value


def run_whatif(args: argparse.Namespace) -> int:
    diagram = read_diagram(args.file, drawing=False)
    try:
        start = resolve_variable(diagram, args.variable)
    except UnknownVariable as exc:
        close = f" (close matches: {'; '.join(exc.matches)})" if exc.matches else ""
        raise UsageError(f"{args.file}: {exc}{close}") from None
    loops = find_loops(diagram, DEFAULT_STEPS_BUDGET).loops
    steps = args.steps or default_steps(diagram, start, args.direction, loops)
    run = propagate(diagram, start, args.direction, steps)
    if args.json:
        print(json.dumps(run.to_json(), indent=2, ensure_ascii=not stdout_takes_unicode()))
    else:
        print(whatif_table(diagram, run, arrows=stdout_takes_unicode(), loops=loops))
    return EXIT_OK


def whatif_table(
    diagram: Diagram, run: WhatIf, arrows: bool = True, loops: Sequence[Loop] = ()
) -> str:
    """One line per step: the variables that change and how (in document order); under a step
    at which the start changes again, the What If caption's sentence about it (naming the
    loop that brought the change back, when ``loops`` holds it)."""
    labels = {v.id: one_line(v.label) or v.id for v in diagram.variables}

    def shown(variable: str, direction: str) -> str:
        mark = _ARROWS[direction] if arrows else _WORDS[direction]
        return f"{labels[variable]} {mark}"

    lines = [
        f"What if {labels[run.start]} {_WORDS[run.direction]}? "
        f"{run.count} step{'s' if run.count != 1 else ''}",
        "",
        "Step  Changes",
        f"{0:>4}  {shown(run.start, run.direction)} (the start)",
    ]
    for step in run.steps:
        if step.changes:
            text = ", ".join(shown(c.variable, c.direction) for c in step.changes)
        elif any(p.arrives > step.step for p in run.in_flight(step.step)):
            text = "(no change; a delayed change is on its way)"
        else:
            text = "(no change)"
        lines.append(f"{step.step:>4}  {text}")
        returned = return_sentence(run, step.step, diagram, loops)
        if returned is not None:
            lines.append(f"{'':>4}  {returned if arrows else returned.replace(' — ', ' - ')}")
    return "\n".join(lines)
