"""``cld-editor analyze`` at scale: --census, --sils, --jsonl, compact --json, --time-limit and
--no-limits, and Ctrl+C during a census (a real SIGINT to a child process)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cld_editor.cli import main
from tests.test_cli import complete_graph, signed_complete_file


@pytest.fixture
def k6(tmp_path: Path) -> Path:
    return signed_complete_file(tmp_path, 6)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["analyze", *argv]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def test_census_counts_what_the_listing_lists(k6: Path, capsys) -> None:
    listing = json.loads(run(capsys, str(k6), "--json", "--no-limits"))
    census = json.loads(run(capsys, str(k6), "--census", "--json"))
    assert census["loops"] == len(listing["loops"]) == 409 and census["complete"] is True
    for kind in ("reinforcing", "balancing", "undetermined"):
        assert census[kind] == listing["summary"][kind]
    assert census["variables"] == listing["loops_through"]
    assert sum(row["reinforcing"] + row["balancing"] for row in census["by_length"]) == 409
    text = run(capsys, str(k6), "--census")
    assert "409 loops" in text and "Loops through each variable:" in text
    assert "Loops through each link:" in text


def test_json_is_compact_and_jsonl_is_one_loop_a_line(k6: Path, capsys) -> None:
    out = run(capsys, str(k6), "--json")
    assert out.count("\n") == 1  # one compact line, written by the C encoder
    data = json.loads(out)
    lines = run(capsys, str(k6), "--jsonl").splitlines()
    assert [json.loads(line) for line in lines[:-1]] == data["loops"]
    last = json.loads(lines[-1])
    assert last["summary"] == data["summary"] and last["loops_through"] == data["loops_through"]


def test_sils_lists_an_independent_set_covering_every_link(k6: Path, capsys) -> None:
    data = json.loads(run(capsys, str(k6), "--sils", "--json"))
    assert data["independent_set"] is True
    covered: set[str] = set()
    for loop in data["loops"]:
        assert set(loop["links"]) - covered
        covered |= set(loop["links"])
    assert len(covered) == 30 and data["summary"]["loops"] == len(data["loops"]) == 25
    assert data["cyclomatic_number"] == 30 - 6 + 1
    assert "shortest independent loop set: 25 loops" in run(capsys, str(k6), "--sils")


def test_sils_names_are_the_listings(k6: Path, capsys) -> None:
    # A loop of the set has the name the listing gives it, under the same limits.
    listing = json.loads(run(capsys, str(k6), "--json", "--no-limits"))
    named = {tuple(loop["variables"]): loop["name"] for loop in listing["loops"]}
    chosen = json.loads(run(capsys, str(k6), "--sils", "--json", "--no-limits"))["loops"]
    assert all(loop["name"] == named[tuple(loop["variables"])] for loop in chosen)
    # Under a limit the listing stops short: the set's loops beyond it get names of their own.
    capped = {
        tuple(loop["variables"]): loop["name"]
        for loop in json.loads(run(capsys, str(k6), "--json", "--max-loops", "20"))["loops"]
    }
    short = json.loads(run(capsys, str(k6), "--sils", "--json", "--max-loops", "20"))["loops"]
    assert len(short) == 25
    for loop in short:
        key = tuple(loop["variables"])
        assert loop["name"] == capped[key] if key in capped else "*" in loop["name"]
    starred = [loop["name"] for loop in short if "*" in loop["name"]]
    assert starred and len(set(starred)) == len(starred)
    table = run(capsys, str(k6), "--sils", "--max-loops", "20")
    assert f"{len(starred)} of them are beyond the listing's limits" in table


def test_time_limit_zero_and_no_limits(k6: Path, capsys) -> None:
    capped = json.loads(run(capsys, str(k6), "--json", "--max-loops", "10"))
    assert capped["summary"]["loops"] == 10 and capped["stopped_by"] == "loop limit"
    free = json.loads(run(capsys, str(k6), "--json", "--time-limit", "0", "--max-loops", "0"))
    assert free["summary"]["complete"] is True
    assert main(["analyze", str(k6), "--time-limit", "soon"]) == 2
    assert "--time-limit" in capsys.readouterr().err


def test_a_time_limit_covers_the_output_too(tmp_path: Path) -> None:
    path = tmp_path / "k11.cld.json"
    path.write_text(json.dumps(complete_graph(11)), encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "cld_editor", "analyze", str(path), "--json", "--no-limits",
         "--time-limit", "2"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["stopped_by"] == "time limit" and data["loops"]
    assert elapsed < 60  # far below a listing of K11's 10^7 loops; no tight timing asserted


def _ctrl_c_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_during_a_census_prints_the_partial_counts(tmp_path: Path) -> None:
    path = tmp_path / "k14.cld.json"
    path.write_text(json.dumps(complete_graph(14)), encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "cld_editor", "analyze", str(path), "--census", "--time-limit", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CLD_EDITOR_NO_NUMBA": "1"},
        # As from a terminal: a run started in the background inherits Ctrl+C ignored.
        preexec_fn=_ctrl_c_default,
    )  # fmt: skip
    time.sleep(5)  # past the imports even on a busy machine; K14 takes hours to count
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert "at least" in out and "interrupted" in out


def test_ctrl_c_during_a_listing_writes_the_lengths_listed_in_full(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    """Ctrl+C while the shortest-first listing goes length by length stops it as the editor's
    Stop does: what is written is valid JSON, says it was stopped, and holds every loop of the
    lengths listed in full; exit status 130. (The signal is sent from inside the search, at
    its third length, so the test does not depend on timing.)"""
    from cld_editor.analysis import engine

    real_run = engine.KernelRun.run

    def run(self, *args, **kwargs):
        if self.store_length == 3:
            os.kill(os.getpid(), signal.SIGINT)  # handled by analyze: the search is cancelled
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(engine.KernelRun, "run", run)
    before = signal.getsignal(signal.SIGINT)
    path = tmp_path / "k7.cld.json"
    path.write_text(json.dumps(complete_graph(7)), encoding="utf-8")
    assert main(["analyze", str(path), "--json", "--max-loops", "300"]) == 130
    data = json.loads(capsys.readouterr().out)
    assert data["stopped_by"] == "cancelled" and data["summary"]["complete"] is False
    assert data["complete_up_to_length"] == 2
    assert data["loops"] and all(loop["length"] == 2 for loop in data["loops"])
    assert len(data["loops"]) == 21  # every 2-link loop of K7
    # Outside the search, Ctrl+C is handled as before it again.
    assert signal.getsignal(signal.SIGINT) is before


def test_json_output_keeps_less_of_the_time_limit_for_writing_than_a_table(
    k6: Path, capsys, monkeypatch
) -> None:
    """The JSON encoder writes a loop several times faster than the table: a JSON listing
    keeps less of its time limit for the output, so it searches longer within the limit."""
    from cld_editor.analysis import loops as loops_module
    from cld_editor.cli import analyze

    kept = []
    real = loops_module.find_loops

    def find_loops(*args, **kwargs):
        kept.append((kwargs["reserve_per_loop"], kwargs["reserve_per_member"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(loops_module, "find_loops", find_loops)
    run(capsys, str(k6))
    run(capsys, str(k6), "--json")
    run(capsys, str(k6), "--jsonl")
    table, as_json, as_jsonl = kept
    assert table == (analyze.OUTPUT_SECONDS_PER_LOOP, analyze.OUTPUT_SECONDS_PER_MEMBER)
    assert as_json == as_jsonl == (analyze.JSON_SECONDS_PER_LOOP, analyze.JSON_SECONDS_PER_MEMBER)
    assert as_json[0] < table[0] / 3 and as_json[1] < table[1]


def test_sils_leaves_the_naming_listing_the_time_the_set_left(
    k6: Path, capsys, monkeypatch
) -> None:
    """--sils with a time limit: the set is found first, and the listing that names its loops
    gets what is left of the limit (the limit is for the whole command)."""
    from cld_editor.analysis import sils
    from cld_editor.cli import analyze

    budgets = []
    real_set, real_named = sils.independent_loops, analyze._named_as_listed

    def slow_set(diagram, **kwargs):
        time.sleep(0.3)
        return real_set(diagram, **kwargs)

    def named(diagram, chosen, budget):
        budgets.append(budget)
        return real_named(diagram, chosen, budget)

    monkeypatch.setattr(sils, "independent_loops", slow_set)
    monkeypatch.setattr(analyze, "_named_as_listed", named)
    run(capsys, str(k6), "--sils", "--time-limit", "5")
    assert 0 < budgets[0].time_limit <= 5 - 0.3
    run(capsys, str(k6), "--sils", "--time-limit", "0")
    assert budgets[1].time_limit == 0  # no limit stays none


def test_sils_out_of_time_lists_the_loops_taken_and_says_the_set_is_incomplete(
    k6: Path, capsys, monkeypatch
) -> None:
    """The time limit covers finding the set too: out of time, --sils lists the loops taken so
    far (independent, each with a new link), says it stopped and how many the whole set has,
    and names them as the set does (no time is left for a naming listing)."""
    import itertools

    from cld_editor.analysis import sils

    deadlines = []
    real_set = sils.independent_loops

    def watched(diagram, *, deadline=None, cancelled=None):
        deadlines.append(deadline)
        return real_set(diagram, deadline=deadline, cancelled=cancelled)

    looks = itertools.count()

    def stop(self) -> bool:  # the deadline passes at the clock's ninth look
        if self.deadline is not None and next(looks) >= 8:
            self.out = "time limit"
        return self.out is not None

    monkeypatch.setattr(sils, "independent_loops", watched)
    monkeypatch.setattr(sils._Clock, "stop", stop)
    data = json.loads(run(capsys, str(k6), "--sils", "--json", "--time-limit", "5"))
    assert deadlines[0] is not None and deadlines[0] <= time.monotonic() + 5
    assert data["summary"]["complete"] is False and data["stopped_by"] == "time limit"
    assert 0 < len(data["loops"]) < data["cyclomatic_number"] == 25
    covered: set[str] = set()
    for loop in data["loops"]:
        assert set(loop["links"]) - covered and "*" in loop["name"]
        covered |= set(loop["links"])
    looks = itertools.count()
    table = run(capsys, str(k6), "--sils", "--time-limit", "5")
    assert "shortest independent loop set, stopped at the time limit after" in table
    assert "of 25 (the cyclomatic number)" in table and "--time-limit 0" in table
    run(capsys, str(k6), "--sils", "--time-limit", "0")
    assert deadlines[-1] is None  # no limit, no deadline
