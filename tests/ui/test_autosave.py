"""AutosaveController and the recovery dialog, plus the end-to-end promise: a process killed
with SIGKILL while editing leaves a recovery copy that a fresh start finds and loads."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from cld_editor.core.document import Document
from cld_editor.core.model import Diagram, Variable
from cld_editor.core.ops import add_variable, rename_variable
from cld_editor.formats.native import dumps_diagram
from cld_editor.recovery import ENV_STATE_DIR, RecoveryEntry, RecoveryStore
from cld_editor.ui.undo import push_op
from cld_editor.ui.window.autosave import AutosaveController, RecoveryDialog, offer_recovery


@pytest.fixture(scope="module")
def dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


def orphan_store(folder: Path, pid: int) -> RecoveryStore:
    """A store that writes as if it were the (dead) process ``pid``."""
    store = RecoveryStore(folder)
    store.pid = pid
    store.session_id = f"{pid}-{store.session_id.split('-')[1]}"
    store._process_start = None
    return store


def sample() -> Diagram:
    return Diagram(
        title="Workshop",
        variables=[Variable(id="a", label="Staff morale", x=0, y=0)],
    )


class Names:
    """The window's answer to "what is this document called"; path None means untitled."""

    def __init__(self) -> None:
        self.path: str | None = None

    def __call__(self) -> tuple[str | None, str]:
        return self.path, Path(self.path).name if self.path else "Untitled"


class Editor:
    """A document, its undo stack and an autosave controller with short timers.

    Nothing here refers back to the Editor, so it is freed by reference counting: a Python-owned
    QUndoStack full of commands that is freed by the cycle collector can crash PySide6 6.11 in
    QUndoStack::clear (reported to the lead; the window's stack is owned by the window).
    """

    def __init__(self, folder: Path, interval: float = 0.2, idle: float = 0.05) -> None:
        self.document = Document(sample())
        self.stack = QUndoStack()
        self.store = RecoveryStore(folder)
        self.names = Names()
        self.autosave = AutosaveController(
            self.document, self.stack, self.store, self.names, interval=interval, idle=idle
        )

    def add(self, variable_id: str) -> None:
        variable = Variable(id=variable_id, label=variable_id.upper(), x=10, y=20)
        assert push_op(self.stack, self.document, add_variable(variable))

    def wait_written(self, qtbot, writes_before: int) -> None:
        """Until a write has finished since ``writes_before`` and the copy is the document."""
        qtbot.waitUntil(
            lambda: self.autosave.writes > writes_before and self.copy() == self.document.diagram,
            timeout=5000,
        )

    def own_entries(self) -> list[RecoveryEntry]:
        return [e for e in self.store.entries() if e.session_id == self.store.session_id]

    def copy(self) -> Diagram | None:
        entries = self.own_entries()
        return self.store.load(entries[0]) if entries else None


def test_copy_written_after_an_edit_and_removed_on_save(qtbot, tmp_path: Path) -> None:
    editor = Editor(tmp_path)
    qtbot.wait(100)
    assert editor.own_entries() == []  # nothing unsaved, nothing written
    editor.add("b")
    editor.wait_written(qtbot, 0)
    [entry] = editor.own_entries()
    assert entry.untitled and entry.display_name == "Untitled"
    editor.names.path = str(tmp_path / "workshop.cld.json")
    editor.add("c")
    editor.wait_written(qtbot, editor.autosave.writes)
    assert editor.own_entries()[0].display_name == "workshop.cld.json"
    editor.stack.setClean()  # what a successful save does
    qtbot.waitUntil(lambda: editor.own_entries() == [], timeout=5000)
    assert not editor.autosave.has_copy


def test_undo_back_to_clean_removes_and_redo_rewrites(qtbot, tmp_path: Path) -> None:
    editor = Editor(tmp_path)
    editor.add("b")
    editor.wait_written(qtbot, 0)
    editor.stack.undo()
    qtbot.waitUntil(lambda: editor.own_entries() == [], timeout=5000)
    editor.stack.redo()
    editor.wait_written(qtbot, 1)


def test_discarding_changes_by_clearing_the_stack_removes_the_copy(qtbot, tmp_path: Path) -> None:
    editor = Editor(tmp_path)
    editor.add("b")
    editor.wait_written(qtbot, 0)
    # File > Open after "Discard": the window clears the stack and replaces the diagram.
    editor.stack.clear()
    editor.document.replace(sample())
    editor.stack.setClean()
    qtbot.wait(150)
    assert editor.own_entries() == []


def test_destroyed_stack_does_not_take_the_copy_with_it(qtbot, tmp_path: Path) -> None:
    editor = Editor(tmp_path)
    editor.add("b")
    editor.wait_written(qtbot, 0)
    # Its destructor clears the stack, which turns clean: that is no reason to delete the copy.
    shiboken6.delete(editor.stack)
    qtbot.wait(150)
    assert editor.autosave.undo_stack is None
    assert editor.copy() == editor.document.diagram
    assert not editor.autosave.write_now()


def test_periodic_write_during_continuous_editing(qtbot, tmp_path: Path) -> None:
    editor = Editor(tmp_path, interval=0.05, idle=60)
    editor.add("b")
    # The idle timer is far off: only the periodic timer can have written this.
    editor.wait_written(qtbot, 0)
    writes = editor.autosave.writes
    qtbot.wait(200)
    assert editor.autosave.writes == writes  # nothing changed: no rewrite
    assert push_op(editor.stack, editor.document, rename_variable("b", "Bee"))
    editor.wait_written(qtbot, writes)
    assert editor.autosave.writes == writes + 1


def test_failed_write_is_reported_and_editing_goes_on(qtbot, tmp_path: Path) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the folder should be")
    editor = Editor(blocker)
    failures: list[str] = []
    editor.autosave.failed.connect(failures.append)
    editor.add("b")
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert "Error" in failures[0]
    editor.add("c")  # the editor keeps working
    blocker.unlink()
    editor.wait_written(qtbot, 0)


def test_initially_modified_document_is_written(qtbot, tmp_path: Path) -> None:
    document = Document(sample())
    stack = QUndoStack()
    stack.resetClean()  # a restored document: modified from the start
    store = RecoveryStore(tmp_path)
    autosave = AutosaveController(document, stack, store, lambda: (None, "Untitled"), idle=0.01)
    qtbot.waitUntil(lambda: autosave.writes == 1, timeout=5000)
    assert store.load(store.entries()[0]) == document.diagram


def test_take_over_replaces_the_orphan_with_an_own_copy(qtbot, tmp_path: Path, dead_pid) -> None:
    old = orphan_store(tmp_path, dead_pid)
    restored = sample().model_copy(update={"title": "Recovered"})
    old.save("doc", restored, "/w/old.cld.json", "old.cld.json")
    editor = Editor(tmp_path, idle=60, interval=60)
    [orphan] = editor.store.orphans()
    editor.document.replace(editor.store.load(orphan))
    editor.names.path = orphan.original_path
    editor.stack.resetClean()
    assert editor.autosave.take_over(orphan)
    assert editor.store.orphans() == []
    assert editor.copy() == restored


def test_discard_during_a_background_write_leaves_no_copy(qtbot, tmp_path: Path) -> None:
    editor = Editor(tmp_path, idle=60, interval=60)
    editor.add("b")
    editor.autosave.write_in_background()
    editor.autosave.discard()  # before the worker's result has come back
    qtbot.waitUntil(lambda: not editor.autosave._in_flight, timeout=5000)
    assert editor.own_entries() == [] and not editor.autosave.has_copy


def test_closing_with_discard_during_a_background_write_leaves_no_copy(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """The last window closes (saved or discarded) while a copy is being written: the event
    loop ends with the window, so the worker's result is never delivered to remove it."""
    editor = Editor(tmp_path, idle=60, interval=60)
    editor.add("b")
    save = editor.store.save

    def slow_save(*args):
        time.sleep(0.3)
        return save(*args)

    monkeypatch.setattr(editor.store, "save", slow_save)
    editor.autosave.write_in_background()
    editor.autosave.close(discard=True)
    time.sleep(0.5)  # no event loop any more: nothing is delivered
    assert editor.own_entries() == []


def test_a_write_now_is_not_overwritten_by_an_older_background_write(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """Ctrl+C writes the copy at once and quits: a background write of an older snapshot,
    still running, must not land after it."""
    editor = Editor(tmp_path, idle=60, interval=60)
    editor.add("b")
    save = editor.store.save

    def slow_in_the_background(*args):
        if threading.current_thread() is not threading.main_thread():
            time.sleep(0.3)
        return save(*args)

    monkeypatch.setattr(editor.store, "save", slow_in_the_background)
    editor.autosave.write_in_background()
    editor.add("c")
    assert editor.autosave.write_now()
    time.sleep(0.5)  # the program has quit: no event loop
    assert {v.id for v in editor.copy().variables} == {"a", "b", "c"}


def test_edits_during_a_background_write_are_written_next(qtbot, tmp_path: Path) -> None:
    editor = Editor(tmp_path, idle=60, interval=60)
    editor.add("b")
    editor.autosave.write_in_background()
    editor.add("c")
    editor.autosave.write_in_background()  # while the first may still run: queued, not lost
    editor.wait_written(qtbot, 0)
    assert {v.id for v in editor.copy().variables} == {"a", "b", "c"}


def test_close_stops_watching(qtbot, tmp_path: Path) -> None:
    editor = Editor(tmp_path)
    editor.autosave.close()
    editor.add("b")
    qtbot.wait(150)
    assert editor.own_entries() == []
    editor.autosave.close()  # twice is harmless


def make_orphans(folder: Path, pid: int) -> list[RecoveryEntry]:
    store = orphan_store(folder, pid)
    store.save("one", sample(), "/w/<i>first.cld.json", "<i>first.cld.json")
    store.save("two", sample().model_copy(update={"title": "Two"}), None, "Untitled")
    store.save("bad", sample(), None, "Broken")
    (folder / f"{store.session_id}.bad.cld.json").write_text("{")
    return RecoveryStore(folder).orphans()


def rows(dialog: RecoveryDialog) -> list[list[str]]:
    tree = dialog.tree
    return [
        [tree.topLevelItem(i).text(c) for c in range(4)] for i in range(tree.topLevelItemCount())
    ]


def test_dialog_lists_orphans_and_restores_the_ticked(qtbot, tmp_path: Path, dead_pid) -> None:
    orphans = make_orphans(tmp_path, dead_pid)
    store = RecoveryStore(tmp_path)
    dialog = RecoveryDialog(store, orphans)
    qtbot.addWidget(dialog)
    table = {row[0]: row for row in rows(dialog)}
    assert set(table) == {"<i>first.cld.json", "Untitled", "Broken"}
    assert table["Untitled"][1] == "(never saved)"
    assert table["<i>first.cld.json"][1] == "/w"
    assert "cannot be read" in table["Broken"][3]
    # Restorable copies are ticked, the broken one is not.
    assert {e.display_name for e in dialog.ticked()} == {"<i>first.cld.json", "Untitled"}
    untitled = next(e for e in orphans if e.display_name == "Untitled")
    dialog.set_ticked({untitled.key})
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.chosen == [untitled]
    assert len(store.orphans()) == 3  # restoring is the caller's business; nothing deleted


def test_dialog_discards_only_the_ticked_after_confirmation(qtbot, tmp_path, dead_pid) -> None:
    orphans = make_orphans(tmp_path, dead_pid)
    store = RecoveryStore(tmp_path)
    answers = [False, True]
    asked: list[int] = []

    def confirm(parent, count: int) -> bool:
        asked.append(count)
        return answers.pop(0)

    dialog = RecoveryDialog(store, orphans, confirm=confirm)
    qtbot.addWidget(dialog)
    broken = next(e for e in orphans if e.problem is not None)
    dialog.set_ticked({broken.key})
    assert not dialog.restore_button.isEnabled() and dialog.discard_button.isEnabled()
    dialog.discard_button.click()  # "Cancel" in the confirmation
    assert len(store.orphans()) == 3
    dialog.discard_button.click()
    assert asked == [1, 1]
    assert sorted(e.display_name for e in store.orphans()) == ["<i>first.cld.json", "Untitled"]
    assert len(rows(dialog)) == 2 and dialog.isVisible() is False  # never shown in this test
    dialog.later_button.click()
    assert dialog.chosen == [] and len(store.orphans()) == 2


def test_dialog_restores_one_at_a_time_when_asked(qtbot, tmp_path: Path, dead_pid) -> None:
    orphans = make_orphans(tmp_path, dead_pid)
    dialog = RecoveryDialog(RecoveryStore(tmp_path), orphans, max_restore=1)
    qtbot.addWidget(dialog)
    assert len(dialog.ticked()) == 1 and dialog.restore_button.isEnabled()
    dialog.set_ticked({e.key for e in orphans if e.problem is None})
    assert not dialog.restore_button.isEnabled()  # two ticked, one allowed
    assert dialog.discard_button.isEnabled()  # discarding several is fine
    first = next(e for e in orphans if e.problem is None)
    dialog.set_ticked({first.key})
    dialog.restore_button.click()
    assert dialog.chosen == [first]


def test_offer_recovery_without_orphans_asks_nothing(qapp, tmp_path: Path) -> None:
    assert offer_recovery(None, RecoveryStore(tmp_path)) == []


@pytest.mark.parametrize("button", ["restore", "later"])
def test_offer_recovery_runs_the_dialog(qtbot, tmp_path: Path, dead_pid, button: str) -> None:
    make_orphans(tmp_path, dead_pid)

    def press() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RecoveryDialog):
            QTimer.singleShot(10, press)
            return
        getattr(dialog, f"{button}_button").click()

    QTimer.singleShot(0, press)
    chosen = offer_recovery(None, RecoveryStore(tmp_path))
    if button == "restore":
        assert sorted(e.display_name for e in chosen) == ["<i>first.cld.json", "Untitled"]
    else:
        assert chosen == []
    assert len(RecoveryStore(tmp_path).orphans()) == 3


EDITOR_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication
    from cld_editor.core.document import Document
    from cld_editor.core.model import Link, Variable
    from cld_editor.core.ops import add_link, add_variable, rename_variable, set_polarity
    from cld_editor.formats.native import dumps_diagram
    from cld_editor.recovery import RecoveryStore
    from cld_editor.ui.window.autosave import AutosaveController
    from cld_editor.ui.undo import push_op

    app = QApplication([])
    document = Document()
    stack = QUndoStack()
    autosave = AutosaveController(
        document, stack, RecoveryStore(), lambda: (None, "Untitled"), interval=0.3, idle=0.1
    )
    edits = [
        add_variable(Variable(id="morale", label="Staff morale", domain="EX", x=0, y=0)),
        add_variable(Variable(id="csat", label="Customer satisfaction", domain="CX", x=300, y=0)),
        add_link(Link(id="l1", source="morale", target="csat")),
        add_link(Link(id="l2", source="csat", target="morale")),
        set_polarity(["l2"], "-"),
        rename_variable("csat", "Customer delight"),
    ]
    for op in edits:
        assert push_op(stack, document, op)
    print(json.dumps(dumps_diagram(document.diagram)), flush=True)
    app.exec()  # runs until killed
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_edits_survive_sigkill_through_recovery(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_STATE_DIR, str(tmp_path))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-c", EDITOR_SCRIPT],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        expected = json.loads(line)
        folder = tmp_path / "recovery"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            copies = list(folder.glob("*.cld.json")) if folder.exists() else []
            if copies and copies[0].read_text(encoding="utf-8") == expected:
                break
            time.sleep(0.05)
        else:
            pytest.fail("no recovery copy with the edits appeared")
        # While the editor runs, its copy is not an orphan.
        assert RecoveryStore().orphans() == []
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    store = RecoveryStore()  # a fresh start finds what the killed one left
    [orphan] = store.orphans()
    assert orphan.untitled and orphan.problem is None and orphan.pid == proc.pid
    recovered = store.load(orphan)
    assert dumps_diagram(recovered) == expected
    assert recovered.variables[1].label == "Customer delight"
    assert [link.polarity for link in recovered.links] == ["+", "-"]


def test_a_write_that_raises_is_a_failed_write_not_one_left_in_flight(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    editor = Editor(tmp_path, idle=60, interval=60)
    failures: list[str] = []
    editor.autosave.failed.connect(failures.append)
    editor.add("b")

    def broken_save(*args):
        raise RuntimeError("something unexpected")

    monkeypatch.setattr(editor.store, "save", broken_save)
    editor.autosave.write_in_background()
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert failures == ["RuntimeError: something unexpected"]
    assert not editor.autosave._in_flight  # the next write can start
    monkeypatch.undo()
    editor.add("c")
    editor.autosave.write_in_background()
    qtbot.waitUntil(lambda: editor.autosave.writes == 1, timeout=5000)
