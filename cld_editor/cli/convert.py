"""``cld-editor convert IN OUT [--to FORMAT]``: a diagram from one tool's format into another's.

The formats are those of :mod:`cld_editor.formats.registry`, chosen by extension (``--from``
and ``--to`` name them when the extension does not say). What the import changed and what the
output format cannot hold are printed on stderr, one line each, so nothing is lost silently.
Never imports Qt.
"""

from __future__ import annotations

import argparse
import sys

from cld_editor.cli.common import EXIT_OK, Commands, UsageError, read_diagram
from cld_editor.formats.native import LoadError
from cld_editor.formats.registry import READABLE, WRITABLE, write_diagram


def add_convert_command(commands: Commands) -> None:
    readable = ", ".join(f.name for f in READABLE)
    writable = ", ".join(f.name for f in WRITABLE)
    convert = commands.add_parser(
        "convert",
        help="convert a diagram between cld-editor and other tools' formats",
        description=f"Read IN ({readable}) and write OUT ({writable}); the formats come from "
        "the file extensions unless --from/--to name them. What the conversion changed or "
        "dropped is listed on stderr.",
    )
    convert.add_argument("input", metavar="IN", help="the file to read")
    convert.add_argument("output", metavar="OUT", help="the file to write")
    convert.add_argument(
        "--to",
        metavar="FORMAT",
        choices=[f.name for f in WRITABLE],
        help=f"output format ({writable})",
    )
    convert.add_argument(
        "--from",
        dest="source_format",
        metavar="FORMAT",
        choices=[f.name for f in READABLE],
        help=f"input format ({readable})",
    )
    convert.set_defaults(run=run_convert)


def run_convert(args: argparse.Namespace) -> int:
    diagram = read_diagram(args.input, fmt=args.source_format, rewriting=args.output)
    try:
        report = write_diagram(diagram, args.output, args.to)
    except LoadError as exc:
        raise UsageError(f"{args.output}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{args.output}: {exc.strerror or exc}") from None
    for line in report.lines():
        print(f"{args.output}: {line}", file=sys.stderr)
    return EXIT_OK
