"""The time limit covers writing the loops out: the search keeps time for it (measured on the
machine, see tests/analysis/test_output_calibration.py), and should the output still run past
the limit, it stops on a whole line at the next block and says so, the loops written being the
shortest. Here the clock is moved past the limit from the output itself, so nothing depends on
how fast the machine is."""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

import pytest

from cld_editor.cli import analyze, listing, main
from tests.cli.test_analyze_ctrl_c import K7_LOOPS, check_first_loops, whole
from tests.test_cli import signed_complete_file


@pytest.fixture
def k7(tmp_path: Path) -> Path:
    return signed_complete_file(tmp_path, 7)


class LateOutput(io.StringIO):
    """A stdout whose ``at``-th write takes (as the clock says) a million seconds."""

    def __init__(self, at: int, monkeypatch) -> None:
        super().__init__()
        self.at, self.writes, self.monkeypatch = at, 0, monkeypatch

    def write(self, text: str) -> int:
        self.writes += 1
        if self.writes == self.at:
            real = time.monotonic
            self.monkeypatch.setattr(time, "monotonic", lambda: real() + 1e6)
        return super().write(text)


def analyze_late(monkeypatch, capsys, *argv: str) -> tuple[str, str]:
    monkeypatch.setattr(listing, "CHUNK", 100)
    out = LateOutput(3, monkeypatch)
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["analyze", *argv, "--max-loops", "0", "--time-limit", "60"]) == 0
    return out.getvalue(), capsys.readouterr().err


@pytest.mark.parametrize("form", ["--json", "--jsonl"])
def test_json_past_the_time_limit_stops_and_says_so(form: str, k7: Path, monkeypatch, capsys):
    full = whole([str(k7), "--no-limits"], capsys)
    out, err = analyze_late(monkeypatch, capsys, str(k7), form)
    if form == "--json":
        data = json.loads(out)
    else:
        lines = [json.loads(line) for line in out.splitlines()]
        data = {"loops": lines[:-1], **lines[-1]}
    data["stopped_by"] = data["stopped_by"].replace("time limit", "cancelled")  # (as Ctrl+C)
    check_first_loops(data, full)
    written = len(data["loops"])
    assert 0 < written < K7_LOOPS
    assert err.strip() == (
        f"cld-editor: the time limit ran out while writing: the first {written:,} of "
        f"{K7_LOOPS:,} loops (the shortest) were written; a longer --time-limit writes them all"
    )


def test_the_table_past_the_time_limit_ends_on_a_whole_row(k7: Path, monkeypatch, capsys):
    out, err = analyze_late(monkeypatch, capsys, str(k7))
    lines = out.splitlines()
    rows, note = lines[4:-1], lines[-1]
    assert note == (
        f"(output stopped at the time limit after {len(rows):,} of {K7_LOOPS:,} loops; "
        "every loop of up to 3 links is listed above)"
    )
    for row in rows:
        members = row.split("  ")[-1].split(" -> ")
        assert members[0] == members[-1]
    assert f"the first {len(rows):,} of {K7_LOOPS:,} loops" in err


def test_the_json_says_the_time_limit_stopped_it(k7: Path, monkeypatch, capsys) -> None:
    out, _err = analyze_late(monkeypatch, capsys, str(k7), "--json")
    data = json.loads(out)
    assert data["stopped_by"] == "time limit" and data["loops_found"] == K7_LOOPS
    assert data["summary"]["complete"] is False


def test_an_output_in_time_is_whole(k7: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(listing, "CHUNK", 100)
    assert main(["analyze", str(k7), "--json", "--max-loops", "0", "--time-limit", "60"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert len(data["loops"]) == K7_LOOPS and data["stopped_by"] is None
    assert captured.err == ""


def test_the_grace_past_the_limit_is_a_small_share_of_it() -> None:
    assert 0 < analyze.OUTPUT_GRACE <= 0.05
