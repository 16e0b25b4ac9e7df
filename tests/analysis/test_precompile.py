"""The first compile of the numba kernel happens in a child process, so that the program's own
threads (the window's) do not stall for it; the program then only loads the cached code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cld_editor.analysis import engine, precompile

pytest.importorskip("numba")

REPORT = """
import json, sys
from cld_editor.analysis import engine
engine.warm_up()
engine.warmed.wait()
functions = [engine._compiled]
if engine._placing is not None:
    functions += [engine._placing.place, engine._placing.merge, engine._placing.retag]
print(json.dumps([
    [sum(f.stats.cache_hits.values()), sum(f.stats.cache_misses.values())] for f in functions
]))
"""


def _run(cache: Path) -> list[list[int]]:
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
    env.pop("CLD_EDITOR_NO_NUMBA", None)
    done = subprocess.run(
        [sys.executable, "-c", REPORT], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_fresh_cache_is_filled_by_a_child_and_only_loaded_here(tmp_path: Path) -> None:
    cache = tmp_path / "numba"
    counts = _run(cache)
    assert len(counts) == 4  # the kernel and the three placing functions
    # every function came from the disk cache: none was compiled in the process itself
    assert all(hits >= 1 and misses == 0 for hits, misses in counts), counts
    assert len(list(cache.glob("compiled-*.stamp"))) == 1
    # a second process finds the stamp and loads as well, without a child
    assert _run(cache) == counts


def _no_child(*args: object, **kwargs: object) -> None:
    raise AssertionError("no child process expected")


def test_a_stamp_means_no_child(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    stamp = precompile.stamp_path()
    assert stamp is not None and stamp.parent == tmp_path
    stamp.write_text("compiled\n", encoding="utf-8")
    monkeypatch.setattr(subprocess, "run", _no_child)
    assert precompile.compile_in_child()


def test_the_stamp_names_the_sources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    before = precompile.stamp_path()
    monkeypatch.setattr(precompile, "SOURCES", ("kernel.py", "placing.py", "engine.py"))
    assert precompile.stamp_path() not in (None, before)
    monkeypatch.setattr(precompile, "SOURCES", ("no such module.py",))
    assert precompile.stamp_path() is None  # unreadable: the process compiles itself


def test_a_failed_child_leaves_no_stamp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    calls = []

    def failing(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 1, b"", b"Traceback\nImportError: numba\n")

    monkeypatch.setattr(subprocess, "run", failing)
    assert not precompile.compile_in_child()
    assert calls and calls[0][1:] == ["-m", "cld_editor.analysis.precompile"]
    assert not list(tmp_path.glob("*.stamp"))
    monkeypatch.setattr(subprocess, "run", _raise_os_error)
    assert not precompile.compile_in_child()  # cannot start one: compiled in the process


def _raise_os_error(*args: object, **kwargs: object) -> None:
    raise OSError("no python here")


def test_no_child_when_numba_is_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(engine.ENV_NO_NUMBA, "1")
    monkeypatch.setattr(precompile, "compile_in_child", _no_child)
    monkeypatch.setattr(engine, "compile_everything", lambda: False)
    monkeypatch.setattr(engine, "warmed", threading.Event())
    engine._warm()
    assert engine.warmed.is_set()


LIMITS = ("--time-limit", "3", "--max-loops", "0")


def test_a_command_does_not_wait_for_a_first_compile(tmp_path: Path) -> None:
    """The first time on a machine, a long search starts the compile in a child process; the
    command ends when its search does (saying why it was slow), and the child finishes the
    compile and its stamp on its own, for later runs."""
    from tests.test_cli import complete_graph

    path = tmp_path / "k10.cld.json"
    path.write_text(json.dumps(complete_graph(10)), encoding="utf-8")
    cache = tmp_path / "numba"
    # The child waits 6 s before it compiles: it outlasts the 3 s command on any machine.
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache), **{precompile.TEST_DELAY_ENV: "6"})
    env.pop("CLD_EDITOR_NO_NUMBA", None)
    done = subprocess.run(
        [sys.executable, "-m", "cld_editor", "analyze", str(path), *LIMITS],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "is being compiled for later runs" in done.stderr
    # The program did not wait for the compile: its stamp comes later, from the child.
    assert not list(cache.glob("compiled-*.stamp"))
    for _ in range(1200):
        if list(cache.glob("compiled-*.stamp")):
            break
        time.sleep(0.25)
    assert len(list(cache.glob("compiled-*.stamp"))) == 1
    assert _run(cache) and all(misses == 0 for _hits, misses in _run(cache))


@pytest.mark.parametrize(
    ("value", "off"),
    [("1", True), ("yes", True), ("true", True), ("0", False), ("false", False), ("", False),
     ("No", False), ("off", False)],
)  # fmt: skip
def test_the_switch_that_turns_numba_off_reads_as_a_person_means_it(
    monkeypatch: pytest.MonkeyPatch, value: str, off: bool
) -> None:
    monkeypatch.setenv(engine.ENV_NO_NUMBA, value)
    assert engine.numba_turned_off() is off


def test_no_writable_cache_folder_leaves_the_search_in_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """numba refuses ``cache=True`` where no folder is writable (read-only HOME and package, a
    frozen build): the compiled search is then unavailable, and the search runs in Python,
    instead of crashing."""
    import numba

    from cld_editor.analysis.loops import Budget, find_loops
    from tests.analysis.test_loop_budget import complete_digraph

    real = numba.njit

    def njit(*args: object, **kwargs: object) -> object:
        if kwargs.get("cache"):
            raise RuntimeError("cannot cache function 'search_chunk': no locator available")
        return real(*args, **kwargs)

    monkeypatch.setattr(numba, "njit", njit)
    monkeypatch.setattr(engine, "_compiled", None)
    monkeypatch.setattr(engine, "_compile_failed", False)
    assert engine.compiled_kernel() is None and engine._compile_failed
    analysis = find_loops(complete_digraph(6), Budget.no_limits(), compiled=True)
    assert analysis.complete and len(analysis.loops) == 409


def test_a_program_ending_during_a_child_compile_loads_nothing_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The program does not wait for a child compile when it ends; and once it is ending, the
    child's end does not start a load into the dying interpreter (numba's loader there could
    crash the exit)."""
    loads = []
    monkeypatch.setattr(engine, "numba_turned_off", lambda: False)
    monkeypatch.setattr(engine, "warmed", threading.Event())
    monkeypatch.setattr(engine, "_exiting", False)
    monkeypatch.setattr(engine, "compile_everything", lambda: loads.append(True))

    def compile_in_child() -> bool:
        engine._finish_warming()  # the program ends while the child compiles
        return True

    monkeypatch.setattr(precompile, "compile_in_child", compile_in_child)
    engine._warm()
    assert loads == [] and engine.warmed.is_set() and not engine._in_child.is_set()
    monkeypatch.setattr(engine, "_exiting", False)
    monkeypatch.setattr(precompile, "compile_in_child", lambda: True)
    engine._warm()
    assert loads == [True]  # not ending: the cached code is loaded
