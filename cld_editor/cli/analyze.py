"""``cld-editor analyze FILE``: find, classify and name a diagram's feedback loops, as a table or
JSON. Never imports Qt."""

from __future__ import annotations

import argparse
import json

from cld_editor.analysis.loops import LoopAnalysis, find_loops
from cld_editor.cli.common import (
    EXIT_OK,
    Commands,
    add_budget_arguments,
    budget_from,
    one_line,
    read_diagram,
    stdout_takes_unicode,
)
from cld_editor.core.model import Diagram, loop_names


def add_analyze_command(commands: Commands) -> None:
    analyze = commands.add_parser(
        "analyze",
        help="list the feedback loops of a diagram",
        description="Find, classify and name the feedback loops of a .cld.json diagram.",
    )
    analyze.add_argument("file", metavar="FILE", help="a .cld.json diagram")
    analyze.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_budget_arguments(analyze)
    analyze.set_defaults(run=run_analyze)


def run_analyze(args: argparse.Namespace) -> int:
    diagram = read_diagram(args.file)
    analysis = find_loops(diagram, budget_from(args))
    if args.json:
        # Escaped as \uXXXX where the output cannot take every character (a non-UTF-8 console).
        ascii_only = not stdout_takes_unicode()
        print(json.dumps(analysis_json(diagram, analysis), indent=2, ensure_ascii=ascii_only))
    else:
        print(analysis_table(diagram, analysis))
    return EXIT_OK


def analysis_json(diagram: Diagram, analysis: LoopAnalysis) -> dict[str, object]:
    names = loop_names(diagram.loop_labels)
    return {
        "title": diagram.title,
        "variables": len(diagram.variables),
        "links": len(diagram.links),
        # "label": the name a user gave the loop with a loop label ("Virtuous cycle"), or null.
        "loops": [{**loop.to_json(), "label": names.get(loop.key)} for loop in analysis.loops],
        "summary": analysis.summary_json(),
        "loops_through": analysis.loops_through,
        # A truncated search keeps the shortest loops: every loop of up to this many links.
        "complete_up_to_length": None if analysis.complete else analysis.complete_up_to,
    }


def analysis_table(diagram: Diagram, analysis: LoopAnalysis) -> str:
    labels = {v.id: v.label for v in diagram.variables}
    names = loop_names(diagram.loop_labels)
    # The Label column only when some loop has a name.
    named = any(loop.key in names for loop in analysis.loops)
    lines = [
        f"{diagram.title}: {len(diagram.variables)} variables, {len(diagram.links)} links",
        analysis.summary_text(),
    ]
    if analysis.loops:
        rows = [("Loop", *(("Label",) if named else ()), "Type", "Length", "Delay", "Domains")]
        rows[0] = (*rows[0], "Variables")
        for loop in analysis.loops:
            members = " -> ".join(one_line(labels[m]) for m in loop.variables)
            label = (one_line(names.get(loop.key, "")),) if named else ()
            rows.append(
                (
                    loop.name,
                    *label,
                    loop.polarity,
                    str(loop.length),
                    "yes" if loop.delayed else "",
                    "+".join(loop.domains) or "-",
                    f"{members} -> {one_line(labels[loop.variables[0]])}",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        lines.append("")
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)
