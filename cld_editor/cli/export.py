"""``cld-editor export FILE OUT.png|OUT.svg|OUT.pdf``: draw a diagram as the editor does (minus
selection and handles), optionally with a title, a legend and one loop highlighted, and with
``--each-loop DIR`` one image per loop (R1.svg, B1.svg, ...). Qt is imported only when the command
runs, after choosing the offscreen platform when there is no display, so it works on a server."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import MutableMapping
from pathlib import Path
from types import ModuleType

from cld_editor.analysis.loops import find_loops
from cld_editor.cli.common import (
    EXIT_OK,
    Commands,
    UsageError,
    add_budget_arguments,
    budget_from,
    positive_float,
    read_diagram,
)
from cld_editor.core.model import Diagram, titled_after_file

IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
#: ``--each-loop`` writes at most this many images; a larger analysis asks for --max-length.
MAX_LOOP_IMAGES = 1_000


def add_export_command(commands: Commands) -> None:
    """Declare ``export`` on the main parser's subcommands."""
    export = commands.add_parser(
        "export",
        help="draw a diagram as PNG, SVG or PDF",
        description="Draw a diagram as an image, cropped to its content. The type "
        "comes from OUT's extension: .png, .svg (text stays text) or .pdf (vector, fonts "
        "embedded). Works without a display.",
    )
    export.add_argument(
        "file", metavar="FILE", help="a diagram (.cld.json, or a file from another tool)"
    )
    export.add_argument("out", metavar="OUT", help="the image to write: .png, .svg or .pdf")
    size = export.add_mutually_exclusive_group()
    size.add_argument(
        "--scale",
        type=positive_float,
        metavar="S",
        help="PNG pixels per diagram unit: 1 = the canvas at 100%% (default 2, less when the "
        "image would pass 8,192 pixels a side or 40 megapixels, which many viewers and "
        "converters refuse; a scale given is used as it is)",
    )
    size.add_argument(
        "--dpi", type=positive_float, metavar="D", help="PNG resolution (96 dpi = scale 1)"
    )
    export.add_argument(
        "--transparent", action="store_true", help="no background (PNG, SVG); white otherwise"
    )
    export.add_argument("--title", action="store_true", help="the diagram's title above it")
    export.add_argument("--legend", action="store_true", help="a legend of the symbols used")
    export.add_argument(
        "--loop",
        metavar="NAME",
        help="highlight this loop and dim the rest: its name in any case (R1, b2) or the name "
        'of its loop label ("Virtuous cycle")',
    )
    export.add_argument(
        "--each-loop",
        metavar="DIR",
        help="also write one image per loop into DIR, that loop highlighted, named after it "
        "(R1.svg, B1.svg, ...; the type of OUT)",
    )
    export.add_argument(
        "--page",
        choices=("fit", "a4"),
        default="fit",
        help="PDF page: sized to the diagram (fit, the default) or A4 landscape",
    )
    add_budget_arguments(export, "the image")
    export.set_defaults(run=run_export)


def use_offscreen_without_display(environ: MutableMapping[str, str] | None = None) -> None:
    """Choose Qt's offscreen platform on a Unix machine with no display (a server, CI), unless
    the user chose a platform. Must run before Qt starts."""
    env = os.environ if environ is None else environ
    if sys.platform in ("win32", "darwin") or env.get("QT_QPA_PLATFORM"):
        return
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"


def exporter() -> ModuleType:
    use_offscreen_without_display()
    try:
        from cld_editor.ui.drawing import export
    except ImportError as exc:
        raise UsageError(f"exporting needs Qt (PySide6): {exc}") from None
    return export


def _needs_analysis(diagram: Diagram, args: argparse.Namespace) -> bool:
    # Loop labels show the loops' names; everything else draws without an analysis, which
    # keeps a large diagram's export fast.
    return bool(diagram.loop_labels or args.loop or args.each_loop)


def run_export(args: argparse.Namespace) -> int:
    suffix = Path(args.out).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        shown = f"'{suffix}'" if suffix else "no extension"
        raise UsageError(f"{args.out}: unknown image type ({shown}): use .png, .svg or .pdf")
    if args.page == "a4" and suffix != ".pdf":
        raise UsageError(f"{args.out}: --page a4 applies to PDF only")
    diagram = titled_after_file(read_diagram(args.file), args.file)
    export = exporter()
    analysis = None
    if _needs_analysis(diagram, args):
        analysis = find_loops(diagram, budget_from(args))
    if args.each_loop and analysis is not None and len(analysis.loops) > MAX_LOOP_IMAGES:
        raise UsageError(
            f"{args.file}: {len(analysis.loops):,} loops, more than the {MAX_LOOP_IMAGES:,} "
            "images --each-loop writes; choose fewer with --max-length L or --max-loops N"
        )
    options = export.ExportOptions(
        scale=args.scale,
        dpi=args.dpi,
        transparent=args.transparent,
        title=args.title,
        legend=args.legend,
        loop=args.loop,
        page=args.page,
    )
    try:
        if args.loop:
            export.find_loop(analysis, args.loop, diagram)
    except export.ExportError as exc:
        raise UsageError(f"{args.file}: {exc}") from None
    try:
        export.export_image(diagram, args.out, options, analysis)
        if args.each_loop:
            assert analysis is not None
            each = dataclasses.replace(options, loop=None)
            written = export.export_each_loop(diagram, args.each_loop, suffix, each, analysis)
            for path in written:
                print(path)
            if not written:
                print(f"{args.file}: no loops, no loop images written", file=sys.stderr)
            elif not analysis.complete:
                print(
                    f"warning: {analysis.summary_text()}: images of the loops found only",
                    file=sys.stderr,
                )
    except export.ExportError as exc:
        raise UsageError(f"{args.out}: {exc}") from None
    if suffix != ".png" and (args.scale is not None or args.dpi is not None):
        # After the export, so that a failure still ends in its one "error:" line.
        option = "--scale" if args.scale is not None else "--dpi"
        print(
            f"warning: {option} applies to PNG only: {suffix[1:].upper()} is vector, "
            "sized in diagram units (96 per inch)",
            file=sys.stderr,
        )
    return EXIT_OK
