"""``cld-editor analyze FILE``: a diagram's feedback loops as a table, JSON or JSON lines; with
``--census`` every loop counted without listing them, with ``--sils`` the shortest independent
loop set. Never imports Qt; output is streamed, so memory does not grow with what is written.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import signal
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TextIO

from cld_editor.cli.common import (
    EXIT_OK,
    Commands,
    UsageError,
    add_budget_arguments,
    budget_from,
    one_line,
    read_diagram,
    shown_name,
    stdout_takes_unicode,
)
from cld_editor.core.text import plural

if TYPE_CHECKING:
    from cld_editor.analysis.census import Census
    from cld_editor.analysis.loops import Loop
    from cld_editor.core.model import Diagram

#: Exit status after Ctrl+C stopped a census (its partial counts are still printed).
EXIT_INTERRUPTED = 130
#: Seconds kept from the time limit per loop and per member of the loops listed, for writing
#: them out, so that the whole command keeps to the limit. Measured as a table (JSON is
#: quicker): about 5.5 us a loop and 0.11 us a member, on K11 (6 members a loop, 6.0 us), a
#: random 1,000-variable diagram (37 members, 10.3 us) and a ring of 2,000 (477 members,
#: 55 us); kept with room to spare (1.6 times) for slow pipes and busy machines.
OUTPUT_SECONDS_PER_LOOP = 9e-6
OUTPUT_SECONDS_PER_MEMBER = 0.18e-6
_KINDS = ("reinforcing", "balancing", "undetermined")
#: A process older than this when the command runs was not started for it alone.
PROCESS_START_SECONDS = 5.0
#: Loops encoded per call of the JSON encoder when streaming.
CHUNK = 4096


def add_analyze_command(commands: Commands) -> None:
    analyze = commands.add_parser(
        "analyze",
        help="list the feedback loops of a diagram",
        description="Find, classify and name the feedback loops of a diagram.",
    )
    analyze.add_argument("file", metavar="FILE", help="a diagram (.cld.json or an import)")
    what = analyze.add_mutually_exclusive_group()
    what.add_argument(
        "--census",
        action="store_true",
        help="count every loop without listing them: totals, by length and type, delayed, "
        "domains, loops through each variable and link (default time limit 60 s)",
    )
    what.add_argument(
        "--sils",
        action="store_true",
        help="list the shortest independent loop set: short loops first, each with a link no "
        "earlier one has; covers every link on a loop, one loop per independent cycle",
    )
    form = analyze.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON instead of a table")
    form.add_argument(
        "--jsonl", action="store_true", help="print JSON lines: one loop a line, then a summary"
    )
    add_budget_arguments(analyze)
    analyze.set_defaults(run=run_analyze)


def run_analyze(args: argparse.Namespace) -> int:
    # Writing loops out allocates a few objects per loop and keeps none, so the cyclic
    # collector would only rescan them again and again (more than half the output time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if enabled:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    if args.census:
        given = [name for name in ("max_loops", "max_length") if getattr(args, name) is not None]
        if given:
            options = " and ".join("--" + name.replace("_", "-") for name in given)
            raise UsageError(
                f"cld-editor analyze: {options} {'do' if len(given) > 1 else 'does'} not apply "
                "to --census, which counts every loop (--time-limit bounds it)"
            )
    diagram = read_diagram(args.file, drawing=False)
    out = sys.stdout
    if args.census:
        from cld_editor.analysis.budget import DEFAULT_CENSUS_TIME_LIMIT
        from cld_editor.analysis.census import count_loops

        budget = budget_from(args, time_limit=DEFAULT_CENSUS_TIME_LIMIT)
        progress = _Progress(sys.stderr) if sys.stderr.isatty() else None
        census = count_loops(diagram, budget.time_limit, progress)
        if progress is not None:
            progress.clear()
        if args.json or args.jsonl:
            out.write(_dumps({"title": diagram.title, **census.to_json()}) + "\n")
        else:
            out.write(census_table(diagram, census) + "\n")
        return EXIT_INTERRUPTED if census.stopped_by == "interrupted" else EXIT_OK
    if args.sils:
        from cld_editor.analysis.sils import cyclomatic_number, independent_loops

        loops, unnamed = _named_as_listed(diagram, independent_loops(diagram), budget_from(args))
        kinds = [loop.polarity for loop in loops]
        summary = {"loops": len(loops)} | {k: kinds.count(k) for k in _KINDS} | {"complete": True}
        mu = cyclomatic_number(diagram)
        extra = {"independent_set": True, "cyclomatic_number": mu}
        size = f"{len(loops):,} loop{'s' if len(loops) != 1 else ''}"
        text = f"shortest independent loop set: {size} (cyclomatic number {mu:,})"
        if len(loops) > 1:
            text += ", in the order taken: each has a link no loop above it has"
        if unnamed:
            beyond = "1 of them is" if unnamed == 1 else f"{unnamed:,} of them are"
            names = (
                "its starred name (R*1, B*1, ...) is"
                if unnamed == 1
                else "their names (R*1, B*1, ...) are"
            )
            text += f"\n{beyond} beyond the listing's limits; {names} the set's own"
        _write_listing(out, args, diagram, loops, summary, extra, text)
        return EXIT_OK
    from cld_editor.analysis.loops import find_loops

    budget = budget_from(args)
    if budget.time_limit:
        # The limit is for the whole command: the time since the process started is spent
        # (unless this runs inside a longer-lived process, a test say: then since the command).
        age = _process_age()
        spent = age if age < PROCESS_START_SECONDS else time.monotonic() - started
        left = max(budget.time_limit - spent, 0.05)
        budget = replace(budget, time_limit=left)
    with _ctrl_c_stops() as interrupted:
        analysis = find_loops(
            diagram,
            budget,
            cancelled=interrupted,
            reserve_per_member=OUTPUT_SECONDS_PER_MEMBER,
            reserve_per_loop=OUTPUT_SECONDS_PER_LOOP,
        )
    extra = {
        "loops_through": analysis.loops_through,
        # A truncated search keeps the shortest loops: every loop of up to this many links.
        "complete_up_to_length": None if analysis.complete else analysis.complete_up_to,
        "stopped_by": analysis.stopped_by,
    }
    summary = analysis.summary_json()
    text = analysis.summary_text()
    _write_listing(out, args, diagram, analysis.loops, summary, extra, text)
    if analysis.stopped_by == "size limit":
        print(
            f"note: the listing stopped at its memory bound; "
            f"'cld-editor analyze {shown_name(args.file)} --census' counts every loop",
            file=sys.stderr,
        )
    return EXIT_INTERRUPTED if analysis.stopped_by == "cancelled" else EXIT_OK


@contextlib.contextmanager
def _ctrl_c_stops() -> Iterator[Callable[[], bool]]:
    """While the search runs, Ctrl+C stops it as the editor's Stop does: the loops of the
    lengths listed in full are still written (then exit status 130). Only on the main thread,
    where Python delivers the signal; elsewhere Ctrl+C interrupts as usual."""
    pressed = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield pressed.is_set
        return
    previous = signal.signal(signal.SIGINT, lambda _signum, _frame: pressed.set())
    try:
        yield pressed.is_set
    finally:
        signal.signal(signal.SIGINT, previous)


def _named_as_listed(diagram: Diagram, chosen: Any, budget: Any) -> tuple[list[Loop], int]:
    """The set's loops under the names the listing (``analyze`` with the same limits) gives
    them; loops beyond the listing are named R*1, B*1, ... Also returns how many those are."""
    from cld_editor.analysis.loops import find_loops
    from cld_editor.analysis.sils import named_as_listed

    listed = {loop.key: loop.name for loop in find_loops(diagram, budget).loops}
    return named_as_listed(chosen, listed)


def _write_listing(
    out: TextIO,
    args: argparse.Namespace,
    diagram: Diagram,
    loops: Any,
    summary: dict[str, object],
    extra: dict[str, object],
    text: str,
) -> None:
    """The loops as JSON lines, JSON (``summary`` and then ``extra``'s keys after the loops)
    or a table."""
    if args.jsonl:
        write_jsonl(out, diagram, loops, {"summary": summary, **extra})
    elif args.json:
        write_json(out, diagram, loops, {"summary": summary, **extra})
    else:
        write_table(out, diagram, loops, text)


def _dumps(value: object) -> str:
    # Compact, so the C encoder does the work; \uXXXX only where the output cannot take
    # every character (a console that is not UTF-8).
    return json.dumps(value, ensure_ascii=not stdout_takes_unicode(), separators=(",", ":"))


def _loop_texts(diagram: Diagram, loops: Iterable[Loop]) -> Iterator[list[str]]:
    """The loops as JSON texts, a few thousand at a time: straight from the compact table when
    no loop has a name of its own, else encoded loop by loop."""
    from cld_editor.core.model import loop_names

    names = loop_names(diagram.loop_labels)
    table = getattr(loops, "table", None)
    if table is not None and not names:
        yield from table.json_texts(_dumps)
        return
    chunk: list[str] = []
    for loop in loops:
        # "label": the name a user gave the loop with a loop label ("Virtuous cycle"), or null.
        chunk.append(_dumps({**loop.to_json(), "label": names.get(loop.key)}))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_json(out: TextIO, diagram: Diagram, loops: Any, tail: dict[str, object]) -> None:
    """One JSON object, written a few thousand loops at a time."""
    head = {"title": diagram.title, "variables": len(diagram.variables)}
    out.write(_dumps({**head, "links": len(diagram.links)})[:-1] + ',"loops":[')
    first = True
    for texts in _loop_texts(diagram, loops):
        out.write(("" if first else ",") + ",".join(texts))
        first = False
    out.write("]," + _dumps(tail)[1:] + "\n")


def write_jsonl(out: TextIO, diagram: Diagram, loops: Any, last: dict[str, object]) -> None:
    """One loop per line, then one line holding ``last`` (the summary and the rest)."""
    for texts in _loop_texts(diagram, loops):
        out.write("\n".join(texts) + "\n")
    out.write(_dumps(last) + "\n")


def write_table(out: TextIO, diagram: Diagram, loops: Any, summary_text: str) -> None:
    """The loops as an aligned table, written row by row (widths from the widest possible
    cell of each column, so no row is held back)."""
    from cld_editor.core.model import loop_names

    labels = {v.id: one_line(v.label) for v in diagram.variables}
    names = loop_names(diagram.loop_labels)
    counts = f"{plural(len(diagram.variables), 'variable')}, {plural(len(diagram.links), 'link')}"
    out.write(f"{diagram.title}: {counts}\n")
    out.write(summary_text + "\n")
    if not len(loops):
        return
    # The Label column only when some loop has a name.
    named = bool(names) and any(loop.key in names for loop in loops)
    width_name = max(4, len(f"R{len(loops)}"))
    if isinstance(loops, list):  # names of another listing (the independent set's)
        width_name = max([width_name, *(len(loop.name) for loop in loops)])
    width_label = max([5, *(len(one_line(n)) for n in names.values())]) if named else 0
    width_length = max(6, len(str(len(diagram.variables))))
    header = ["Loop".ljust(width_name)]
    if named:
        header.append("Label".ljust(width_label))
    header += ["Type".ljust(12), "Length".ljust(width_length), "Delay", "Domains", "Variables"]
    rows = ["", "  ".join(header)]
    for loop in loops:
        cells = [loop.name.ljust(width_name)]
        if named:
            cells.append(one_line(names.get(loop.key, "")).ljust(width_label))
        members = " -> ".join(labels[m] for m in loop.variables)
        cells += [
            loop.polarity.ljust(12),
            str(loop.length).ljust(width_length),
            ("yes" if loop.delayed else "").ljust(5),
            ("+".join(loop.domains) or "-").ljust(7),
            f"{members} -> {labels[loop.variables[0]]}",
        ]
        rows.append("  ".join(cells).rstrip())
        if len(rows) >= CHUNK:
            out.write("\n".join(rows) + "\n")
            rows = []
    if rows:
        out.write("\n".join(rows) + "\n")


def census_table(diagram: Diagram, census: Census) -> str:
    """The census as text: summary, counts by length, then loops through each variable and
    each link, most first."""
    labels = {v.id: one_line(v.label) for v in diagram.variables}
    lines = [
        f"{diagram.title}: {plural(len(diagram.variables), 'variable')}, "
        f"{plural(len(diagram.links), 'link')}",
        f"{census.summary_text()} (census, {census.seconds:.2f} s)",
    ]
    if not census.complete:
        # A stopped census met the loops of the first variables only: say so before any
        # breakdown, which would otherwise read as the diagram's.
        lines += textwrap.wrap(census.partial_note(labels), 96)
    lines.append(f"delayed: {census.delayed:,}; by domain: {census.domains_text()}")
    if census.by_length:
        lines += ["", f"{'Length':>6}  {'Reinforcing':>13}  {'Balancing':>13}  "
                  f"{'Undetermined':>13}  {'Total':>13}"]  # fmt: skip
        for length, (r, b, u) in sorted(census.by_length.items()):
            lines.append(f"{length:>6}  {r:>13,}  {b:>13,}  {u:>13,}  {r + b + u:>13,}")
        if not census.complete:
            lines.append("(loops met before the census stopped, not the diagram's breakdown)")
        lines += ["", "Loops through each variable:"]
        ranked = sorted(census.through_variables.items(), key=lambda item: -item[1])
        lines += [f"{count:>15,}  {labels[v]}" for v, count in ranked if count]
        links = {link.id: link for link in diagram.links}
        lines += ["", "Loops through each link:"]
        ranked = sorted(census.through_links.items(), key=lambda item: -item[1])
        lines += [
            f"{count:>15,}  {labels[links[k].source]} -> {labels[links[k].target]}"
            for k, count in ranked
            if count
        ]
    return "\n".join(lines)


def _process_age() -> float:
    """Seconds since this process started (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            started = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as uptime:
            now = float(uptime.read().split()[0])
        return max(0.0, now - started / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


class _Progress:
    """Loops counted so far on one terminal line of stderr."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, found: int) -> None:
        self.stream.write(f"\rcounting loops: {found:,} so far (Ctrl+C stops with these)")
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()
