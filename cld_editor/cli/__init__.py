"""The ``cld-editor`` command: starts the GUI, or runs a headless subcommand.

``cld-editor [FILE]`` opens the editor; ``cld-editor analyze FILE`` and the other subcommands
never import Qt. Every failure the user can cause (missing file, invalid file, bad arguments)
ends with one line ``error: ...`` on stderr and exit status 2, never a traceback.

Each subcommand is a module of this package with ``add_<name>_command(commands)``, which declares
its arguments and sets ``run``; a new subcommand adds its module and its name to
:data:`COMMAND_NAMES`. Only the module of the command being run is imported (all of them for
``--help``), and ``--version`` imports none, so starting stays quick.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress

from cld_editor import __version__
from cld_editor.cli.common import EXIT_OK, EXIT_USAGE, Commands, UsageError, _Parser, budget_from
from cld_editor.logging_setup import CONSOLE_FORMAT, ENV_DEBUG

__all__ = ["COMMAND_NAMES", "UsageError", "budget_from", "build_parser", "entry", "main"]

#: Options of the program itself, allowed before the command (``cld-editor --debug FILE``).
GLOBAL_FLAGS = ("--debug",)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or of ``only`` that one (its module alone imported)."""
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
    for name in COMMAND_NAMES:
        if only is None or name == only:
            command_builder(name)(commands)
    return parser


def command_builder(name: str) -> Callable[[Commands], None]:
    """``add_<name>_command`` of the module ``cld_editor.cli.<name>``."""
    module = importlib.import_module(f"cld_editor.cli.{name}")
    return getattr(module, f"add_{name}_command")


def command_names(parser: argparse.ArgumentParser) -> tuple[str, ...]:
    """The subcommands ``parser`` knows, read from its subparsers."""
    for action in parser._actions:  # argparse has no public accessor for its subparsers
        if isinstance(action, argparse._SubParsersAction):
            return tuple(action.choices)
    return ()


#: The subcommands, in the order ``--help`` lists them.
COMMAND_NAMES = ("analyze", "export", "report", "convert", "layout", "whatif", "story", "gui")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # A console that cannot show a label's characters shows "?" rather than ending in a
    # traceback.
    with suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    names = COMMAND_NAMES
    try:
        # A bare FILE (or nothing) opens the editor, as people expect from a desktop program;
        # global options (--debug) may come first.
        first = next((i for i, word in enumerate(argv) if word not in GLOBAL_FLAGS), len(argv))
        rest = argv[first:]
        if rest[:1] == ["--version"]:
            print(f"cld-editor {__version__}")
            return EXIT_OK
        if not rest or (rest[0] not in names and not rest[0].startswith("-")):
            _refuse_unknown_command(rest, names)
            argv = [*argv[:first], "gui", *rest]
            rest = ["gui"]
        parser = build_parser(only=rest[0] if rest[0] in names else None)
        args = parser.parse_args(argv)
        if args.debug and args.command != "gui":
            logging.basicConfig(level=logging.DEBUG, format=CONSOLE_FORMAT)
        run: Callable[[argparse.Namespace], int] = args.run
        status = run(args)
        if args.command != "gui":  # (a window has closed: nobody is waiting at a prompt)
            _say_if_compiling()
        return status
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


def entry() -> int:
    """The ``cld-editor`` program (and ``python -m cld_editor``): :func:`main`, then ready to
    exit. What the command left behind (a large loop table's objects, the modules) is moved out
    of the garbage collector's sight, so the interpreter's last collection does not walk it: a
    tenth of a short ``analyze``'s time otherwise. Only for a process about to end; tests call
    :func:`main`."""
    code = main()
    import gc

    gc.freeze()
    return code


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


def _say_if_compiling() -> None:
    """A long search loads the compiled loop search in the background, and the program waits
    for the load to finish before it ends: said on stderr, so that the wait is not taken for a
    hang or for the search. The first time on a machine it is compiled in a child process
    (seconds), which goes on after the program ends: said too, as why this run was slow."""
    engine = sys.modules.get("cld_editor.analysis.engine")
    if engine is not None and engine.still_loading():
        print("cld-editor: letting the compiled loop search finish loading…", file=sys.stderr)
    elif engine is not None and engine.compiling_elsewhere():
        print(
            "cld-editor: the compiled loop search, much faster on large diagrams, is being "
            "compiled for later runs (once per machine, in the background); this run used "
            "the slower one",
            file=sys.stderr,
        )


if __name__ == "__main__":
    sys.exit(entry())
