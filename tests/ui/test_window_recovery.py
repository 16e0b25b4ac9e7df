"""The window's part in never losing work: autosave copies while there are unsaved changes,
restoring a crashed session's copies at start-up, the crash guard, and asking before a save
overwrites a file that changed on disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from window_helpers import Button, Dialogs, use_temp_settings

from cld_editor.core import ops
from cld_editor.core.model import Diagram, Variable
from cld_editor.formats.native import dumps_diagram, load_diagram, save_diagram
from cld_editor.recovery import RecoveryStore
from cld_editor.ui import app as app_module
from cld_editor.ui.window.main_window import MainWindow
from cld_editor.ui.window.recovery_dialog import RecoveryDialog


@pytest.fixture
def dialogs(monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    return Dialogs().install(monkeypatch)


@pytest.fixture
def store(tmp_path) -> RecoveryStore:
    return RecoveryStore(tmp_path / "recovery")


@pytest.fixture
def make_window(qtbot, dialogs, store):
    made: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(recovery_store=store)
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    # Windows that offer_recovered_work opened too: hidden and forgotten, so that no later
    # test finds them among the visible top-level windows.
    for window in [*made, *app_module._windows]:
        window.shutdown()
        window.hide()
    app_module._windows.clear()


@pytest.fixture(scope="module")
def dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(done.stdout)


def orphan(folder: Path, pid: int, diagram: Diagram, path: str | None, name: str) -> None:
    """A recovery copy as a process ``pid`` (now dead) would have left it."""
    store = RecoveryStore(folder)
    store.pid = pid
    store.session_id = f"{pid}-{store.session_id.split('-')[1]}"
    store._process_start = None
    store.save(store.new_entry_id(), diagram, path, name)


def workshop(label: str = "Staff morale") -> Diagram:
    return Diagram(title="Workshop", variables=[Variable(id="a", label=label, x=0, y=0)])


def add(window: MainWindow, vid: str) -> None:
    assert window.scene.push(ops.add_variable(Variable(id=vid, label=vid, x=50, y=50)))


def own_copies(store: RecoveryStore) -> list[Diagram]:
    return [store.load(e) for e in store.entries() if e.session_id == store.session_id]


# -- autosave ---------------------------------------------------------------------------------
def test_unsaved_changes_get_a_recovery_copy_that_a_save_removes(
    make_window, store, tmp_path, qtbot
):
    window = make_window()
    window.files.load_diagram(workshop(), None)
    assert own_copies(store) == []
    add(window, "b")
    window.autosave.write_in_background()
    qtbot.waitUntil(lambda: [len(d.variables) for d in own_copies(store)] == [2])
    window.files.path = tmp_path / "w.cld.json"
    assert window.files.save()
    qtbot.waitUntil(lambda: own_copies(store) == [])


def test_the_copy_is_written_by_itself_after_an_edit(make_window, store, qtbot):
    window = make_window()
    window.files.load_diagram(workshop(), None)
    add(window, "b")
    # The idle timer (2 s after the last edit) writes it; nobody calls write_now here.
    qtbot.waitUntil(lambda: len(own_copies(store)) == 1, timeout=15000)
    assert {v.id for v in own_copies(store)[0].variables} == {"a", "b"}


def test_closing_and_discarding_removes_the_copy(make_window, store, dialogs):
    window = make_window()
    window.files.load_diagram(workshop(), None)
    add(window, "b")
    assert window.autosave.write_now()
    dialogs.answer = Button.Discard
    assert window.close()
    assert own_copies(store) == []


def test_a_shutdown_without_a_decision_keeps_the_copy(make_window, store):
    window = make_window()
    window.files.load_diagram(workshop(), None)
    add(window, "b")
    assert window.autosave.write_now()
    window.shutdown()  # e.g. the program is told to quit, or dies
    assert len(own_copies(store)) == 1


def test_preferences_change_the_autosave_interval_and_the_analysis_budget(
    make_window, monkeypatch, qtbot
):
    from cld_editor.analysis.loops import Budget
    from cld_editor.ui.window import main_window
    from cld_editor.ui.window.preferences import Preferences, save_preferences

    save_preferences(Preferences(autosave_seconds=45))
    window = make_window()
    assert window.autosave.interval == 45.0  # read at start
    assert window.runner.budget == Budget()
    assert window.open_untitled_example()
    chosen = Preferences(autosave_seconds=120, max_loops=2, max_length=0, time_limit=5)
    monkeypatch.setattr(main_window, "edit_preferences", lambda parent: chosen)
    window.actions.preferences.trigger()
    assert window.autosave.interval == 120.0
    assert window.runner.budget == Budget(max_loops=2, time_limit=5)
    # The analysis runs again within the new limits.
    qtbot.waitUntil(lambda: not window.runner.pending and window.runner.analysis is not None)
    assert len(window.runner.analysis.loops) == 2 and not window.runner.analysis.complete


# -- restoring --------------------------------------------------------------------------------
def restore_all(monkeypatch) -> None:
    """Answer the recovery dialog with Restore, everything ticked."""

    def exec_(dialog: RecoveryDialog) -> int:
        dialog.restore_ticked()
        return 1

    monkeypatch.setattr(RecoveryDialog, "exec", exec_)


def test_restored_copies_open_as_modified_documents(
    make_window, store, monkeypatch, tmp_path, dead_pid
):
    saved = tmp_path / "team.cld.json"
    save_diagram(workshop("Old label"), saved)
    orphan(store.folder, dead_pid, workshop("Edited label"), str(saved), "team.cld.json")
    orphan(store.folder, dead_pid, workshop("Untitled work"), None, "Untitled")
    restore_all(monkeypatch)
    first = make_window()
    assert first.open_untitled_example()
    windows = app_module.offer_recovered_work(first, store)
    try:
        assert len(windows) == 2 and windows[0] is first
        labels = sorted(w.document.variables["a"].label for w in windows)
        assert labels == ["Edited label", "Untitled work"]
        for window in windows:
            assert window.isWindowModified() and window.files.is_modified
            assert window.windowTitle().startswith(window.files.display_name())
        by_label = {w.document.variables["a"].label: w for w in windows}
        # Untitled until the user chooses where it goes; its file is only proposed.
        restored = by_label["Edited label"].files
        assert restored.path is None and restored.proposed_path == saved
        assert restored.display_name() == "team.cld.json (recovered)"
        assert by_label["Untitled work"].files.path is None
        # The copies now belong to this session: nothing is offered twice, nothing lost.
        assert store.orphans() == []
        assert sorted(d.variables[0].label for d in own_copies(store)) == labels
    finally:
        for window in windows[1:]:
            window.shutdown()


def test_a_window_showing_a_file_restores_into_a_new_window(
    make_window, store, monkeypatch, dead_pid, tmp_path
):
    orphan(store.folder, dead_pid, workshop("Recovered"), None, "Untitled")
    restore_all(monkeypatch)
    first = make_window()
    path = tmp_path / "open.cld.json"
    save_diagram(workshop("Open file"), path)
    first.files.load_diagram(load_diagram(path), path)
    [window] = app_module.offer_recovered_work(first, store)
    try:
        assert window is not first and window.isVisible()
        assert first.document.variables["a"].label == "Open file"
        assert window.document.variables["a"].label == "Recovered"
    finally:
        window.shutdown()


def test_decide_later_keeps_every_copy(make_window, store, monkeypatch, dead_pid):
    orphan(store.folder, dead_pid, workshop(), None, "Untitled")
    monkeypatch.setattr(RecoveryDialog, "exec", lambda dialog: dialog.reject() or 0)
    first = make_window()
    assert app_module.offer_recovered_work(first, store) == []
    assert len(store.orphans()) == 1


# -- the file changed on disk -----------------------------------------------------------------
@pytest.fixture
def saved_window(make_window, tmp_path):
    path = tmp_path / "team.cld.json"
    save_diagram(workshop(), path)
    window = make_window()
    window.files.load_diagram(load_diagram(path), path)
    add(window, "mine")
    return window, path


def test_save_asks_before_overwriting_a_file_changed_on_disk(saved_window, dialogs):
    window, path = saved_window
    theirs = dumps_diagram(workshop("Changed by a colleague"))
    path.write_text(theirs, encoding="utf-8")
    dialogs.answer = Button.Cancel
    assert not window.files.save()
    assert [kind for kind, title, _ in dialogs.shown] == ["question"]
    assert dialogs.shown[0][1] == "File changed on disk"
    assert path.read_text(encoding="utf-8") == theirs and window.isWindowModified()
    dialogs.answer = Button.Save
    assert window.files.save()
    assert "mine" in {v.id for v in load_diagram(path).variables}
    dialogs.shown.clear()
    add(window, "more")
    assert window.files.save()  # our own save is not a change on disk
    assert dialogs.shown == []


def test_the_same_bytes_rewritten_are_not_a_change(saved_window, dialogs):
    window, path = saved_window
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)  # a git checkout of the same content: new inode, new time
    os_touch_later(path)
    assert window.files.save()
    assert dialogs.shown == []


def test_a_same_size_rewrite_with_the_old_time_still_asks(saved_window, dialogs):
    """cp -p, rsync -t, touch -r: size and time as before, content not."""
    window, path = saved_window
    info = path.stat()
    theirs = path.read_text(encoding="utf-8").replace("Staff morale", "Staff moralE")
    path.write_text(theirs, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    dialogs.answer = Button.Cancel
    assert not window.files.save()
    assert [title for _, title, _ in dialogs.shown] == ["File changed on disk"]
    assert path.read_text(encoding="utf-8") == theirs


def test_saving_over_a_path_that_became_a_link_asks(saved_window, dialogs, tmp_path):
    window, path = saved_window
    elsewhere = tmp_path / "someone-elses.cld.json"
    elsewhere.write_bytes(path.read_bytes())  # even the same bytes
    path.unlink()
    path.symlink_to(elsewhere)
    dialogs.answer = Button.Cancel
    assert not window.files.save()
    [(_, title, text)] = dialogs.shown
    assert title == "File replaced by a link" and str(elsewhere) in text
    assert elsewhere.read_bytes() == path.read_bytes() and "mine" not in elsewhere.read_text()
    dialogs.answer = Button.Save
    assert window.files.save()  # the user said so: written through the link
    assert "mine" in {v.id for v in load_diagram(elsewhere).variables}


def test_a_deleted_file_is_simply_written_again(saved_window, dialogs):
    window, path = saved_window
    path.unlink()
    assert window.files.save()
    assert dialogs.shown == [] and path.exists()


def test_save_on_a_restored_copy_is_save_as_proposing_its_file(
    make_window, dialogs, tmp_path, monkeypatch
):
    """The copy's metadata may point at any file (or the file may have changed since): Save
    never writes there without the user choosing it in the file dialog, which proposes the
    original and confirms before replacing an existing file."""
    from cld_editor.ui.window import file_ops

    path = tmp_path / "team.cld.json"
    save_diagram(workshop("Changed after the crash"), path)
    window = make_window()
    window.files.load_recovered(workshop("Recovered"), path, saved_at=0.0)
    assert window.files.path is None and window.isWindowModified()
    asked: list[tuple[str, object]] = []

    def save_dialog(parent, caption, suggested, filters, *args, **kwargs):
        asked.append((suggested, kwargs.get("options", args[1] if len(args) > 1 else None)))
        return dialogs.save_name, ""

    monkeypatch.setattr(file_ops.QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    dialogs.save_name = ""  # cancelled
    assert not window.files.save()
    assert [suggested for suggested, _ in asked] == [str(path)]
    # Qt's save dialog asks before replacing an existing file unless told not to.
    options = asked[0][1]
    assert options is None or not (options & file_ops.QFileDialog.Option.DontConfirmOverwrite)
    assert load_diagram(path).variables[0].label == "Changed after the crash"
    dialogs.save_name = str(path)  # the user chose it (and confirmed)
    assert window.files.save()
    assert load_diagram(path).variables[0].label == "Recovered"
    assert window.files.path == path and window.files.proposed_path is None
    assert not window.isWindowModified()


def os_touch_later(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
