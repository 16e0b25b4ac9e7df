"""What every command shares: the one-line error, argument types, the loop budget options and
reading a diagram. A problem the user can fix is a :class:`UsageError`, which ``main`` prints as
``error: <message>`` with exit status 2, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, TypeAlias

from cld_editor.analysis.budget import DEFAULT_MAX_LOOPS, DEFAULT_TIME_LIMIT, Budget

if TYPE_CHECKING:  # the model and the readers are imported when a command reads a file
    from cld_editor.core.model import Diagram

EXIT_OK = 0
EXIT_USAGE = 2


class UsageError(Exception):
    """A problem the user can fix; the message becomes ``error: <message>``."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so errors stay one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


#: What ``add_subparsers`` returns (generic only to type checkers, hence the string).
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_budget_arguments(parser: argparse.ArgumentParser, what: str = "") -> None:
    """The loop budget options; 0 turns a limit off, ``--no-limits`` turns off all three.
    ``what``: what the command writes besides the loops, which the time limit does not cover
    (drawing a picture takes as long as it takes); empty when it covers the whole output."""
    parser.add_argument(
        "--max-loops",
        type=_non_negative_int,
        default=None,
        metavar="N",
        help=f"list at most N loops, the shortest (default {DEFAULT_MAX_LOOPS:,}; 0 = no limit)",
    )
    parser.add_argument(
        "--max-length",
        type=_non_negative_int,
        default=None,
        metavar="L",
        help="only loops of at most L links (default: any length; 0 = any length)",
    )
    parser.add_argument(
        "--time-limit",
        type=_non_negative_float,
        default=None,
        metavar="SECONDS",
        help=(
            f"stop finding loops after this long; drawing and writing {what} come on top"
            if what
            else "stop after this long, output included"
        )
        + f" (default {DEFAULT_TIME_LIMIT:g} s; 0 = no limit)",
    )
    parser.add_argument(
        "--no-limits",
        action="store_true",
        help="no loop, length or time limit (memory stays bounded: a listing that reaches "
        "the bound keeps the shortest loops; --census counts every loop)",
    )


def budget_from(args: argparse.Namespace, time_limit: float = DEFAULT_TIME_LIMIT) -> Budget:
    """The budget the options ask for: the defaults (``time_limit`` for time), or no limits
    with ``--no-limits``; a limit given explicitly applies either way."""
    base = Budget.no_limits() if args.no_limits else Budget(time_limit=time_limit)
    return Budget(
        max_loops=base.max_loops if args.max_loops is None else args.max_loops,
        max_length=args.max_length or base.max_length,
        time_limit=base.time_limit if args.time_limit is None else args.time_limit,
        max_members=base.max_members,
    )


def _whole_number(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"expected {least} or more, got {value}")
    return value


def _non_negative_int(text: str) -> int:
    return _whole_number(text, 0)


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds, 0 or more, not {text!r}")
    return value


def _positive_int(text: str) -> int:
    return _whole_number(text, 1)


def shown_name(path: str) -> str:
    """How messages name FILE: a pasted LOOPY link holds the whole model, and named in full it
    would fill every line."""
    from cld_editor.formats.registry import LOOPY_LINK

    return "the LOOPY link" if LOOPY_LINK.match(path) else path


def read_diagram(
    path: str, fmt: str | None = None, *, rewriting: str | None = None, drawing: bool = True
) -> Diagram:
    """Load a diagram in any readable format for a command (what an import changed goes to
    stderr, one line each); a bad file becomes a UsageError naming it (and the line).

    ``rewriting``: the file the command will write. When that is this very file and it is
    another tool's model (a Vensim or Stella model, a Kumu map...), the command stops with a
    UsageError before anything is written: cld-editor keeps only the variables, links and
    signs of such a file, so writing over it would lose the rest (equations, units...).
    ``drawing`` false: what the import did to the drawing is not told (a command that does not
    use the drawing)."""
    from cld_editor.formats.native import LoadError
    from cld_editor.formats.registry import BY_NAME
    from cld_editor.formats.registry import read_diagram as read_any

    shown = shown_name(path)
    try:
        diagram, report = read_any(path, fmt)
    except LoadError as exc:
        where = exc.where(shown)
        raise UsageError(f"{where}: {exc}") from None
    if rewriting is not None and report.format != "cld" and _same_file(path, rewriting):
        title = BY_NAME[report.format].title
        raise UsageError(
            f"{rewriting}: this is the {title} being read; writing over it would lose what "
            f"cld-editor does not keep from it (equations, units, ...): write to another file, "
            f"such as {diagram_file_name(path)}"
        )
    for line in report.lines(drawing):
        print(f"{shown}: {line}", file=sys.stderr)
    return diagram


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # the output does not exist yet (or cannot be looked at)
        return os.path.abspath(a) == os.path.abspath(b)


def diagram_file_name(path: str) -> str:
    """``model.mdl`` -> ``model.cld.json``, beside it."""
    from cld_editor.formats.registry import title_for

    return os.path.join(os.path.dirname(path), title_for(path) + ".cld.json")


def stdout_takes_unicode() -> bool:
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    return encoding.lower().replace("-", "").replace("_", "").startswith(("utf", "ucs"))


def one_line(text: str) -> str:
    """A label on one line, with control characters (terminal escapes) shown as U+FFFD."""
    return "".join(
        "\ufffd" if ord(ch) < 32 or 127 <= ord(ch) < 160 else ch for ch in " ".join(text.split())
    )


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (0 < value < float("inf")):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value
