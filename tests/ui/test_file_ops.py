"""File handling: New, templates, Open, Save, Save As, Revert, recent files, asking before
discarding, errors that leave the diagram as it was, and the command line's bad-file exit."""

from __future__ import annotations

import json

import pytest
from window_helpers import Button, Dialogs, open_window, use_temp_settings, wait_for_analysis

from cld_editor.cli import main
from cld_editor.core import ops
from cld_editor.core.model import Variable
from cld_editor.formats.native import dumps_diagram, load_diagram
from cld_editor.ui.window import file_ops
from cld_editor.ui.window.file_ops import FileController, default_example, templates, with_suffix


@pytest.fixture
def dialogs(monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    return Dialogs().install(monkeypatch)


@pytest.fixture
def window(qtbot, dialogs):
    window = open_window(qtbot)
    yield window
    window.shutdown()


def snapshot(window) -> str:
    return dumps_diagram(window.document.diagram)


def add_variable(window, label: str = "Trust") -> None:
    window.scene.push(ops.add_variable(Variable(id=f"x{label}", label=label, x=0, y=0)))


def test_save_as_then_reopen_shows_the_same_diagram(window, dialogs, tmp_path):
    add_variable(window)
    before = snapshot(window)
    dialogs.save_name = str(tmp_path / "mine")
    assert window.actions.save_as.isEnabled()
    window.actions.save_as.trigger()
    path = tmp_path / "mine.cld.json"
    assert window.files.path == path
    assert not window.isWindowModified()
    assert window.windowTitle() == "mine.cld.json[*] — cld-editor"
    window.files.new_diagram()
    assert not window.document.variables
    dialogs.open_name = str(path)
    window.actions.open.trigger()
    assert snapshot(window) == before
    assert window.files.recent_files()[0] == str(path.resolve())


def test_save_writes_to_the_same_file_and_clears_the_marker(window, dialogs, tmp_path):
    dialogs.save_name = str(tmp_path / "a.cld.json")
    assert window.files.save()  # untitled: asks for a name
    add_variable(window)
    assert window.isWindowModified()
    dialogs.save_name = ""  # a second Save must not ask
    window.actions.save.trigger()
    assert not window.isWindowModified()
    assert window.statusBar().currentMessage() == f"Saved {tmp_path / 'a.cld.json'}"
    assert "xTrust" in {v.id for v in load_diagram(tmp_path / "a.cld.json").variables}


def test_a_bad_file_shows_the_reason_and_leaves_the_diagram(window, dialogs, tmp_path):
    bad = tmp_path / "broken.cld.json"
    bad.write_text('{"format": "cld", "version": 1, "variables": [')
    add_variable(window)
    before = snapshot(window)
    assert not window.files.open_path(bad, ask=False)
    (kind, _title, text) = dialogs.shown[-1]
    assert kind == "warning" and str(bad) in text and "not valid JSON" in text
    assert snapshot(window) == before
    assert window.isWindowModified()
    assert window.files.path is None
    assert str(bad.resolve()) not in window.files.recent_files()


def test_a_failed_save_shows_why_and_stays_modified(window, dialogs, tmp_path):
    add_variable(window)
    dialogs.save_name = str(tmp_path / "no-such-folder" / "x.cld.json")
    assert not window.files.save()
    assert dialogs.kinds()[-1] == "critical"
    assert window.isWindowModified()
    assert window.files.path is None


def test_new_asks_before_discarding_changes(window, dialogs):
    add_variable(window)
    before = snapshot(window)
    dialogs.answer = Button.Cancel
    window.actions.new.trigger()
    assert dialogs.kinds() == ["question"]
    assert snapshot(window) == before
    dialogs.answer = Button.Discard
    window.actions.new.trigger()
    assert not window.document.variables
    assert not window.isWindowModified()
    assert window.undo_stack.count() == 0


def test_save_answer_saves_before_opening(window, dialogs, tmp_path):
    add_variable(window)
    dialogs.answer = Button.Save
    dialogs.save_name = str(tmp_path / "kept.cld.json")
    assert window.files.new_diagram()
    assert "xTrust" in {v.id for v in load_diagram(tmp_path / "kept.cld.json").variables}


def test_closing_with_unsaved_changes_can_be_cancelled(window, dialogs):
    add_variable(window)
    dialogs.answer = Button.Cancel
    assert not window.close()
    assert window.isVisible()
    assert window.runner._thread.isRunning()
    dialogs.answer = Button.Discard
    assert window.close()


def test_revert_goes_back_to_the_saved_file(window, dialogs, tmp_path):
    dialogs.save_name = str(tmp_path / "r.cld.json")
    window.files.save()
    saved = snapshot(window)
    add_variable(window)
    window.actions.revert.trigger()  # dialogs answer Discard
    assert snapshot(window) == saved
    assert not window.isWindowModified()


def test_new_from_template_is_an_untitled_copy(window, dialogs):
    add_variable(window)
    dialogs.answer = Button.Discard
    window.actions.fill_templates_menu(window, window.actions.templates_menu)
    entries = [a for a in window.actions.templates_menu.actions() if not a.isSeparator()]
    assert entries, "no templates listed"
    entries[0].trigger()
    assert window.files.path is None
    assert not window.isWindowModified()
    assert snapshot(window) == dumps_diagram(load_diagram(templates()[0].path))


def test_recent_files_persist_in_settings(window, dialogs, tmp_path):
    paths = []
    for i in range(12):
        path = tmp_path / f"d{i}.cld.json"
        path.write_bytes(default_example().read_bytes())
        assert window.files.open_path(path)
        paths.append(str(path.resolve()))
    fresh = FileController(window, window.document, window.undo_stack)
    assert fresh.recent_files() == paths[::-1][: file_ops.MAX_RECENT]
    window.actions.recent_menu.aboutToShow.emit()
    shown = [a.text() for a in window.actions.recent_menu.actions() if not a.isSeparator()]
    assert shown[0] == "d11.cld.json" and shown[-1] == "Clear Menu"
    assert any((tmp_path / "settings").rglob("*")), "settings were not written to the temp folder"


def test_window_geometry_and_docks_are_restored(qtbot, dialogs):
    first = open_window(qtbot, example=False)
    first.loops_dock.hide()
    first.resize(700, 500)  # the offscreen screen is 800 x 600
    first.save_settings()
    first.shutdown()
    second = open_window(qtbot, example=False)
    assert not second.loops_dock.isVisible()
    assert (second.width(), second.height()) == (700, 500)
    second.shutdown()


def test_templates_from_an_index_or_from_titles(tmp_path):
    (tmp_path / "archetypes").mkdir()
    (tmp_path / "b.cld.json").write_text(json.dumps({"title": "Beta"}))
    (tmp_path / "a.cld.json").write_text(json.dumps({"title": "alpha"}))
    (tmp_path / "archetypes" / "fix.cld.json").write_text(json.dumps({"title": "Fixes that fail"}))
    (tmp_path / "broken.cld.json").write_text("{")
    found = templates(tmp_path)
    assert [(t.title, t.kind) for t in found] == [
        ("alpha", "example"),
        ("Beta", "example"),
        ("Fixes that fail", "archetype"),
    ]
    (tmp_path / "index.json").write_text(
        json.dumps({"archetypes": [{"file": "archetypes/fix.cld.json", "title": "Fixes"}],
                    "examples": [{"file": "b.cld.json"}, {"file": "missing.cld.json"}]})
    )  # fmt: skip
    assert [(t.title, t.kind) for t in templates(tmp_path)] == [
        ("Beta", "example"),
        ("Fixes", "archetype"),
    ]


def test_the_shipped_templates_include_the_example():
    assert default_example() in {t.path for t in templates()}


def test_save_as_adds_the_suffix():
    assert with_suffix("/x/plan") == "/x/plan.cld.json"
    assert with_suffix("/x/plan.cld.json") == "/x/plan.cld.json"
    assert with_suffix("/x/plan.json") == "/x/plan.json"


def test_a_bad_file_on_the_command_line_exits_2_before_any_window(tmp_path, capsys):
    bad = tmp_path / "bad.cld.json"
    bad.write_text("[]")
    assert main([str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}: ") and err.count("\n") == 1
    assert main([str(tmp_path / "missing.cld.json")]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.fixture
def fake_exec(monkeypatch, qtbot):
    """Replaces the event loop of ``run``: records the window it would have run, closes it."""
    from PySide6.QtWidgets import QApplication

    from cld_editor.ui.window.main_window import MainWindow

    seen: list[tuple[str, int]] = []

    def exec_(self) -> int:
        (window,) = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        wait_for_analysis(qtbot, window)
        seen.append((window.windowTitle(), len(window.loops_panel.visible_loops())))
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    return seen


def test_run_without_a_file_opens_the_example_untitled(dialogs, fake_exec):
    from cld_editor.ui.app import run

    assert run(None) == 0
    assert fake_exec == [("Untitled[*] — cld-editor", 3)]


def test_run_with_a_file_opens_it_and_remembers_it(dialogs, fake_exec, tmp_path):
    from cld_editor.ui.app import run

    path = tmp_path / "mine.cld.json"
    path.write_bytes(default_example().read_bytes())
    assert run(str(path)) == 0
    assert fake_exec == [("mine.cld.json[*] — cld-editor", 3)]
    assert FileController(None, None, None).recent_files() == [str(path.resolve())]


def test_run_with_a_bad_file_opens_no_window(dialogs, fake_exec, tmp_path, capsys):
    from cld_editor.ui.app import run

    assert run(str(tmp_path / "nothing.cld.json")) == 2
    assert fake_exec == []
    assert capsys.readouterr().err == f"error: {tmp_path / 'nothing.cld.json'}: no such file\n"


def test_a_vanished_recent_file_shows_why_and_leaves_the_menu(window, dialogs, tmp_path):
    path = tmp_path / "gone.cld.json"
    path.write_bytes(default_example().read_bytes())
    assert window.files.open_path(path)
    path.unlink()
    assert not window.files.open_path(path, ask=False)
    assert dialogs.kinds()[-1] == "warning" and "no such file" in dialogs.shown[-1][2]
    assert str(path.resolve()) not in window.files.recent_files()


def test_open_asks_about_unsaved_changes_only_after_a_file_is_chosen(window, dialogs, tmp_path):
    add_variable(window)
    assert window.isWindowModified()
    dialogs.open_name = ""  # the user closes the Open dialog
    window.actions.open.trigger()
    assert "question" not in dialogs.kinds()
    assert window.isWindowModified()
    path = tmp_path / "other.cld.json"
    path.write_text(dumps_diagram(load_diagram(default_example())), encoding="utf-8")
    dialogs.open_name = str(path)
    dialogs.answer = Button.Discard
    window.actions.open.trigger()
    assert dialogs.kinds().count("question") == 1
    assert window.files.path == path


@pytest.mark.parametrize("name", ["broken.cld.json", "broken.loopy", "broken.kumu.json"])
def test_a_file_that_cannot_be_read_never_asks_to_save_the_open_diagram(
    window, dialogs, tmp_path, name
):
    """Read first, ask after: "Save the changes?" for a file that then fails was a question
    about throwing work away for nothing."""
    add_variable(window)
    before = snapshot(window)
    path = tmp_path / name
    path.write_text("{ not a diagram", encoding="utf-8")
    dialogs.answer = Button.Discard
    dialogs.open_name = str(path)
    window.actions.open.trigger()
    assert dialogs.kinds() == ["warning"]  # the reason; no save question before it
    assert snapshot(window) == before and window.files.is_modified


def test_a_readable_file_asks_once_then_replaces(window, dialogs, tmp_path):
    add_variable(window)
    good = tmp_path / "good.loopy"
    good.write_text('[[[1,0,0,0.5,"a",0],[2,200,0,0.5,"b",0]],[[1,2,20,1,0],[2,1,20,1,0]],[],3]')
    dialogs.answer = Button.Cancel
    dialogs.open_name = str(good)
    window.actions.open.trigger()
    assert dialogs.kinds() == ["question"]
    assert "xTrust" in window.document.variables  # cancelled: the diagram stays
    dialogs.answer = Button.Discard
    window.actions.open.trigger()
    assert sorted(v.label for v in window.document.variables.values()) == ["a", "b"]
    # Save As proposes the map's name without its format's extension.
    assert window.files.proposed_path == tmp_path / "good.cld.json"


def test_an_imported_kumu_map_proposes_its_name_without_kumu_json(window, dialogs, tmp_path):
    path = tmp_path / "cxex.kumu.json"
    path.write_text(
        '{"elements":[{"_id":"e1","attributes":{"label":"A"}}],"connections":[]}',
        encoding="utf-8",
    )
    assert window.files.open_path(path)
    assert window.files.proposed_path == tmp_path / "cxex.cld.json"


def test_opening_the_open_file_after_saving_its_changes_shows_them(window, dialogs, tmp_path):
    """Open (or Open Recent) on the file already open, with unsaved changes, answered Save:
    the file was read before the save, so the window showed it as it was, clean."""
    path = tmp_path / "mine.cld.json"
    dialogs.save_name = str(path)
    assert window.files.save()
    add_variable(window, "Morale")
    dialogs.answer = Button.Save
    assert window.files.open_path(path)
    assert dialogs.kinds().count("question") == 1
    assert "xMorale" in window.document.variables
    assert "xMorale" in {v.id for v in load_diagram(path).variables}
    assert not window.files.is_modified
