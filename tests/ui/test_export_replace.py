"""Export Image asks before it replaces a file, as Save, Export Report and Export Story do (their
file dialogs ask): the typed or suggested name, and the images of the loops written with it
(one question for the batch, saying how many exist)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from window_helpers import Dialogs, open_window, use_temp_settings

from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.window import export_dialog
from cld_editor.ui.window.export_dialog import ExportImageDialog
from cld_editor.ui.window.export_loops import MAX_LOOP_IMAGES, loop_image_paths
from cld_editor.ui.window.replace_files import may_replace, replace_question

Button = QMessageBox.StandardButton


def two_loops() -> Diagram:
    """R1: a -> b -> a; B1: a -> c -> a (one -)."""
    variables = [
        Variable(id="a", label="Engagement", x=0, y=0),
        Variable(id="b", label="Service", x=200, y=0),
        Variable(id="c", label="Workload", x=0, y=200),
    ]
    links = [
        Link(id="ab", source="a", target="b"),
        Link(id="ba", source="b", target="a"),
        Link(id="ac", source="a", target="c"),
        Link(id="ca", source="c", target="a", polarity="-"),
    ]
    return Diagram(title="Two loops", variables=variables, links=links)


class Asked:
    """Stands in for the question box: records the questions, gives ``answer``."""

    def __init__(self, monkeypatch, answer: Button) -> None:
        self.answer = answer
        self.questions: list[tuple[str, str]] = []
        monkeypatch.setattr("cld_editor.ui.window.message_box.ask", self.ask)
        self.warnings: list[str] = []
        monkeypatch.setattr(
            "cld_editor.ui.window.message_box.warn",
            lambda parent, title, text: self.warnings.append(text),
        )

    def ask(self, parent, title, text, buttons, default) -> Button:
        assert buttons == Button.Yes | Button.No and default == Button.No
        self.questions.append((title, text))
        return self.answer


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def dialog(qtbot, tmp_path, settings):
    diagram = two_loops()
    dialog = ExportImageDialog(diagram, find_loops(diagram), settings=settings)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "ex-cx.png"))
    return dialog


# -- the question --------------------------------------------------------------------------
def test_the_question_for_one_file_reads_as_the_file_dialogs(tmp_path):
    question = replace_question([tmp_path / "ex-cx.png"], 1)
    assert question == "ex-cx.png already exists.\nDo you want to replace it?"


def test_one_question_for_a_batch_says_how_many_exist(tmp_path):
    folder = tmp_path / "plan loops"
    some = [folder / "R1.png", folder / "B1.png"]
    assert replace_question(some, 5) == (
        f"2 of the 5 files already exist in {folder}: R1.png, B1.png.\nDo you want to replace them?"
    )
    assert replace_question(some[:1], 5).startswith("1 of the 5 files already exists in")
    many = [folder / f"R{i}.png" for i in range(1, 9)]
    text = replace_question(many, 8)
    assert text.startswith(f"All 8 files already exist in {folder}: R1.png, R2.png,")
    assert "R5.png and 3 more." in text and "R6.png" not in text
    mixed = replace_question([tmp_path / "plan.png", folder / "R1.png"], 3)
    assert mixed == (
        "2 of the 3 files already exist: plan.png, R1.png.\nDo you want to replace them?"
    )


def test_nothing_there_nothing_asked(tmp_path, monkeypatch):
    asked = Asked(monkeypatch, Button.No)
    (tmp_path / "folder.png").mkdir()  # a folder is not replaced: writing over it fails
    assert may_replace(None, "Export Image", [tmp_path / "new.png", tmp_path / "folder.png"])
    assert asked.questions == []


# -- the dialog ------------------------------------------------------------------------------
def test_an_existing_file_is_replaced_only_when_the_user_says_yes(dialog, tmp_path, monkeypatch):
    out = tmp_path / "ex-cx.png"
    out.write_bytes(b"kept")
    asked = Asked(monkeypatch, Button.No)
    assert not dialog.export()
    assert out.read_bytes() == b"kept" and dialog.written is None
    assert asked.questions == [
        ("Export Image", "ex-cx.png already exists.\nDo you want to replace it?")
    ]
    asked.answer = Button.Yes
    assert dialog.export()
    assert out.read_bytes().startswith(b"\x89PNG") and dialog.written == out


def test_a_new_file_is_written_without_a_question(dialog, tmp_path, monkeypatch):
    asked = Asked(monkeypatch, Button.No)
    assert dialog.export()
    assert (tmp_path / "ex-cx.png").is_file() and asked.questions == []


def test_a_file_chosen_with_browse_is_not_asked_about_twice(dialog, tmp_path, monkeypatch):
    chosen = tmp_path / "chosen.svg"
    chosen.write_text("old")
    asked = Asked(monkeypatch, Button.No)
    # The file dialog asked already (Qt's own question) and the user said yes.
    monkeypatch.setattr(
        export_dialog.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(chosen), "SVG vector image (*.svg)")),
    )
    dialog._browse()
    assert dialog.export() and asked.questions == []
    assert chosen.read_text().lstrip().startswith("<?xml")
    dialog.path_edit.setText(str(tmp_path / "ex-cx.png"))  # typed after: asked again
    (tmp_path / "ex-cx.png").write_bytes(b"kept")
    assert not dialog.export() and len(asked.questions) == 1


def test_a_name_browse_gave_an_extension_to_is_asked_about(dialog, tmp_path, monkeypatch):
    (tmp_path / "plan.pdf").write_bytes(b"kept")
    asked = Asked(monkeypatch, Button.No)
    monkeypatch.setattr(
        export_dialog.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(tmp_path / "plan"), "PDF document (*.pdf)")),
    )
    dialog._browse()
    assert dialog.path() == tmp_path / "plan.pdf"
    assert not dialog.export() and (tmp_path / "plan.pdf").read_bytes() == b"kept"
    assert asked.questions[0][1].startswith("plan.pdf already exists.")


# -- one image per loop ----------------------------------------------------------------------
def test_one_image_per_loop_beside_the_image(dialog, tmp_path, monkeypatch):
    asked = Asked(monkeypatch, Button.No)
    assert dialog.each_loop_check.isEnabled()
    assert "ex-cx loops" in dialog.each_loop_check.text()
    dialog.each_loop_check.setChecked(True)
    assert dialog.export() and asked.questions == []
    folder = tmp_path / "ex-cx loops"
    assert sorted(p.name for p in folder.iterdir()) == ["B1.png", "R1.png"]
    assert dialog.loop_images == [folder / "R1.png", folder / "B1.png"]


def test_one_question_for_the_image_and_its_loops(dialog, tmp_path, monkeypatch):
    folder = tmp_path / "ex-cx loops"
    folder.mkdir()
    (folder / "B1.png").write_bytes(b"kept")
    asked = Asked(monkeypatch, Button.No)
    dialog.each_loop_check.setChecked(True)
    assert not dialog.export()
    assert asked.questions == [
        (
            "Export Image",
            f"1 of the 3 files already exists in {folder}: B1.png.\nDo you want to replace it?",
        )
    ]
    assert (folder / "B1.png").read_bytes() == b"kept"
    assert not (tmp_path / "ex-cx.png").exists() and not (folder / "R1.png").exists()
    asked.answer = Button.Yes
    assert dialog.export()
    assert (folder / "B1.png").read_bytes().startswith(b"\x89PNG")
    assert asked.questions[-1][1].startswith("1 of the 3 files")
    # Once more: all three are there now, one question for them all.
    assert dialog.export()
    assert asked.questions[-1][1].startswith("All 3 files already exist: ex-cx.png, R1.png")


def test_no_images_per_loop_without_loops_or_beyond_the_limit(qtbot, settings, monkeypatch):
    diagram = Diagram(title="Line", variables=[Variable(id="a", label="A", x=0, y=0)])
    none = ExportImageDialog(diagram, find_loops(diagram), settings=settings)
    qtbot.addWidget(none)
    assert not none.each_loop_check.isEnabled()
    assert "no loops" in none.each_loop_check.text()
    monkeypatch.setattr("cld_editor.ui.window.export_loops.MAX_LOOP_IMAGES", 1)
    many = ExportImageDialog(two_loops(), find_loops(two_loops()), settings=settings)
    qtbot.addWidget(many)
    assert not many.each_loop_check.isEnabled()
    assert "2 loops, more than 1 images" in many.each_loop_check.text()
    assert MAX_LOOP_IMAGES == 1_000  # as many as the command line's --each-loop writes


def test_the_loop_images_are_named_as_the_command_line_names_them(tmp_path):
    analysis = find_loops(two_loops())
    paths = loop_image_paths(tmp_path / "plan.SVG", analysis)
    assert paths == [tmp_path / "plan loops" / "R1.svg", tmp_path / "plan loops" / "B1.svg"]


# -- in the window ----------------------------------------------------------------------------
@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    dialogs = Dialogs().install(monkeypatch)
    window = open_window(qtbot)
    window.dialogs = dialogs
    yield window
    window.shutdown()


def test_ctrl_e_then_enter_asks_before_replacing_the_last_export(window, monkeypatch, tmp_path):
    out = tmp_path / "ex-cx.png"
    runs: list[ExportImageDialog] = []

    def exec_(dialog: ExportImageDialog) -> int:
        runs.append(dialog)
        dialog.show()
        dialog.path_edit.setText(str(out))
        dialog.each_loop_check.setChecked(len(runs) == 1)
        QTest.keyClick(dialog.path_edit, Qt.Key.Key_Return)  # Export is the default button
        return 0

    monkeypatch.setattr(ExportImageDialog, "exec", exec_)
    window.actions.export_image.trigger()
    loops = len(window.loops_panel.analysis.loops)
    assert window.statusBar().currentMessage() == (
        f"Exported {out} and {loops} loop images in ex-cx loops"
    )
    written = out.read_bytes()
    window.dialogs.answer = Button.No
    window.actions.export_image.trigger()  # the same name again
    assert runs[1].isVisible() and runs[1].written is None  # still open: choose another name
    kinds = [(kind, text) for kind, _, text in window.dialogs.shown]
    assert kinds == [("question", "ex-cx.png already exists.\nDo you want to replace it?")]
    assert out.read_bytes() == written
    runs[1].reject()


def test_a_listing_stopped_at_a_limit_says_its_images_are_of_the_loops_found(qtbot, settings):
    stopped = find_loops(two_loops(), Budget(max_loops=1))
    assert not stopped.complete and len(stopped.loops) == 1
    dialog = ExportImageDialog(two_loops(), stopped, settings=settings)
    qtbot.addWidget(dialog)
    assert dialog.each_loop_check.text().startswith("Also one image per loop found, in “")
    whole = ExportImageDialog(two_loops(), find_loops(two_loops()), settings=settings)
    qtbot.addWidget(whole)
    assert whole.each_loop_check.text().startswith("Also one image per loop, in “")
