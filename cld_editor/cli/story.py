"""``cld-editor story FILE OUT.pdf|OUT.html|DIR [--from-loops] [--format svg|png]``: export a
diagram's story without a display: a PDF with one 16:9 page per step, a self-contained HTML
player, or one SVG (or PNG) per step into a folder. ``--from-loops`` tells the story of the
loops instead of the saved one (:mod:`cld_editor.analysis.story_gen`). Qt is imported only
when the command runs, on the offscreen platform when there is no display."""

from __future__ import annotations

import argparse
from pathlib import Path

from cld_editor.analysis.loops import find_loops
from cld_editor.analysis.story_gen import story_from_loops
from cld_editor.cli.common import EXIT_OK, Commands, UsageError, read_diagram
from cld_editor.cli.export import use_offscreen_without_display
from cld_editor.core.model import titled_after_file

FILE_SUFFIXES = (".pdf", ".html", ".htm")


def add_story_command(commands: Commands) -> None:
    story = commands.add_parser(
        "story",
        help="export a diagram's story as PDF, HTML or one picture per step",
        description="Export the story saved in a diagram (or, with --from-loops, one told loop "
        "by loop): OUT.pdf gets one 16:9 page per step, OUT.html a self-contained player "
        "(Prev/Next, arrow keys; no outside files), and any other OUT is a folder that gets "
        "one picture per step (step-01.svg, ...). Works without a display.",
    )
    story.add_argument(
        "file", metavar="FILE", help="a diagram (.cld.json, or a file from another tool)"
    )
    story.add_argument("out", metavar="OUT", help="OUT.pdf, OUT.html or a folder")
    story.add_argument(
        "--from-loops",
        action="store_true",
        help="tell the loops one by one (shortest first, labelled loops next) instead of "
        "the saved story",
    )
    story.add_argument(
        "--format",
        choices=("svg", "png"),
        default="svg",
        help="the pictures written into a folder (default svg)",
    )
    story.set_defaults(run=run_story)


def run_story(args: argparse.Namespace) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix and suffix not in FILE_SUFFIXES:
        raise UsageError(
            f"{args.out}: unknown story export ('{suffix}'): use .pdf, .html or a folder"
        )
    if args.format != "svg" and suffix:
        raise UsageError(f"{args.out}: --format applies to a folder only")
    diagram = titled_after_file(read_diagram(args.file), args.file)
    analysis = find_loops(diagram)
    if args.from_loops:
        story = story_from_loops(diagram, analysis.loops)
    else:
        story = diagram.story
        if not story.steps:
            raise UsageError(f"{args.file}: the diagram has no story (tell one with --from-loops)")
    if not story.steps:
        raise UsageError(f"{args.file}: the diagram is empty: there is no story to tell")
    use_offscreen_without_display()
    try:
        from cld_editor.ui.drawing.picture import ExportError
        from cld_editor.ui.story.story_export import write_story
    except ImportError as exc:
        raise UsageError(f"exporting needs Qt (PySide6): {exc}") from None
    try:
        written = write_story(diagram, story, out, analysis, folder_format=args.format)
    except ExportError as exc:
        raise UsageError(f"{args.out}: {exc}") from None
    where = str(out) if len(written) == 1 else f"{len(written)} pictures in {out}"
    print(f"Wrote {len(story.steps)} step{'s' if len(story.steps) != 1 else ''}: {where}")
    return EXIT_OK
