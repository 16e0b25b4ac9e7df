"""Ctrl+C in every phase of ``cld-editor analyze``: during the search, after it (its loops put in
order), before the output, while writing (table, JSON, JSON lines), during ``--sils``. Each
test sends a real SIGINT to this process from a hook at a chosen point (no timing), and checks
the exit status 130, that the output ends on a whole line with a note, and that JSON does not
pass for a complete listing."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from cld_editor.cli import listing, main
from cld_editor.cli.ctrl_c import CtrlC
from tests.test_cli import complete_graph, signed_complete_file

K7_LOOPS = 2365  # 21 + 70 + 210 + 504 + 840 + 720


def sigint() -> None:
    os.kill(os.getpid(), signal.SIGINT)


@pytest.fixture
def k7(tmp_path: Path) -> Path:
    return signed_complete_file(tmp_path, 7)


class Tripwire(io.StringIO):
    """A stdout that sends Ctrl+C to this process on its ``at``-th write."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at, self.writes = at, 0

    def write(self, text: str) -> int:
        self.writes += 1
        written = super().write(text)
        if self.writes == self.at:
            sigint()
        return written


def analyze_stopped_while_writing(
    monkeypatch, capsys, *argv: str, at: int = 3, chunk: int = 100
) -> tuple[str, str]:
    monkeypatch.setattr(listing, "CHUNK", chunk)
    out = Tripwire(at)
    monkeypatch.setattr(sys, "stdout", out)
    before = signal.getsignal(signal.SIGINT)
    assert main(["analyze", *argv]) == 130
    assert signal.getsignal(signal.SIGINT) is before
    return out.getvalue(), capsys.readouterr().err


def whole(argv: list[str], capsys) -> dict:
    assert main(["analyze", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def check_first_loops(data: dict, full: dict) -> None:
    """``data`` (a stopped listing) holds the first loops of ``full`` and describes them."""
    loops = data["loops"]
    assert loops == full["loops"][: len(loops)]
    summary = data["summary"]
    assert summary["complete"] is False and summary["loops"] == len(loops)
    kinds = Counter(loop["polarity"] for loop in loops)
    assert all(summary[kind] == kinds[kind] for kind in ("reinforcing", "balancing"))
    through = Counter(v for loop in loops for v in loop["variables"])
    assert data["loops_through"] == {v: through[v] for v in full["loops_through"]}
    assert data["stopped_by"] == "cancelled" and data["loops_found"] == len(full["loops"])
    upto = data["complete_up_to_length"]
    assert upto is not None and loops[-1]["length"] >= upto
    lengths = Counter(loop["length"] for loop in full["loops"])
    assert sum(n for length, n in lengths.items() if length <= upto) <= len(loops)
    assert sum(n for length, n in lengths.items() if length <= upto + 1) > len(loops)


def test_ctrl_c_while_writing_the_table_ends_on_a_whole_row_and_says_so(
    k7: Path, monkeypatch, capsys
) -> None:
    out, err = analyze_stopped_while_writing(monkeypatch, capsys, str(k7), "--no-limits")
    lines = out.splitlines()
    assert lines[1].startswith(f"{K7_LOOPS:,} loops: ")
    rows = lines[4:-1]  # after the title, the summary, a blank line and the header
    note = lines[-1]
    assert note.startswith(f"(output stopped by Ctrl+C after {len(rows):,} of {K7_LOOPS:,} loops")
    assert 0 < len(rows) < K7_LOOPS and out.endswith(")\n")
    for row in rows:  # every row whole: the loop comes back to its first member
        members = row.split("  ")[-1].split(" -> ")
        assert members[0] == members[-1] and len(members) >= 3
    assert len(rows) == 98  # the first block: 100 lines with the blank one and the header
    assert "every loop of up to 3 links is listed above" in note  # K7: 21 of 2, 70 of 3
    assert "Traceback" not in err


@pytest.mark.parametrize("form", ["--json", "--jsonl"])
def test_ctrl_c_while_writing_json_marks_it_incomplete(
    form: str, k7: Path, monkeypatch, capsys
) -> None:
    full = whole([str(k7), "--no-limits"], capsys)
    out, err = analyze_stopped_while_writing(monkeypatch, capsys, str(k7), "--no-limits", form)
    if form == "--json":
        assert out.count("\n") == 1
        data = json.loads(out)
    else:
        lines = [json.loads(line) for line in out.splitlines()]
        data = {"loops": lines[:-1], **lines[-1]}
    check_first_loops(data, full)
    written = len(data["loops"])
    assert 0 < written < K7_LOOPS
    assert f"output stopped by Ctrl+C after {written:,} of {K7_LOOPS:,} loops" in err
    assert '"complete": false' in err


def test_ctrl_c_after_the_search_before_the_output(k7: Path, monkeypatch, capsys) -> None:
    """The search has ended when Ctrl+C comes: nothing is written but what says so."""
    from cld_editor.analysis import loops

    real = loops.find_loops

    def find_loops(*args, **kwargs):
        analysis = real(*args, **kwargs)
        sigint()
        return analysis

    monkeypatch.setattr(loops, "find_loops", find_loops)
    assert main(["analyze", str(k7), "--no-limits"]) == 130
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(f"{K7_LOOPS:,} loops")
    assert out[-1] == f"(output stopped by Ctrl+C after 0 of {K7_LOOPS:,} loops)"
    assert main(["analyze", str(k7), "--no-limits", "--json"]) == 130
    data = json.loads(capsys.readouterr().out)
    assert data["loops"] == [] and data["summary"]["complete"] is False
    assert data["loops_found"] == K7_LOOPS and data["complete_up_to_length"] is None


def stop_the_search_once_it_has_found_loops(monkeypatch) -> None:
    """Ctrl+C from the search's first progress report with loops in it."""
    from cld_editor.analysis import engine

    monkeypatch.setattr(engine, "PROGRESS_INTERVAL", 0.0)
    real = engine.KernelRun.run

    def run(self, deadline=None, cancelled=None, progress=None, *rest):
        def report(count: int) -> None:
            progress(count)
            if count:
                sigint()

        return real(self, deadline, cancelled, report if progress else None, *rest)

    monkeypatch.setattr(engine.KernelRun, "run", run)


def test_ctrl_c_during_a_search_without_limits_says_what_it_found(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    """Without limits the search is not shortest first: nothing is kept, and the output says
    how many loops were found, why none is listed and what to run instead."""
    k9 = tmp_path / "k9.cld.json"
    k9.write_text(json.dumps(complete_graph(9)), encoding="utf-8")
    monkeypatch.setenv("CLD_EDITOR_NO_NUMBA", "1")
    stop_the_search_once_it_has_found_loops(monkeypatch)
    assert main(["analyze", str(k9), "--no-limits", "--json"]) == 130
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["loops"] == [] and data["summary"]["loops"] == 0
    assert data["summary"]["complete"] is False and data["stopped_by"] == "cancelled"
    found = data["loops_found"]
    assert 0 < found < 125_664  # K9's loops: the search was stopped on its way
    assert f"at least {found:,} loops found (analysis stopped by Ctrl+C" in captured.err
    assert "--census' counts every loop" in captured.err
    assert main(["analyze", str(k9), "--no-limits"]) == 130
    out = capsys.readouterr().out
    assert "'--max-loops N'" in out  # not broken at a hyphen
    text = " ".join(out.split())
    assert "loops found (analysis stopped by Ctrl+C before any was listed)" in text
    assert "not shortest first" in text and "--census' counts every loop" in text
    assert "'--max-loops N' lists the N shortest" in text


def test_ctrl_c_where_the_search_no_longer_looks_still_stops_at_once(
    k7: Path, monkeypatch, capsys
) -> None:
    """Putting the loops in order polls for nothing here: a watchdog interrupts it after a
    fraction of a second instead of letting it run on and write everything."""
    from cld_editor.analysis import loops

    real = loops.sorted_by_length
    slept: list[bool] = []

    def sorted_by_length(*args, **kwargs):
        sigint()
        time.sleep(30)  # a long step that never looks at Ctrl+C
        slept.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(loops, "sorted_by_length", sorted_by_length)
    assert main(["analyze", str(k7), "--no-limits", "--jsonl"]) == 130
    assert not slept  # interrupted, not waited for
    captured = capsys.readouterr()
    last = json.loads(captured.out.splitlines()[-1])
    assert captured.out.count("\n") == 1 and last["summary"]["complete"] is False
    assert last["stopped_by"] == "cancelled" and "Ctrl+C" in captured.err


def test_a_second_ctrl_c_stops_the_output_of_a_stopped_search(
    k7: Path, monkeypatch, capsys
) -> None:
    """The first Ctrl+C stops the search (the lengths found in full are kept) and is not taken
    for a stop of the output too; a second one stops the output."""
    from cld_editor.analysis import engine

    monkeypatch.setattr(listing, "CHUNK", 5)
    real = engine.KernelRun.run

    def run(self, *args, **kwargs):
        if self.store_length == 3:
            sigint()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(engine.KernelRun, "run", run)
    assert main(["analyze", str(k7), "--json", "--max-loops", "300"]) == 130
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert len(data["loops"]) == 21 and data["complete_up_to_length"] == 2
    assert "stopped by Ctrl+C" in captured.err
    # the first search had found 300 (the limit): said alike in the JSON and on stderr
    assert data["loops_found"] == 300 and "at least 300 loops" in captured.err
    out, _ = analyze_stopped_while_writing(
        monkeypatch, capsys, str(k7), "--max-loops", "300", at=3, chunk=5
    )
    # Written: the title, the summary, then 3 rows with the blank line and the header.
    assert out.splitlines()[-1] == "(output stopped by Ctrl+C after 3 of 21 loops)"


def test_ctrl_c_during_sils(k7: Path, monkeypatch, capsys) -> None:
    """The independent set (36 loops for K7) stopped while written: 10 of 36, and said."""
    out, err = analyze_stopped_while_writing(
        monkeypatch, capsys, str(k7), "--sils", "--json", at=2, chunk=10
    )
    data = json.loads(out)
    assert data["summary"]["complete"] is False and data["stopped_by"] == "cancelled"
    assert data["summary"]["loops"] == len(data["loops"]) == 10 and data["loops_found"] == 36
    assert data["cyclomatic_number"] == 36 and data["independent_set"] is True
    assert "output stopped by Ctrl+C after 10 of 36 loops" in err
    out, _ = analyze_stopped_while_writing(monkeypatch, capsys, str(k7), "--sils", chunk=10)
    assert out.splitlines()[-1] == "(output stopped by Ctrl+C after 8 of 36 loops)"


def test_ctrl_c_while_the_independent_set_is_found(k7: Path, monkeypatch, capsys) -> None:
    from cld_editor.analysis import sils

    real = sils.independent_loops

    def independent_loops(*args, **kwargs):
        sigint()
        time.sleep(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(sils, "independent_loops", independent_loops)
    assert main(["analyze", str(k7), "--sils"]) == 130
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "cld-editor: stopped by Ctrl+C before anything was written\n"


def test_ctrl_c_twice_raises_and_the_watchdog_ends_with_the_command() -> None:
    with CtrlC() as ctrl_c:
        sigint()
        assert ctrl_c.stop()
        with pytest.raises(KeyboardInterrupt):
            sigint()
    with CtrlC() as ctrl_c:
        sigint()
    time.sleep(ctrl_c.grace * 2)  # no interrupt comes after the command is over


def test_a_stopped_output_to_a_file_from_a_real_process(k7: Path, tmp_path: Path) -> None:
    """As the tester ran it: the table redirected to a file, Ctrl+C while it is written (sent
    from inside the process by a wrapped stdout at its third write)."""
    script = (
        "import io, os, signal, sys\n"
        "from cld_editor.cli import listing, entry\n"
        "listing.CHUNK = 100\n"
        "class Out(io.TextIOWrapper):\n"
        "    n = 0\n"
        "    def write(self, text):\n"
        "        Out.n += 1\n"
        "        done = super().write(text)\n"
        "        if Out.n == 3:\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "        return done\n"
        "sys.stdout = Out(open(sys.argv[1], 'wb'), encoding='utf-8')\n"
        "sys.argv[1:] = ['analyze', *sys.argv[2:]]\n"
        "code = entry()\n"
        "sys.stdout.flush()\n"
        "sys.exit(code)\n"
    )
    target = tmp_path / "out.txt"
    done = subprocess.run(
        [sys.executable, "-c", script, str(target), str(k7), "--no-limits"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "CLD_EDITOR_NO_NUMBA": "1"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr and "output stopped by Ctrl+C after" in done.stderr
    text = target.read_text(encoding="utf-8")
    assert text.endswith("\n") and text.splitlines()[-1].startswith(
        "(output stopped by Ctrl+C after "
    )


def test_ctrl_c_pressed_twice_while_writing_stops_at_once(k7: Path, monkeypatch, capsys) -> None:
    """Two presses before the first is acted on (a write that blocks, say): the second stops
    the command where it is, and stderr says the output is cut short."""

    class Twice(Tripwire):
        def write(self, text: str) -> int:
            if self.writes + 1 == self.at:
                sigint()  # the first: noted, to be acted on after this block
            return super().write(text)  # the second, on the same write: at once

    monkeypatch.setattr(listing, "CHUNK", 100)
    monkeypatch.setattr(sys, "stdout", Twice(3))
    assert main(["analyze", str(k7), "--no-limits"]) == 130
    err = capsys.readouterr().err
    assert err == "cld-editor: stopped by Ctrl+C while writing: the output is cut short\n"


def test_the_watchdogs_interrupt_does_nothing_once_the_press_was_read_or_the_command_ended():
    """The watchdog decides on its thread; its interrupt is checked again on the main thread:
    a command that polled meanwhile, or that is ending, is not interrupted (a KeyboardInterrupt
    after the command turned its exit status 0 into 130, or printed a traceback)."""
    with CtrlC() as ctrl_c:
        ctrl_c._handle(signal.SIGINT, None)  # a press
        ctrl_c._escalated = ctrl_c._press_polls  # the watchdog decided to interrupt...
        assert ctrl_c.stop()  # ...but the command polled first
        ctrl_c._handle(signal.SIGINT, None)  # the watchdog's interrupt: nothing happens
        ctrl_c.acknowledge()
        ctrl_c._handle(signal.SIGINT, None)  # a new press
        ctrl_c._escalated = ctrl_c._press_polls
        with pytest.raises(KeyboardInterrupt):  # unread still: the interrupt stops it
            ctrl_c._handle(signal.SIGINT, None)
        ctrl_c.acknowledge()
        ctrl_c._handle(signal.SIGINT, None)
        ctrl_c._escalated = ctrl_c._press_polls
        ctrl_c._closing = True  # the command is ending
        ctrl_c._handle(signal.SIGINT, None)
    assert ctrl_c._watcher is None  # joined: nothing is sent after the command
