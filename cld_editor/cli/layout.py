"""``cld-editor layout IN OUT [--style loops|layered|organic|iceberg]``: arrange a diagram read
from any readable format (positions it has are replaced) and write it in any writable format.
Same input, same output (``--seed`` changes the Organic style's start). Never imports Qt."""

from __future__ import annotations

import argparse
import sys

from cld_editor.cli.common import EXIT_OK, Commands, UsageError, read_diagram
from cld_editor.core.document import Document
from cld_editor.formats.native import LoadError
from cld_editor.formats.registry import WRITABLE
from cld_editor.layout import STYLE_NAMES, STYLES, layout_op, plan
from cld_editor.layout.notes import iceberg_notes


def add_layout_command(commands: Commands) -> None:
    layout = commands.add_parser(
        "layout",
        help="arrange a diagram automatically",
        description="Arrange every variable of a diagram in one of the automatic layouts, choose "
        "link curves that pass over no other variable and place the loop labels; the result is "
        "written to OUT (format by extension).",
    )
    layout.add_argument("input", metavar="IN", help="a diagram in any readable format")
    layout.add_argument("output", metavar="OUT", help="where to write the arranged diagram")
    layout.add_argument(
        "--style",
        choices=STYLES,
        default="loops",
        help="loops: each loop a round cycle (default); layered: levels left to right; "
        "organic: force-directed, for large maps; iceberg: CX above the waterline, EX below",
    )
    layout.add_argument(
        "--seed", type=int, default=0, metavar="N", help="start of the organic layout (default 0)"
    )
    writable = [f.name for f in WRITABLE]
    layout.add_argument(
        "--to",
        metavar="FORMAT",
        choices=writable,
        help=f"output format when OUT's extension does not say ({', '.join(writable)})",
    )
    layout.set_defaults(run=run_layout)


def run_layout(args: argparse.Namespace) -> int:
    from cld_editor.formats.registry import write_diagram

    diagram = read_diagram(args.input, rewriting=args.output, drawing=False)
    doc = Document(diagram)
    arranged = plan(diagram, args.style, seed=args.seed)
    op = layout_op(diagram, arranged)
    if op is not None:
        doc.apply(op)
    try:
        report = write_diagram(doc.diagram, args.output, args.to)
    except LoadError as exc:
        raise UsageError(f"{args.output}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{args.output}: {exc.strerror or exc}") from None
    for line in report.lines():
        print(f"{args.output}: {line}", file=sys.stderr)
    if args.style == "iceberg" and diagram.variables:
        # The status bar's words: no domains to separate, or where the untagged went.
        _short, details = iceberg_notes(diagram, arranged)
        if details:
            print(f"{args.output}: note: {details}", file=sys.stderr)
    count = len(arranged.positions)
    print(
        f"{args.output}: {count:,} variable{'s' if count != 1 else ''} arranged "
        f"({STYLE_NAMES[args.style]})",
        file=sys.stderr,
    )
    return EXIT_OK
