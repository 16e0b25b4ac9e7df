"""Where Save As and the exports start: never among the program's bundled examples (the
documents folder instead), and, once the user exported somewhere, there again next time."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog
from window_helpers import Button, Dialogs, open_window, use_temp_settings

from cld_editor.formats.native import load_diagram, save_diagram
from cld_editor.ui.window import dialog_folders
from cld_editor.ui.window.export_dialog import ExportImageDialog
from cld_editor.ui.window.file_ops import default_example


@pytest.fixture
def docs(monkeypatch, tmp_path):
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr(
        QStandardPaths, "writableLocation", staticmethod(lambda location: str(folder))
    )
    return folder


@pytest.fixture
def dialogs(monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    dialogs = Dialogs().install(monkeypatch)
    dialogs.answer = Button.Save
    dialogs.starts = []  # where each save dialog opened

    def save_name(parent, caption, start, *args, **kwargs):
        dialogs.starts.append(start)
        return dialogs.save_name, ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    return dialogs


@pytest.fixture
def window(qtbot, dialogs):
    window = open_window(qtbot)
    yield window
    window.shutdown()


def image_dialog_start(window, monkeypatch) -> str:
    starts: list[str] = []

    def exec_(dialog: ExportImageDialog) -> int:
        starts.append(dialog.path_edit.text())
        return 0

    monkeypatch.setattr(ExportImageDialog, "exec", exec_)
    window.actions.export_image.trigger()
    return starts[-1]


def test_documents_folder_falls_back_to_home(monkeypatch, tmp_path):
    monkeypatch.setattr(
        QStandardPaths, "writableLocation", staticmethod(lambda location: str(tmp_path / "no"))
    )
    assert dialog_folders.documents_folder() == Path.home()


def test_the_bundled_example_opened_as_a_file_saves_into_documents(window, dialogs, docs):
    example = default_example()
    assert dialog_folders.is_bundled(example)
    window.files.load_diagram(load_diagram(example), example)
    dialogs.save_name = ""
    window.actions.save_as.trigger()
    assert dialogs.starts == [str(docs / example.name)]


def test_the_untitled_example_never_starts_among_the_examples(window, dialogs, docs):
    window.files.add_recent(default_example())  # the user once opened the example itself
    window.files.save_as()
    assert Path(dialogs.starts[-1]).parent == docs
    assert window.files._dialog_folder() == str(docs)  # File > Open
    assert window.interop.export_as() is False  # cancelled
    assert Path(dialogs.starts[-1]).parent == docs


def test_exports_start_where_the_last_one_went(window, dialogs, docs, tmp_path, monkeypatch):
    example = default_example()
    window.files.load_diagram(load_diagram(example), example)
    assert image_dialog_start(window, monkeypatch) == str(docs / "experience-loop.png")
    out = tmp_path / "elsewhere"
    out.mkdir()
    dialogs.save_name = str(out / "map.mmd")
    assert window.interop.export_as()
    assert dialogs.starts[-1].startswith(str(docs))
    dialogs.save_name = ""
    window.interop.export_as()
    assert dialogs.starts[-1] == str(out / "experience-loop")
    assert image_dialog_start(window, monkeypatch) == str(out / "experience-loop.png")
    window.actions.export_report.trigger()
    assert dialogs.starts[-1] == str(out / "experience-loop.html")


def test_a_file_of_the_users_own_exports_beside_itself(window, dialogs, docs, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    dialog_folders.remember_export_folder(elsewhere, None)  # an untitled diagram went there
    project = tmp_path / "project"
    project.mkdir()
    path = project / "team.cld.json"
    save_diagram(window.document.diagram, path)
    window.files.open_path(path, ask=False)
    dialogs.save_name = ""
    window.actions.export_report.trigger()
    assert dialogs.starts[-1] == str(project / "team.html")
    # Once exported somewhere else, the next export of a diagram from that folder goes there.
    dialogs.save_name = str(elsewhere / "team.html")
    window.actions.export_report.trigger()
    assert (elsewhere / "team.html").exists()
    dialogs.save_name = ""
    window.actions.export_report.trigger()
    assert dialogs.starts[-1] == str(elsewhere / "team.html")


def test_story_and_loop_focus_exports_follow_the_same_folders(
    window, dialogs, docs, tmp_path, monkeypatch
):
    # The untitled example: both start in the documents folder, never among the examples or
    # in the home folder.
    dialogs.save_name = ""
    window.story.export_story()
    assert Path(dialogs.starts[-1]).parent == docs
    loop = window.loops_panel.analysis.loops[0]
    focus = window.arrange.focus_loop(loop)
    assert focus.export() is None  # cancelled
    assert Path(dialogs.starts[-1]).parent == docs
    # Once an export went elsewhere, they start there too ...
    out = tmp_path / "talks"
    out.mkdir()
    dialogs.save_name = str(out / "map.mmd")
    assert window.interop.export_as()
    dialogs.save_name = ""
    window.story.export_story()
    assert Path(dialogs.starts[-1]).parent == out
    focus.export()
    assert Path(dialogs.starts[-1]) == out / f"{loop.name}.png"
    # ... and where they write is where the next export starts.
    slides = tmp_path / "slides"
    slides.mkdir()
    dialogs.save_name = str(slides / "story.pdf")
    assert window.story.export_story() == [slides / "story.pdf"]
    assert Path(image_dialog_start(window, monkeypatch)).parent == slides
    dialogs.save_name = str(tmp_path / "figures" / "loop.svg")
    (tmp_path / "figures").mkdir()
    assert focus.export() == tmp_path / "figures" / "loop.svg"
    assert Path(image_dialog_start(window, monkeypatch)).parent == tmp_path / "figures"
    # A Save As while the focus window is open: its next Export… goes by the new file.
    saved = tmp_path / "saved" / "team.cld.json"
    saved.parent.mkdir()
    dialogs.save_name = str(saved)
    assert window.files.save_as()
    dialogs.save_name = ""
    focus.export()
    assert Path(dialogs.starts[-1]).name == f"team {loop.name}.png"
    focus.close()
