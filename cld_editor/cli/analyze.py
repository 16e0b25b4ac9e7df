"""``cld-editor analyze FILE``: a diagram's feedback loops as a table, JSON or JSON lines; with
``--census`` every loop counted without listing them, with ``--sils`` the shortest independent
loop set. Never imports Qt; output is streamed, so memory does not grow with what is written.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import sys
import textwrap
import time
from collections.abc import Callable
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
)
from cld_editor.cli.ctrl_c import CtrlC
from cld_editor.cli.listing import dumps, output_seconds, write_listing
from cld_editor.core.text import plural

if TYPE_CHECKING:
    from cld_editor.analysis.budget import Budget
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
#: The same for ``--json`` and ``--jsonl`` (the C encoder, a few thousand loops at a time):
#: about 1.2 us a loop of 9 members on K10 (1,112,073 loops written in 1.36 s), kept with
#: the same room to spare. With the table's figures a 10 s limit stopped a JSON listing after
#: 2 s, keeping 8 s for output that took 1.
JSON_SECONDS_PER_LOOP = 2e-6
JSON_SECONDS_PER_MEMBER = 0.1e-6
#: The listing's output stops where it runs past the time limit by this share of it (the
#: reserves above are measured on the machine, with a margin, and rarely let it come to that).
OUTPUT_GRACE = 0.03
#: Seconds kept per loop listed to find the independent set's loops among them (``--sils``):
#: 0.4-0.7 us measured on a dense 60-variable diagram (16,571 and 55,408 loops).
NAMING_SECONDS_PER_LOOP = 1.2e-6
#: Seconds kept for importing numpy, which the lookup of a long listing needs (measured 35-56 ms).
NUMPY_IMPORT_SECONDS = 0.1
_KINDS = ("reinforcing", "balancing", "undetermined")
#: A process older than this when the command runs was not started for it alone.
PROCESS_START_SECONDS = 5.0


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
    from cld_editor.core.names import shared_names_message

    if shared := shared_names_message(diagram.variables):  # loops would name them alike
        print(f"{shown_name(args.file)}: note: {shared}", file=sys.stderr)
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
            out.write(dumps({"title": diagram.title, **census.to_json()}) + "\n")
        else:
            out.write(census_table(diagram, census) + "\n")
        return EXIT_INTERRUPTED if census.stopped_by == "interrupted" else EXIT_OK
    with CtrlC() as ctrl_c:
        try:
            if args.sils:
                return _sils(args, diagram, ctrl_c, started)
            return _listing(args, diagram, ctrl_c, started)
        except KeyboardInterrupt:
            # Ctrl+C where nothing polls for it (the independent set being found) or a second
            # one, or one while a write blocks: what was written, if anything, is partial.
            if ctrl_c.writing:
                _say("stopped by Ctrl+C while writing: the output is cut short")
            else:
                _say("stopped by Ctrl+C before anything was written")
            return EXIT_INTERRUPTED


def _sils(args: argparse.Namespace, diagram: Diagram, ctrl_c: CtrlC, started: float) -> int:
    from cld_editor.analysis.sils import (
        SetStopped,
        cyclomatic_number,
        independent_loops,
        named_as_listed,
    )

    mu = cyclomatic_number(diagram)
    budget = budget_from(args)
    deadline = None
    if budget.time_limit:
        # The set gets the time left but what writing a set of its size takes (its loops can be
        # long: twice the table's figure per loop, and a little more).
        left = _time_left(budget, started).time_limit
        deadline = time.monotonic() + left - 2 * mu * OUTPUT_SECONDS_PER_LOOP - 0.05
    stopped_by = None
    try:
        chosen = independent_loops(diagram, deadline=deadline)
    except SetStopped as stop:
        chosen, stopped_by = stop.loops, stop.reason
    if stopped_by is None:
        # The listing that names the set's loops gets the time the set left (the limit is for
        # the whole command), less what writing the set takes and importing numpy would.
        kept = len(chosen) * OUTPUT_SECONDS_PER_LOOP
        if "numpy" not in sys.modules:
            kept += NUMPY_IMPORT_SECONDS
        budget = _time_left(budget, started, kept)
        loops, unnamed = _named_as_listed(diagram, chosen, budget)
    else:  # no time is left to name them as a listing would: they keep the set's own names
        loops, unnamed = named_as_listed(chosen, {})
    kinds = [loop.polarity for loop in loops]
    complete = {"complete": stopped_by is None}
    summary = {"loops": len(loops)} | {k: kinds.count(k) for k in _KINDS} | complete
    extra: dict[str, object] = {"independent_set": True, "cyclomatic_number": mu}
    size = f"{len(loops):,} loop{'s' if len(loops) != 1 else ''}"
    text = f"shortest independent loop set: {size} (cyclomatic number {mu:,})"
    if stopped_by is not None:
        extra["stopped_by"] = stopped_by
        text = (
            f"shortest independent loop set, stopped at the {stopped_by} after {size} of "
            f"{mu:,} (the cyclomatic number): independent, but some links on loops are in none "
            "of them; their names (R*1, B*1, ...) are the set's own; --time-limit 0 finds the "
            "whole set"
        )
    elif len(loops) > 1:
        text += ", in the order taken: each has a link no loop above it has"
    if unnamed and stopped_by is None:
        beyond = "1 of them is" if unnamed == 1 else f"{unnamed:,} of them are"
        names = (
            "its starred name (R*1, B*1, ...) is"
            if unnamed == 1
            else "their names (R*1, B*1, ...) are"
        )
        text += f"\n{beyond} beyond the listing's limits; {names} the set's own"
    ctrl_c.writing = True
    written = _write_listing(args, diagram, loops, summary, extra, text, ctrl_c.stop, None)
    return EXIT_OK if written is None else _output_stopped(args, written, len(loops))


def _listing(args: argparse.Namespace, diagram: Diagram, ctrl_c: CtrlC, started: float) -> int:
    from cld_editor.analysis.loops import find_loops

    asked = budget_from(args)
    budget = _time_left(asked, started)
    # The output stops (at a whole line, saying so) if it runs past the time limit by more
    # than OUTPUT_GRACE of it: the loops written are the shortest, as the listing is in order.
    ends = (
        time.monotonic() + budget.time_limit + OUTPUT_GRACE * asked.time_limit
        if asked.time_limit
        else None
    )
    why: list[str] = []

    def stop() -> bool | str:
        if ctrl_c.stop():
            return True
        if ends is not None and time.monotonic() > ends:
            why.append("time limit")
            return "time limit"
        return False

    as_json = bool(args.json or args.jsonl)
    # The reserves for writing the loops out are measured on this machine when they matter,
    # unless the output goes to a terminal (whose speed a sample cannot tell).
    measure = None
    if not sys.stdout.isatty():
        form = _form(args)
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        measure = functools.partial(output_seconds, form, diagram, encoding=encoding)
    try:
        analysis = find_loops(
            diagram,
            budget,
            ctrl_c.found,
            ctrl_c.stop,
            reserve_per_member=JSON_SECONDS_PER_MEMBER if as_json else OUTPUT_SECONDS_PER_MEMBER,
            reserve_per_loop=JSON_SECONDS_PER_LOOP if as_json else OUTPUT_SECONDS_PER_LOOP,
            output_seconds=measure,
        )
    except KeyboardInterrupt:
        # Ctrl+C where the search does not look for it (its loops being put in order).
        ctrl_c.writing = True  # (a second Ctrl+C now cuts the note short, and is said so)
        return _nothing_listed(args, diagram, budget, ctrl_c.loops_found)
    cancelled = analysis.stopped_by == "cancelled"
    if cancelled:  # the search stopped for this Ctrl+C: the next one stops the output
        ctrl_c.acknowledge()
        if not len(analysis.loops):
            found = max(ctrl_c.loops_found, analysis.found)
            ctrl_c.writing = True
            return _nothing_listed(args, diagram, budget, found)
    extra: dict[str, object] = {
        "loops_through": analysis.loops_through,
        # A truncated search keeps the shortest loops: every loop of up to this many links.
        "complete_up_to_length": None if analysis.complete else analysis.complete_up_to,
        "stopped_by": analysis.stopped_by,
    }
    if cancelled:
        extra["loops_found"] = max(ctrl_c.loops_found, analysis.found, len(analysis.loops))
    summary = analysis.summary_json()
    text = analysis.summary_text()
    upto = len(diagram.variables) if analysis.complete else analysis.complete_up_to
    loops = analysis.loops
    ctrl_c.writing = True
    written = _write_listing(args, diagram, loops, summary, extra, text, stop, upto)
    if written is not None and why:
        _say(
            f"the time limit ran out while writing: the first {written:,} of {len(loops):,} "
            "loops (the shortest) were written; a longer --time-limit writes them all"
        )
    elif written is not None:
        return _output_stopped(args, written, len(loops))
    if analysis.stopped_by == "size limit":
        print(
            f"note: the listing stopped at its memory bound; "
            f"'cld-editor analyze {shown_name(args.file)} --census' counts every loop",
            file=sys.stderr,
        )
    if cancelled:
        _say(f"the search was stopped by Ctrl+C; {analysis.summary_text()}")
        return EXIT_INTERRUPTED
    return EXIT_OK


def _write_listing(
    args: argparse.Namespace,
    diagram: Diagram,
    loops: Any,
    summary: dict[str, object],
    extra: dict[str, object],
    text: str,
    stop: Callable[[], bool | str],
    complete_up_to: int | None,
) -> int | None:
    """The loops as JSON lines, JSON (``summary`` and then ``extra``'s keys after the loops)
    or a table; how many were written when ``stop`` cut the output short, else None."""
    tail = {"summary": summary, **extra}
    return write_listing(sys.stdout, _form(args), diagram, loops, tail, text, stop, complete_up_to)


def _form(args: argparse.Namespace) -> str:
    return "jsonl" if args.jsonl else "json" if args.json else "table"


def _output_stopped(args: argparse.Namespace, written: int, loops: int) -> int:
    """Ctrl+C stopped the output: said on stderr too (the table's last line says it)."""
    if args.json or args.jsonl or not sys.stdout.isatty():
        marked = ', marked "complete": false' if args.json or args.jsonl else ""
        _say(f"output stopped by Ctrl+C after {written:,} of {loops:,} loops{marked}")
    return EXIT_INTERRUPTED


def _nothing_listed(args: argparse.Namespace, diagram: Diagram, budget: Budget, found: int) -> int:
    """Ctrl+C stopped the command before it had any loop to list: an empty listing that says
    how many loops were found, why none is kept and what to run instead."""
    n = len(diagram.variables)
    bounded = budget.max_length if budget.max_length and budget.max_length < n else None
    summary = {"loops": 0} | dict.fromkeys(_KINDS, 0) | {"complete": False, "max_length": bounded}
    extra = {
        "loops_through": {v.id: 0 for v in diagram.variables},
        "complete_up_to_length": None,
        "stopped_by": "cancelled",
        "loops_found": found,
    }
    # (A lower bound: the search's own count, or its last report, made every 0.1 s, when the
    # interrupt came where the search was not looking.)
    some = f"at least {plural(found, 'loop')} found" if found else "no loop found yet"
    head = f"{some} (analysis stopped by Ctrl+C before any was listed)"
    why = (
        "A listing stopped by Ctrl+C keeps the loops of the lengths it had found in full, "
        "shortest first, and this one had none yet"
    )
    if not budget.time_limit and not budget.max_loops:
        why += (
            ": with no loop or time limit the search looks for every loop at once, not "
            "shortest first, so it has none to keep until it has ended and put them in order"
        )
    hint = (
        f"'cld-editor analyze {shown_name(args.file)} --census' counts every loop without "
        "listing them; '--max-loops N' lists the N shortest."
    )
    text = "\n".join([head, *textwrap.wrap(f"{why}. {hint}", 96, break_on_hyphens=False)])
    _write_listing(args, diagram, [], summary, extra, text, lambda: False, None)
    if args.json or args.jsonl or not sys.stdout.isatty():
        _say(f"{head}. {hint}")
    return EXIT_INTERRUPTED


def _say(message: str) -> None:
    print(f"cld-editor: {message}", file=sys.stderr)


def _named_as_listed(diagram: Diagram, chosen: Any, budget: Any) -> tuple[list[Loop], int]:
    """The set's loops under the names the listing (``analyze`` with the same limits) gives
    them; loops beyond the listing are named R*1, B*1, ... Also returns how many those are."""
    from cld_editor.analysis.lookup import listed_names
    from cld_editor.analysis.loops import find_loops
    from cld_editor.analysis.sils import named_as_listed

    keys = frozenset(loop.key for loop in chosen)
    # Looked up in the listing's table (a Loop built for each listed loop took a fifth of a
    # second on 20,000 of them, past a one-second limit), with time kept for the lookup per
    # loop listed and (by the caller) for importing numpy, which a long listing's needs.
    listing = find_loops(diagram, budget, reserve_per_loop=NAMING_SECONDS_PER_LOOP)
    return named_as_listed(chosen, listed_names(listing.loops, keys))


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


def _time_left(budget: Budget, started: float, kept: float = 0.0) -> Budget:
    """``budget`` with the time limit that is left for the command's search, ``kept`` seconds
    kept for more: the limit is for the whole command, so the time since the process started
    is spent (unless this runs inside a longer-lived process, a test say: then since the
    command started)."""
    if not budget.time_limit:
        return budget
    age = _process_age()
    spent = age if age < PROCESS_START_SECONDS else time.monotonic() - started
    return replace(budget, time_limit=max(budget.time_limit - spent - kept, 0.05))


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
