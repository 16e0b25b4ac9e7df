"""``cld-editor report FILE OUT.html|OUT.md``: the loop report of a diagram (title and description,
the diagram, the loops, the variables ranked by the loops through them, the CX-EX crossings)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cld_editor.analysis.budget import DEFAULT_CENSUS_TIME_LIMIT
from cld_editor.analysis.loops import find_loops
from cld_editor.cli.common import (
    EXIT_OK,
    Commands,
    UsageError,
    add_budget_arguments,
    budget_from,
    read_diagram,
)
from cld_editor.cli.export import exporter
from cld_editor.core.model import titled_after_file

REPORT_SUFFIXES = (".html", ".htm", ".md", ".markdown")


def add_report_command(commands: Commands) -> None:
    """Declare ``report`` on the main parser's subcommands."""
    report = commands.add_parser(
        "report",
        help="write a loop report (HTML or Markdown)",
        description="Write a report of a diagram: title and description, the diagram, the "
        "loops, the variables ranked by the loops through them and the loops that cross "
        "between CX and EX. OUT.html is one self-contained page; OUT.md gets the diagram as "
        "an SVG file beside it, named apart from plain exports (x.md: x.diagram.svg, so an "
        "x.svg is never overwritten).",
    )
    report.add_argument(
        "file", metavar="FILE", help="a diagram (.cld.json, or a file from another tool)"
    )
    report.add_argument("out", metavar="OUT", help="the report to write: .html or .md")
    add_budget_arguments(report, "the report")
    report.add_argument(
        "--census",
        action="store_true",
        help="when the listing stops at a limit, also count every loop without listing them "
        f"(within {DEFAULT_CENSUS_TIME_LIMIT:g} s): the report then gives every loop's count "
        "and ranks the variables by all loops through them",
    )
    report.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in REPORT_SUFFIXES:
        shown = f"'{out.suffix}'" if out.suffix else "no extension"
        raise UsageError(f"{args.out}: unknown report type ({shown}): use .html or .md")
    diagram = titled_after_file(read_diagram(args.file), args.file)
    analysis = find_loops(diagram, budget_from(args))
    census = None
    if args.census and not analysis.complete:
        from cld_editor.analysis.census import count_loops

        census = count_loops(diagram)
        if census.stopped_by == "interrupted":
            raise KeyboardInterrupt  # Ctrl+C: the command stops (exit status 130)
        if not census.complete:
            print(
                f"cld-editor: the count of all loops stopped at its time limit "
                f"({census.summary_text()}): the report counts the loops listed",
                file=sys.stderr,
            )
            census = None
    export = exporter()
    try:
        export.write_report(diagram, analysis, out, census)
    except export.ExportError as exc:
        raise UsageError(f"{args.out}: {exc}") from None
    return EXIT_OK
