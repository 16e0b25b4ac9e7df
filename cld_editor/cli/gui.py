"""``cld-editor [gui] [FILE]``: the editor window. Qt is imported only here, when the window
opens."""

from __future__ import annotations

import argparse

from cld_editor.cli.common import Commands, UsageError
from cld_editor.logging_setup import configure_logging, record_fatal_errors


def add_gui_command(commands: Commands) -> None:
    gui = commands.add_parser("gui", help="open the editor window (the default)")
    gui.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        help="a diagram to open (.cld.json, or a file from another tool)",
    )
    gui.set_defaults(run=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    # The editor logs to a file (crash reports, autosave failures); the headless commands
    # report on stderr and leave no files behind.
    configure_logging(args.debug)
    record_fatal_errors()  # a hard crash in Qt leaves its Python stacks in the log file
    try:
        from cld_editor.ui.app import run
    except ImportError as exc:
        raise UsageError(f"the editor window cannot start: {exc}") from None
    return run(args.file)
