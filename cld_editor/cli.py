"""The ``cld-editor`` command: starts the GUI, or runs a headless subcommand.

``cld-editor [FILE]`` opens the editor; ``cld-editor analyze FILE`` and the other subcommands
never import Qt. Every failure the user can cause (missing file, invalid file, bad arguments)
ends with one line ``error: ...`` on stderr and exit status 2, never a traceback.

Each subcommand is a pair of functions: ``add_<name>_command(commands)`` declares its arguments
and sets ``run=run_<name>``; ``run_<name>(args) -> int`` does the work. A new subcommand adds
its pair and one entry to :data:`COMMAND_BUILDERS`; the list of command names is read back from
the parser, so nothing else needs to change.
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import TypeAlias

from . import __version__
from .analysis.loops import DEFAULT_MAX_LOOPS, Budget, LoopAnalysis, find_loops
from .core.model import Diagram
from .formats.native import LoadError, load_diagram
from .logging_setup import CONSOLE_FORMAT, ENV_DEBUG, configure_logging

EXIT_OK = 0
EXIT_USAGE = 2
#: Options of the program itself, allowed before the command (``cld-editor --debug FILE``).
GLOBAL_FLAGS = ("--debug",)


class UsageError(Exception):
    """A problem the user can fix; the message becomes ``error: <message>``."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so errors stay one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cld-editor",
        description="Draw causal-loop diagrams and find their feedback loops. With no command "
        "(or just a FILE) the editor window opens.",
    )
    parser.add_argument("--version", action="version", version=f"cld-editor {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        default=None,
        help=f"verbose logging to stderr and the log file (or set {ENV_DEBUG}=1)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add_command in COMMAND_BUILDERS:
        add_command(commands)
    return parser


#: What ``add_subparsers`` returns (generic only to type checkers, hence the string).
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


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


def add_gui_command(commands: Commands) -> None:
    gui = commands.add_parser("gui", help="open the editor window (the default)")
    gui.add_argument("file", metavar="FILE", nargs="?", help="a .cld.json diagram to open")
    gui.set_defaults(run=run_gui)


def command_names(parser: argparse.ArgumentParser) -> tuple[str, ...]:
    """The subcommands ``parser`` knows, read from its subparsers."""
    for action in parser._actions:  # argparse has no public accessor for its subparsers
        if isinstance(action, argparse._SubParsersAction):
            return tuple(action.choices)
    return ()


def add_budget_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-loops",
        type=_non_negative_int,
        default=DEFAULT_MAX_LOOPS,
        metavar="N",
        help=f"stop after N loops (default {DEFAULT_MAX_LOOPS:,}; 0 = no limit)",
    )
    parser.add_argument(
        "--max-length",
        type=_positive_int,
        default=None,
        metavar="L",
        help="only loops of at most L links (default: any length)",
    )


def budget_from(args: argparse.Namespace) -> Budget:
    unlimited = args.max_loops == 0
    return Budget(
        max_loops=None if unlimited else args.max_loops,
        max_length=args.max_length,
        time_limit=None if unlimited else Budget().time_limit,
        max_members=None if unlimited else Budget().max_members,
    )


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("expected 1 or more, got 0")
    return value


def read_diagram(path: str) -> Diagram:
    """Load a diagram for a command; a bad file becomes a UsageError naming it."""
    try:
        return load_diagram(path)
    except LoadError as exc:
        raise UsageError(f"{path}: {exc}") from None


def run_analyze(args: argparse.Namespace) -> int:
    diagram = read_diagram(args.file)
    analysis = find_loops(diagram, budget_from(args))
    if args.json:
        # Escaped as \uXXXX where the output cannot take every character (a non-UTF-8 console).
        ascii_only = not _stdout_takes_unicode()
        print(json.dumps(analysis_json(diagram, analysis), indent=2, ensure_ascii=ascii_only))
    else:
        print(analysis_table(diagram, analysis))
    return EXIT_OK


def _stdout_takes_unicode() -> bool:
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    return encoding.lower().replace("-", "").replace("_", "").startswith(("utf", "ucs"))


def analysis_json(diagram: Diagram, analysis: LoopAnalysis) -> dict[str, object]:
    return {
        "title": diagram.title,
        "variables": len(diagram.variables),
        "links": len(diagram.links),
        "loops": [loop.to_json() for loop in analysis.loops],
        "summary": analysis.summary_json(),
        "loops_through": analysis.loops_through,
        # A truncated search keeps the shortest loops: every loop of up to this many links.
        "complete_up_to_length": None if analysis.complete else analysis.complete_up_to,
    }


def analysis_table(diagram: Diagram, analysis: LoopAnalysis) -> str:
    labels = {v.id: v.label for v in diagram.variables}
    lines = [
        f"{diagram.title}: {len(diagram.variables)} variables, {len(diagram.links)} links",
        analysis.summary_text(),
    ]
    if analysis.loops:
        rows = [("Loop", "Type", "Length", "Delay", "Domains", "Variables")]
        for loop in analysis.loops:
            members = " -> ".join(_one_line(labels[m]) for m in loop.variables)
            rows.append(
                (
                    loop.name,
                    loop.polarity,
                    str(loop.length),
                    "yes" if loop.delayed else "",
                    "+".join(loop.domains) or "-",
                    f"{members} -> {_one_line(labels[loop.variables[0]])}",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        lines.append("")
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def _one_line(text: str) -> str:
    """A label on one line, with control characters (terminal escapes) shown as U+FFFD."""
    return "".join(
        "\ufffd" if ord(ch) < 32 or 127 <= ord(ch) < 160 else ch for ch in " ".join(text.split())
    )


def run_gui(args: argparse.Namespace) -> int:
    # The editor logs to a file (crash reports, autosave failures); the headless commands
    # report on stderr and leave no files behind.
    configure_logging(args.debug)
    try:
        from .ui.app import run
    except ImportError as exc:
        raise UsageError(f"the editor window cannot start: {exc}") from None
    return run(args.file)


def add_export_commands(commands: Commands) -> None:
    """``export`` and ``report`` (see :mod:`cld_editor.export_cli`), imported here at call time
    because that module refers back to this one."""
    from .export_cli import add_export_commands as add

    add(commands)


#: One function per subcommand, in the order ``--help`` lists them.
COMMAND_BUILDERS: tuple[Callable[[Commands], None], ...] = (
    add_analyze_command,
    add_export_commands,
    add_gui_command,
)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # A console that cannot show a label's characters shows "?" rather than ending in a
    # traceback.
    with suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    parser = build_parser()
    names = command_names(parser)
    try:
        # A bare FILE (or nothing) opens the editor, as people expect from a desktop program;
        # global options (--debug) may come first.
        first = next((i for i, word in enumerate(argv) if word not in GLOBAL_FLAGS), len(argv))
        rest = argv[first:]
        if not rest or (rest[0] not in names and not rest[0].startswith("-")):
            _refuse_unknown_command(rest, names)
            argv = [*argv[:first], "gui", *rest]
        args = parser.parse_args(argv)
        if args.debug and args.command != "gui":
            logging.basicConfig(level=logging.DEBUG, format=CONSOLE_FORMAT)
        run: Callable[[argparse.Namespace], int] = args.run
        return run(args)
    except UsageError as exc:
        # One line, whatever a file name holds (a newline, say).
        message = str(exc).replace("\r", "\\r").replace("\n", "\\n")
        print(f"error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``| head``): not an error. Point stdout at /dev/null so the
        # interpreter's final flush does not complain about the broken pipe on the way out.
        with suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _refuse_unknown_command(argv: list[str], names: tuple[str, ...]) -> None:
    """``cld-editor analyse x`` is a mistyped command, not a file to open: a word without a
    dot or a path separator, naming nothing on disk, followed by more arguments, or alone."""
    if not argv:
        return
    word = argv[0]
    looks_like_path = "." in word or os.sep in word or (os.altsep or os.sep) in word
    if looks_like_path or os.path.exists(word):
        return
    close = difflib.get_close_matches(word, names, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"choose from {', '.join(names)}"
    raise UsageError(f"cld-editor: unknown command {word!r} ({hint})")


if __name__ == "__main__":
    sys.exit(main())
