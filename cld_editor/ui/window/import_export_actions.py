"""Other tools' files in the editor: opening them (File > Open, Open Recent, drag and drop) and
File > Export As… into every format :mod:`cld_editor.formats.registry` writes.

An imported file (Vensim, XMILE/Stella, Kumu, LOOPY) opens as an untitled, modified document,
so Save asks where to put its ``.cld.json`` and the original is never overwritten in our
format, and a summary says what the import changed (shown without blocking the window). Export
As… works out the file first and, when the format cannot hold everything, lists the losses and
asks before it writes (atomically), starting in the folder last exported to
(:mod:`.dialog_folders`). The file controller calls :meth:`WindowInterop.open_path`
for any file that is not a native diagram.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from cld_editor.core.model import stem_of_file_name
from cld_editor.core.names import shared_names_message
from cld_editor.core.text import file_stem
from cld_editor.formats.atomic import atomic_write
from cld_editor.formats.conversion import ConversionReport
from cld_editor.formats.native import LoadError
from cld_editor.formats.registry import (
    BY_NAME,
    READABLE,
    WRITABLE,
    export_bytes,
    format_for_path,
    read_diagram,
    title_for,
)
from cld_editor.ui.window import message_box
from cld_editor.ui.window.dialog_folders import export_folder, remember_export_folder
from cld_editor.ui.window.message_box import Button

#: Every extension a file can be opened or dropped with.
READABLE_SUFFIXES = (*(e for f in READABLE for e in f.extensions), ".json")
EXPORT_FORMATS = tuple(f for f in WRITABLE if f.name != "cld")


def open_filter() -> str:
    """The Open dialog's filters: every readable file first, then each format."""
    every = " ".join(f"*{e}" for e in READABLE_SUFFIXES)
    parts = [f"Diagrams and models ({every})"] + [f.filter for f in READABLE]
    return ";;".join([*parts, "All files (*)"])


def is_native(path: Path) -> bool:
    """Whether ``path`` is a cld-editor diagram (a plain ``.json`` is looked into)."""
    fmt = format_for_path(path)
    if fmt is not None:
        return fmt.name == "cld"
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return True  # the native reader says what is wrong with it
    return not (b'"elements"' in head or b'"connections"' in head) or b'"format"' in head


class WindowInterop(QObject):
    """The window's import and Export As… (created once by the main window)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.files = window.files  # type: ignore[attr-defined]
        self.files.importer = self.open_path
        #: The last import summary shown (kept so it is not collected while open).
        self.summary_box: QMessageBox | None = None
        self.export_as_action = QAction("Export &As…", window)
        self.export_as_action.setObjectName("export_as")
        self.export_as_action.setStatusTip(
            "Write the diagram for another tool: Vensim, XMILE/Stella, Kumu, LOOPY, GraphML, "
            "DOT, Mermaid or draw.io"
        )
        self.export_as_action.triggered.connect(self.export_as)
        self._add_to_file_menu()

    def _add_to_file_menu(self) -> None:
        actions = getattr(self.window, "actions", None)
        anchor = getattr(actions, "export_report", None)
        if anchor is None:
            return
        for menu in anchor.associatedObjects():
            if hasattr(menu, "insertAction") and hasattr(menu, "title"):
                following = _action_after(menu, anchor)
                if following is None:
                    menu.addAction(self.export_as_action)
                else:
                    menu.insertAction(following, self.export_as_action)

    # -- import ---------------------------------------------------------------------------
    def open_path(self, path: Path, may_replace: Callable[[], bool] | None = None) -> bool:
        """Import ``path`` as an untitled, modified document; False when it was not opened.
        ``may_replace`` (asked once the file is read) says whether the current diagram may go
        (the question whether to save its changes)."""
        try:
            diagram, report = read_diagram(path)
        except LoadError as exc:
            where = exc.where(path)
            message_box.warn(
                self.window,
                "Cannot open file",
                f"{where}\n\n{exc}\n\nThe current diagram was left as it was.",
            )
            return False
        if may_replace is not None and not may_replace():
            return False
        self.show_imported(diagram, path, report)
        return True

    def show_imported(self, diagram, path: Path, report: ConversionReport) -> None:
        """Show a diagram read from another tool's file: untitled, modified, summarised."""
        self.files.load_diagram(diagram, None)
        self.files.undo_stack.resetClean()  # modified: nothing of it is saved as .cld.json yet
        # Save As proposes SIR.cld.json beside SIR.mdl; the title bar says "(imported)".
        self.files.propose(path.with_name(title_for(path) + ".cld.json"), "imported")
        self.show_import_summary(path, report)
        shared = shared_names_message(diagram.variables)  # loaded as they are, but pointed out
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            text = f"Imported {path.name}" + (f". {shared}" if shared else "")
            status().showMessage(text, 15000 if shared else 5000)

    def show_import_summary(self, path: Path, report: ConversionReport) -> None:
        fmt = BY_NAME[report.format].title
        text = (
            f"{path.name} was read as {_a(fmt)}.\n\n{report.summary()}\n\n"
            "The diagram is untitled: Save asks where to keep it as a .cld.json file."
        )
        box = QMessageBox(
            QMessageBox.Icon.Information, "Imported " + path.name, text, Button.Ok, self.window
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("import_summary")
        box.open()  # window-modal, without blocking: the diagram is already there to see
        self.summary_box = box

    # -- export ---------------------------------------------------------------------------
    def export_as(self) -> bool:
        diagram = self.files.document.diagram
        named = self.files.path or self.files.proposed_path
        folder = export_folder(named)
        stem = stem_of_file_name(named) if named else file_stem(diagram.title)
        filters = ";;".join(f.filter for f in EXPORT_FORMATS)
        name, chosen = QFileDialog.getSaveFileName(
            self.window, "Export As", str(Path(folder) / stem), filters
        )
        if not name:
            return False
        fmt = next((f for f in EXPORT_FORMATS if f.filter == chosen), None)
        path = Path(name)
        typed = format_for_path(path)
        if typed in EXPORT_FORMATS:
            fmt = typed  # a name typed with a format's extension ("map.mmd") says the format
        elif fmt is None:
            fmt = typed
        else:
            path = path.with_name(path.name + fmt.extensions[0])
        if fmt is None or fmt.name == "cld":
            message_box.warn(
                self.window,
                "Export As",
                f"{path.name}: choose a format, or a name ending in one of "
                + ", ".join(e for f in EXPORT_FORMATS for e in f.extensions),
            )
            return False
        try:
            report, data = export_bytes(diagram, path, fmt.name)
        except LoadError as exc:
            message_box.warn(self.window, "Export As", f"{path}\n\n{exc}")
            return False
        if not report.empty:
            answer = message_box.ask(
                self.window,
                f"Export as {fmt.title}",
                f"Writing {path.name} as {_a(fmt.title)}:\n\n{report.summary()}\n\nExport anyway?",
                Button.Save | Button.Cancel,
                Button.Save,
            )
            if answer != Button.Save:
                return False
        try:
            atomic_write(path, data)
        except OSError as exc:
            message_box.fail(self.window, "Export As", f"{path}\n\n{exc.strerror or exc}")
            return False
        remember_export_folder(path.parent, named)
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            status().showMessage(f"Exported {path.name}", 5000)
        return True


def _a(title: str) -> str:
    """A format's title with its article: "a Vensim model", "an XMILE / Stella model"."""
    return f"{'an' if title[:1].upper() in 'AEIOUX' else 'a'} {title}"


def _action_after(menu, anchor: QAction) -> QAction | None:
    actions = menu.actions()
    for i, action in enumerate(actions):
        if action is anchor:
            return actions[i + 1] if i + 1 < len(actions) else None
    return None
