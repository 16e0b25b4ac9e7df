"""What every command shares: the one-line error, argument types, the loop budget options and
reading a diagram. A problem the user can fix is a :class:`UsageError`, which ``main`` prints as
``error: <message>`` with exit status 2, never a traceback."""

from __future__ import annotations

import argparse
import sys
from typing import TypeAlias

from cld_editor.analysis.loops import DEFAULT_MAX_LOOPS, Budget
from cld_editor.core.model import Diagram
from cld_editor.formats.conversion import FormatError
from cld_editor.formats.native import LoadError

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


def read_diagram(path: str, fmt: str | None = None) -> Diagram:
    """Load a diagram in any readable format for a command (what an import changed goes to
    stderr, one line each); a bad file becomes a UsageError naming it (and the line)."""
    from cld_editor.formats.registry import read_diagram as read_any

    try:
        diagram, report = read_any(path, fmt)
    except LoadError as exc:
        where = exc.where(path) if isinstance(exc, FormatError) else path
        raise UsageError(f"{where}: {exc}") from None
    for line in report.lines():
        print(f"{path}: {line}", file=sys.stderr)
    return diagram


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
