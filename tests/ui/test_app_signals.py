"""The editor quits cleanly on SIGINT, SIGTERM and SIGHUP, with a recovery copy of unsaved
work (real signals to a real editor process), and says in one line of its own when there is
no display, instead of letting Qt abort."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cld_editor.core.model import Diagram, Variable
from cld_editor.formats.native import load_diagram, save_diagram
from cld_editor.recovery import RecoveryStore
from cld_editor.ui.display import display_problem

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

#: The real editor (cld_editor.ui.app.run) in a child process; a timer makes one edit, as a
#: user would, and then (with "ask") starts File > New, whose "Save changes?" stays open.
EDITOR = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from cld_editor.core import ops
    from cld_editor.core.model import Variable
    from cld_editor.ui import app as app_module
    from cld_editor.ui.window.main_window import MainWindow

    qt_app = QApplication(sys.argv[:1])

    def edit():
        [window] = [w for w in qt_app.topLevelWidgets() if isinstance(w, MainWindow)]
        window.scene.push(ops.add_variable(Variable(id="unsaved", label="Unsaved", x=5, y=5)))
        if sys.argv[2] == "ask":
            QTimer.singleShot(100, lambda: print("asking", flush=True))
            QTimer.singleShot(0, window.files.new_diagram)
        else:
            print("edited", flush=True)

    QTimer.singleShot(300, edit)
    sys.exit(app_module.run(sys.argv[1]))
    """
)


def environment(tmp_path: Path, **changes: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        CLD_EDITOR_STATE_DIR=str(tmp_path / "state"),
        CLD_EDITOR_LOG_DIR=str(tmp_path / "logs"),
        QT_QPA_PLATFORM="offscreen",
    )
    env.update(changes)
    return env


@pytest.mark.parametrize(
    ("signum", "mode"),
    [(signal.SIGTERM, "edit"), (signal.SIGINT, "edit"), (signal.SIGHUP, "ask")],
    ids=["SIGTERM", "SIGINT", "SIGHUP with a question open"],
)
def test_a_quit_signal_keeps_a_recovery_copy_and_quits(tmp_path: Path, signum, mode) -> None:
    path = tmp_path / "team.cld.json"
    save_diagram(Diagram(title="Team", variables=[Variable(id="a", x=0, y=0)]), path)
    child = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(path), mode],
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() in ("edited", "asking")
        child.send_signal(signum)
        sent = time.perf_counter()
        child.wait(timeout=30)
        took = time.perf_counter() - sent
    finally:
        child.kill()
        child.wait()
    stderr = child.stderr.read() if child.stderr else ""
    assert child.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr and "Fatal" not in stderr
    print(f"{signal.Signals(signum).name}: quit {took * 1000:.0f} ms after the signal")
    [entry] = RecoveryStore(tmp_path / "state" / "recovery").orphans()
    assert entry.problem is None and entry.original_path == str(path)
    copy = RecoveryStore(tmp_path / "state" / "recovery").load(entry)
    assert [v.id for v in copy.variables] == ["a", "unsaved"]
    assert [v.id for v in load_diagram(path).variables] == ["a"]  # the file was not touched


def test_every_modified_window_gets_its_copy(qtbot, tmp_path, monkeypatch) -> None:
    """keep_work_and_quit, in this process: copies of the modified windows only, then exit."""
    from PySide6.QtWidgets import QApplication

    from cld_editor.core import ops
    from cld_editor.ui import app as app_module
    from cld_editor.ui.window.main_window import MainWindow

    store = RecoveryStore(tmp_path / "recovery")
    windows = []
    for label in ("one", "two", "untouched"):
        window = MainWindow(recovery_store=store)
        qtbot.addWidget(window)
        window.files.load_diagram(Diagram(title=label), None)
        if label != "untouched":
            window.scene.push(ops.add_variable(Variable(id=label, x=0, y=0)))
        windows.append(window)
    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(exits.append))
    try:
        app_module.keep_work_and_quit(signal.SIGTERM)
        titles = sorted(store.load(e).title for e in store.entries())
        assert titles == ["one", "two"] and exits == [128 + signal.SIGTERM]
    finally:
        for window in windows:
            window.shutdown()


# -- no display ------------------------------------------------------------------------------
NO_DISPLAY = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}


@pytest.mark.parametrize(
    "env",
    [NO_DISPLAY, {**NO_DISPLAY, "DISPLAY": ":97"}, {**NO_DISPLAY, "QT_QPA_PLATFORM": "xcb"}],
    ids=["nothing set", "a display nobody serves", "xcb asked, no display"],
)
def test_without_a_display_the_editor_says_so_in_one_line(tmp_path: Path, env) -> None:
    clean = {k: v for k, v in environment(tmp_path).items() if k not in NO_DISPLAY}
    clean.update({k: v for k, v in env.items() if v})
    done = subprocess.run(
        [sys.executable, "-m", "cld_editor"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("error: ") and "display" in line
    for advice in ("xvfb-run -a cld-editor", "QT_QPA_PLATFORM=offscreen", "analyze", "export"):
        assert advice in line
    assert "report" in line and "need no display" in line
    assert "libxcb" not in done.stderr


def test_display_check_accepts_what_can_work() -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert (
        display_problem({"QT_QPA_PLATFORM": "wayland;xcb", "WAYLAND_DISPLAY": "w"}, "linux") is None
    )
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({}, "win32") is None and display_problem({}, "darwin") is None
    assert display_problem({}, "linux") is not None
    assert "QT_QPA_PLATFORM=wayland" in (
        display_problem({"QT_QPA_PLATFORM": "wayland"}, "linux") or ""
    )
