"""Writing ``cld-editor analyze``'s listing: a table, one compact JSON object or JSON lines,
streamed a few thousand loops at a time so memory does not grow with what is written, and
stoppable between blocks. A writer given ``stop`` asks it after every block; when it says yes
(Ctrl+C) or "time limit" the output ends there on a whole line and says it is partial: the table
with a last line "output stopped by Ctrl+C (or: at the time limit) after N of M loops", the JSON
(or the JSON lines' last line) with the summary, loops through each variable and
``complete_up_to_length`` of the loops written, ``"complete": false``, ``"stopped_by":
"cancelled"`` (or ``"time limit"``) and ``"loops_found": M``. Each writer returns how many loops
it wrote when it stopped, or None when it wrote them all. :func:`output_seconds` times a sample,
so that the search keeps the time the output will take.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

from cld_editor.cli.common import one_line, stdout_takes_unicode
from cld_editor.core.text import plural

if TYPE_CHECKING:
    from cld_editor.analysis.loops import Loop
    from cld_editor.core.model import Diagram

#: Loops encoded (or table rows put together) per block; ``stop`` is asked between blocks.
CHUNK = 4096
_KINDS = ("reinforcing", "balancing", "undetermined")
#: Asked between blocks: whether to stop there, and why ("cancelled" when just True).
Stop = Callable[[], "bool | str"]


def _never() -> bool:
    return False


def _why(stopped: bool | str) -> str:
    return stopped if isinstance(stopped, str) else "cancelled"


def dumps(value: object) -> str:
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
        yield from table.json_texts(dumps, CHUNK)
        return
    chunk: list[str] = []
    for loop in loops:
        # "label": the name a user gave the loop with a loop label ("Virtuous cycle"), or null.
        chunk.append(dumps({**loop.to_json(), "label": names.get(loop.key)}))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_json(
    out: TextIO, diagram: Diagram, loops: Any, tail: dict[str, object], stop: Stop = _never
) -> int | None:
    """One JSON object, written a few thousand loops at a time; ``tail``'s keys follow the
    loops (those of the loops written, when ``stop`` cut it short)."""
    head = {"title": diagram.title, "variables": len(diagram.variables)}
    out.write(dumps({**head, "links": len(diagram.links)})[:-1] + ',"loops":[')

    def write(texts: list[str], before: int) -> None:
        out.write(("," if before else "") + ",".join(texts))

    written, stopped = _each_block(diagram, loops, stop, write)
    if stopped:
        tail = stopped_tail(diagram, loops, written, tail, stopped)
    out.write("]," + dumps(tail)[1:] + "\n")
    return written if stopped else None


def _each_block(
    diagram: Diagram, loops: Any, stop: Stop, write: Callable[[list[str], int], object]
) -> tuple[int, str]:
    """Hand the loops' JSON texts to ``write`` a block at a time (with how many were written
    before), looking at ``stop`` before the first and between blocks; (loops written, why
    ``stop`` cut it short: "" when it did not)."""
    written = 0
    if stopped := stop():
        return 0, _why(stopped)
    for texts in _loop_texts(diagram, loops):
        write(texts, written)
        written += len(texts)
        if written < len(loops) and (stopped := stop()):
            return written, _why(stopped)
    return written, ""


def write_jsonl(
    out: TextIO, diagram: Diagram, loops: Any, last: dict[str, object], stop: Stop = _never
) -> int | None:
    """One loop per line, then one line holding ``last`` (the summary and the rest: of the
    loops written, when ``stop`` cut it short)."""
    written, stopped = _each_block(
        diagram, loops, stop, lambda texts, _before: out.write("\n".join(texts) + "\n")
    )
    if stopped:
        last = stopped_tail(diagram, loops, written, last, stopped)
    out.write(dumps(last) + "\n")
    return written if stopped else None


def write_table(
    out: TextIO,
    diagram: Diagram,
    loops: Any,
    summary_text: str,
    stop: Stop = _never,
    complete_up_to: int | None = None,
) -> int | None:
    """The loops as an aligned table, written row by row (widths from the widest possible
    cell of each column, so no row is held back); when ``stop`` cuts it short, a last line
    says so. ``complete_up_to``: every loop of up to this many links is among ``loops`` (None:
    no length is known to be complete)."""
    from cld_editor.core.model import loop_names

    labels = {v.id: one_line(v.label) for v in diagram.variables}
    names = loop_names(diagram.loop_labels)
    counts = f"{plural(len(diagram.variables), 'variable')}, {plural(len(diagram.links), 'link')}"
    out.write(f"{diagram.title}: {counts}\n")
    out.write(summary_text + "\n")
    if not len(loops):
        return None
    if stopped := stop():
        out.write(stopped_line(loops, 0, complete_up_to, _why(stopped)) + "\n")
        return 0
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
    for written, loop in enumerate(loops, 1):
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
            if written < len(loops) and (stopped := stop()):
                out.write(stopped_line(loops, written, complete_up_to, _why(stopped)) + "\n")
                return written
    if rows:
        out.write("\n".join(rows) + "\n")
    return None


def write_listing(
    out: TextIO,
    form: str,
    diagram: Diagram,
    loops: Any,
    tail: dict[str, object],
    summary_text: str = "",
    stop: Stop = _never,
    complete_up_to: int | None = None,
) -> int | None:
    """The loops as ``form`` says: "jsonl", "json" (``tail``'s keys after the loops) or
    "table" (``summary_text`` above it); how many were written when ``stop`` cut the output
    short, else None."""
    if form == "jsonl":
        return write_jsonl(out, diagram, loops, tail, stop)
    if form == "json":
        return write_json(out, diagram, loops, tail, stop)
    return write_table(out, diagram, loops, summary_text, stop, complete_up_to)


#: A sample timed by :func:`output_seconds` is written again until this long has passed, so
#: that what is measured is not a clock's tick or a moment's noise.
SAMPLE_SECONDS = 0.02


class _Nowhere:
    """A text stream that encodes what it is given, as standard output would, and drops it."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding

    def write(self, text: str) -> int:
        text.encode(self.encoding, "replace")
        return len(text)


def output_seconds(form: str, diagram: Diagram, table: Any, encoding: str = "utf-8") -> float:
    """Seconds this machine takes to write ``table``'s loops as ``form`` ("table", "json" or
    "jsonl") does (JSON with the loops through each variable, counted), encoded to ``encoding``
    and thrown away: the mean of as many writes as fit in SAMPLE_SECONDS (at least one). What
    the disk or pipe takes is not in it."""
    import time

    from cld_editor.analysis.table import LoopList, LoopTable

    out, ids = _Nowhere(encoding), table.graph.ids
    writes, started = 0, time.perf_counter()
    while True:
        # A new list (and table) each time: a list keeps the loops it built, and reading them
        # again would be quicker than the listing's one read.
        sample = LoopTable(table.graph, table.edges, table.starts, table.codes)
        tail: dict[str, object] = {}
        if form != "table":  # JSON says how many loops pass through each variable
            tail = {"summary": {}, "loops_through": dict(zip(ids, sample.through(), strict=True))}
        write_listing(out, form, diagram, LoopList(sample), tail)  # type: ignore[arg-type]
        writes += 1
        elapsed = time.perf_counter() - started
        if elapsed >= SAMPLE_SECONDS:
            return elapsed / writes


def stopped_line(
    loops: Any, written: int, complete_up_to: int | None = None, why: str = "cancelled"
) -> str:
    """The table's last line when Ctrl+C (``why``: "cancelled") or the time limit ("time
    limit") stopped the output."""
    by = "at the time limit" if why == "time limit" else "by Ctrl+C"
    line = f"(output stopped {by} after {written:,} of {len(loops):,} loops"
    upto = _complete_up_to(loops, written, complete_up_to)
    if upto:
        line += f"; every loop of up to {plural(upto, 'link')} is listed above"
    return line + ")"


def stopped_tail(
    diagram: Diagram, loops: Any, written: int, tail: dict[str, object], why: str = "cancelled"
) -> dict[str, object]:
    """``tail`` (summary and the rest) for the first ``written`` of ``loops``, stopped for
    ``why`` ("cancelled" or "time limit"): so that the JSON describes what it holds and does
    not pass for the whole listing."""
    first = _first(loops, written)
    summary = dict(tail["summary"])  # type: ignore[call-overload]
    complete = summary.get("complete")
    summary["loops"] = written
    summary.update(zip(_KINDS, _kind_counts(first), strict=True))
    summary["complete"] = False
    tail = {**tail, "summary": summary}
    if "loops_through" in tail:
        tail["loops_through"] = _through(diagram, first)
    if "complete_up_to_length" in tail:
        known = len(diagram.variables) if complete else tail["complete_up_to_length"]
        tail["complete_up_to_length"] = _complete_up_to(loops, written, known)
    found = max(len(loops), int(tail.get("loops_found", 0)))  # type: ignore[call-overload]
    return {**tail, "stopped_by": why, "loops_found": found}


def _first(loops: Any, n: int) -> Any:
    """The first ``n`` loops: a table of them, when ``loops`` has one, else a list."""
    table = getattr(loops, "table", None)
    if table is None:
        return list(loops[:n])
    from cld_editor.analysis.table import LoopTable

    end = int(table.starts[n])
    return LoopTable(table.graph, table.edges[:end], table.starts[: n + 1], table.codes[:n])


def _kind_counts(first: Any) -> tuple[int, int, int]:
    if not isinstance(first, list):
        return first.kind_counts()
    counts = Counter(loop.polarity for loop in first)
    return counts["reinforcing"], counts["balancing"], counts["undetermined"]


def _through(diagram: Diagram, first: Any) -> dict[str, int]:
    if not isinstance(first, list):
        return dict(zip(first.graph.ids, first.through(), strict=True))
    counts = Counter(v for loop in first for v in loop.variables)
    return {v.id: counts[v.id] for v in diagram.variables}


def _complete_up_to(loops: Any, written: int, known: object) -> int | None:
    """Every loop of up to this many links is among the first ``written`` of a listing ordered
    by length (None: no length). ``known``: the same for the whole listing (None: no length);
    only listings with a table are ordered by length."""
    table = getattr(loops, "table", None)
    if table is None or not isinstance(known, int) or not 0 < written < len(loops):
        return None
    upto = min(int(table.starts[written + 1] - table.starts[written]) - 1, known)
    shortest = int(table.starts[1] - table.starts[0])
    return upto if upto >= shortest else None  # (not "up to 1 link" with none that short)
