"""The end-to-end promises of the real program: killed with SIGKILL after some edits, it gives
the edits back through recovery when started again; an exception in a slot is logged with its
traceback and shown in a dialog, and the editor keeps running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

DRIVER = Path(__file__).with_name("editor_driver.py")
LABELS = ["Remote work", "Team trust", "Customer <b>effort</b>"]


def environment(tmp_path: Path) -> dict[str, str]:
    """The program's per-user folders (state, logs, settings) all inside ``tmp_path``."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        CLD_EDITOR_STATE_DIR=str(tmp_path / "state"),
        CLD_EDITOR_LOG_DIR=str(tmp_path / "logs"),
    )
    return env


def copies(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "state" / "recovery").glob("*.cld.json"))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_the_real_program_killed_after_edits_gets_them_back(tmp_path: Path) -> None:
    env = environment(tmp_path)
    editor = subprocess.Popen(
        [sys.executable, str(DRIVER), "edit", *LABELS],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert editor.stdout is not None
        line = editor.stdout.readline()
        assert line, editor.stderr.read() if editor.stderr else ""
        assert json.loads(line) == sorted(LABELS)
        # The autosave copy is written a moment after the last edit (idle), by itself.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = copies(tmp_path)
            if found and all(label in found[0].read_text(encoding="utf-8") for label in LABELS):
                break
            time.sleep(0.1)
        else:
            pytest.fail("no recovery copy with the edits appeared")
    finally:
        os.kill(editor.pid, signal.SIGKILL)
        editor.wait(timeout=30)
    assert editor.returncode == -signal.SIGKILL

    again = subprocess.run(
        [sys.executable, str(DRIVER), "restore"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    shown = json.loads(again.stdout.strip().splitlines()[-1])
    assert shown == {
        "title": "Untitled[*] — cld-editor",
        "modified": True,
        "labels": sorted(LABELS),
    }
    # The restored copy is kept until the user saves or discards (the second run was killed
    # too, in effect): nothing is lost even now.
    assert len(copies(tmp_path)) == 1


def test_an_exception_in_a_slot_is_logged_shown_and_survived(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(DRIVER), "crash"],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["title"] == "cld-editor: unexpected error"
    assert "RuntimeError: boom in a slot" in shown["text"]
    assert {"Continue", "Save your work…"} <= set(shown["buttons"])
    assert shown["alive"] is True
    log = (tmp_path / "logs" / "cld-editor.log").read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log and "RuntimeError: boom in a slot" in log
