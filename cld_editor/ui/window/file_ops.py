"""File handling of the main window: New, templates, Open, Open Recent, Save, Save As, Revert.

:class:`FileController` owns the path of the open diagram and the list of recent files
(QSettings), asks before unsaved changes are discarded (Save / Discard / Cancel), and swaps
diagrams into the one Document with ``Document.replace`` after clearing the undo stack. "Modified"
is the undo stack's clean state, so the window's ``[*]`` marker and the question on close follow
undo exactly. A file that cannot be read shows a dialog naming it and the LoadError reason and
leaves the current diagram untouched; a failed save shows why and leaves the diagram modified.
Save asks before overwriting a file that changed on disk since it was opened or last saved
(another program, another window, a git checkout; compared by content), or whose path has
become a symbolic link: the controller keeps a :class:`~cld_editor.formats.stamp.FileStamp`
of what it last read or wrote. A diagram restored from a recovery copy is untitled until the
user chooses where it goes: Save acts as Save As, proposing the file it came from (the file
dialog asks before replacing a file that exists).
Templates (examples and archetypes) come from ``cld_editor.resources``
(:mod:`.template_files`). A diagram from there, or untitled, is saved into the user's documents
folder, never beside the bundled examples (:mod:`.dialog_folders`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QWidget

from cld_editor.core.document import Document
from cld_editor.core.model import Diagram
from cld_editor.core.names import shared_names_message
from cld_editor.formats.native import SUFFIX, LoadError, load_diagram, save_diagram
from cld_editor.formats.stamp import FileStamp
from cld_editor.ui.window import message_box
from cld_editor.ui.window.dialog_folders import documents_folder, is_bundled, user_folder
from cld_editor.ui.window.import_export_actions import is_native, open_filter
from cld_editor.ui.window.message_box import Button
from cld_editor.ui.window.template_files import (  # noqa: F401  (re-exported)
    DEFAULT_EXAMPLE,
    Template,
    default_example,
    examples_folder,
    templates,
)

SETTINGS_ORGANISATION = "cld-editor"
SETTINGS_APPLICATION = "cld-editor"
RECENT_KEY = "recent_files"
MAX_RECENT = 10
FILE_FILTER = f"Causal loop diagrams (*{SUFFIX});;JSON files (*.json);;All files (*)"
UNTITLED = "Untitled"


def settings() -> QSettings:
    """The application's settings (tests point QSettings at a temporary folder)."""
    return QSettings(SETTINGS_ORGANISATION, SETTINGS_APPLICATION)


def with_suffix(path: str) -> str:
    """Save As gives a name without an extension our ``.cld.json`` one."""
    return path if path.endswith(".json") else path + SUFFIX


class FileController(QObject):
    """Which file the window shows, and every way of changing that."""

    #: The path changed (Save As, Open, New): the window updates its title.
    path_changed = Signal()
    #: A whole new diagram was loaded (New, Open, Revert): fit the view, re-run analysis.
    diagram_loaded = Signal()
    recent_files_changed = Signal()
    #: The diagram was written to this file (Save, Save As, the crash dialog's save).
    saved = Signal(str)

    def __init__(self, window: QWidget, document: Document, undo_stack: QUndoStack) -> None:
        super().__init__(window)
        self.window = window
        self.document = document
        self.undo_stack = undo_stack
        self.path: Path | None = None
        #: The file as last read or written here (None: untitled, or not known).
        self.stamp: FileStamp | None = None
        #: The file an untitled restored diagram came from, or the .cld.json beside another
        #: tool's file an import came from: Save As proposes it; ``proposed_as`` says which.
        self.proposed_path: Path | None = None
        self.proposed_as = "recovered"
        #: The diagram last loaded is a new reading of the file shown before (Revert, or
        #: opening that file again): the window keeps what it shows of it (the loop filters).
        self.reloaded = False
        #: Opens another tool's file (set by the window's WindowInterop); None: only .cld.json.
        #: Opens another tool's file: (path, may the current diagram go?) -> opened.
        self.importer: Callable[[Path, Callable[[], bool]], bool] | None = None

    # -- state ---------------------------------------------------------------------------
    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def display_name(self) -> str:
        if self.path is not None:
            return self.path.name
        if self.proposed_path is not None:
            return f"{self.proposed_path.name} ({self.proposed_as})"
        return UNTITLED

    def recovery_description(self) -> tuple[Path | None, str]:
        """(path or None when untitled, name to show): what a recovery copy records; a restored
        diagram keeps naming the file it came from."""
        if self.path is None and self.proposed_path is not None:
            return self.proposed_path, self.proposed_path.name
        return self.path, self.display_name()

    def recent_files(self) -> list[str]:
        value = settings().value(RECENT_KEY, [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        return [str(item) for item in value or []]

    def add_recent(self, path: Path) -> None:
        entry = str(path.resolve())
        recent = [entry] + [p for p in self.recent_files() if p != entry]
        settings().setValue(RECENT_KEY, recent[:MAX_RECENT])
        self.recent_files_changed.emit()

    def forget_recent(self, path: Path) -> None:
        entry = str(path.resolve())
        recent = self.recent_files()
        if entry in recent:
            settings().setValue(RECENT_KEY, [p for p in recent if p != entry])
            self.recent_files_changed.emit()

    def clear_recent(self) -> None:
        settings().setValue(RECENT_KEY, [])
        self.recent_files_changed.emit()

    # -- asking --------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Before the diagram is replaced or closed: True when it may go (saved, discarded or
        unmodified), False when the user cancelled or the save failed."""
        if not self.is_modified:
            return True
        answer = message_box.ask(
            self.window,
            "Unsaved changes",
            f"Save the changes to {self.display_name()} before closing it?",
            Button.Save | Button.Discard | Button.Cancel,
            Button.Save,
        )
        if answer == Button.Save:
            return self.save()
        return answer == Button.Discard

    # -- replacing the diagram -----------------------------------------------------------
    def load_diagram(self, diagram: Diagram, path: Path | None) -> None:
        """Show ``diagram`` (not undoable; the undo stack starts again, clean)."""
        self.undo_stack.clear()
        self.document.replace(diagram)
        self.undo_stack.setClean()
        self.reloaded = path is not None and self.path is not None and _same(path, self.path)
        self.path = path
        self.proposed_path = None
        self.stamp = FileStamp.of(path) if path is not None else None
        self.path_changed.emit()
        self.diagram_loaded.emit()
        # A file's variables that share a name load as they are, but are pointed out.
        shared = shared_names_message(diagram.variables) if path is not None else None
        if shared and hasattr(self.window, "statusBar"):
            self.window.statusBar().showMessage(shared, 15000)

    def load_recovered(
        self, diagram: Diagram, original: Path | None, saved_at: float | None = None
    ) -> None:
        """Show a diagram restored from a recovery copy, as a modified, untitled document.

        The copy's ``original`` path is only a proposal: the copy may be older than the file,
        or its metadata may point anywhere, so Save asks where to save (proposing it).
        ``saved_at`` (when the copy was written) is not needed for that and is ignored.
        """
        self.load_diagram(diagram, None)
        self.propose(original, "recovered")
        self.undo_stack.resetClean()

    def propose(self, path: Path | None, why: str) -> None:
        """An untitled document's suggested file (Save As proposes it; the title bar, the save
        question and recovery name it, "(recovered)" or "(imported)")."""
        self.proposed_path, self.proposed_as = path, why
        self.path_changed.emit()

    def new_diagram(self) -> bool:
        if not self.maybe_save():
            return False
        self.load_diagram(Diagram(), None)
        return True

    def new_from_template(self, path: Path) -> bool:
        """An untitled copy of a template: saving asks for a new name."""
        if not self.maybe_save():
            return False
        diagram = self._read(path)
        if diagram is None:
            return False
        self.load_diagram(diagram, None)
        return True

    def open_dialog(self) -> bool:
        """File > Open: the file first, then (only when it was chosen and can be read) whether
        to save the changes of the diagram it replaces."""
        name, _ = QFileDialog.getOpenFileName(
            self.window, "Open diagram", self._dialog_folder(), open_filter()
        )
        return bool(name) and self.open_path(Path(name))

    def open_path(self, path: Path | str, ask: bool = True) -> bool:
        """Open a file (from a dialog, Open Recent or a drop); False when it was not opened.
        The file is read first: only a file that can be opened leads to the question whether
        to save the changes of the diagram it replaces (``ask``)."""
        path = Path(path)
        may_replace = self.maybe_save if ask else _yes
        if self.importer is not None and not is_native(path):
            if not self.importer(path, may_replace):
                return False
            self.add_recent(path)
            return True
        diagram = self._read(path)
        if diagram is None:
            if not path.exists():
                self.forget_recent(path)  # a moved or deleted file leaves Open Recent
            return False
        modified = self.is_modified
        if not may_replace():
            return False
        if modified and not self.is_modified and self.path is not None and _same(self.path, path):
            # The changes were just saved into the very file being opened: show them.
            diagram = self._read(path)
            if diagram is None:
                return False
        self.load_diagram(diagram, path)
        self.add_recent(path)
        return True

    def revert(self) -> bool:
        """Reload the file from disk, dropping unsaved changes (after asking)."""
        if self.path is None or not self.is_modified:
            return False
        answer = message_box.ask(
            self.window,
            "Revert",
            f"Discard all changes to {self.display_name()} since it was saved?",
            Button.Discard | Button.Cancel,
            Button.Cancel,
        )
        if answer != Button.Discard:
            return False
        diagram = self._read(self.path)
        if diagram is None:
            return False
        self.load_diagram(diagram, self.path)
        return True

    def _read(self, path: Path) -> Diagram | None:
        try:
            return load_diagram(path)
        except LoadError as exc:
            message_box.warn(
                self.window,
                "Cannot open diagram",
                f"{exc.where(path)}\n\n{exc}\n\nThe current diagram was left as it was.",
            )
            return None

    # -- saving --------------------------------------------------------------------------
    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        if not self._may_overwrite(self.path):
            return False
        return self._write(self.path)

    def _may_overwrite(self, path: Path) -> bool:
        """False when the file changed on disk since we read or wrote it (by content), or its
        path has become a symbolic link, and the user would rather not replace it."""
        if not os.path.lexists(path):
            return True  # gone: simply written again
        change = self.stamp.change(path) if self.stamp is not None else "content"
        if change is None or (change == "gone" and not os.path.islink(path)):
            return True
        if change == "link":
            title = "File replaced by a link"
            what = (
                f"This path is now a symbolic link to {os.path.realpath(path)}, which it was "
                "not when the diagram was opened or last saved here. Saving would write into "
                "that file."
            )
        else:
            title = "File changed on disk"
            what = (
                "This file was changed on disk since it was opened or last saved here (by "
                "another program, another window or a git checkout)."
            )
        answer = message_box.ask(
            self.window,
            title,
            f"{path}\n\n{what}\n\nSave anyway and replace it with the diagram shown here? "
            "(Cancel keeps the file; Save As… can keep both.)",
            Button.Save | Button.Cancel,
            Button.Cancel,
        )
        return answer == Button.Save

    def save_as(self) -> bool:
        # Never beside the bundled examples: a copy of one goes to the documents folder.
        named = self.path or self.proposed_path
        if named is not None and not is_bundled(named):
            suggested = named
        else:
            name = named.name if named is not None else _file_name_for(self.document.title)
            suggested = documents_folder() / name
        name, _ = QFileDialog.getSaveFileName(
            self.window, "Save diagram as", str(suggested), FILE_FILTER
        )
        if not name:
            return False
        path = Path(with_suffix(name))
        if not self._write(path):
            return False
        if path != self.path or self.proposed_path is not None:
            self.path = path
            self.proposed_path = None
            self.path_changed.emit()
        return True

    def _write(self, path: Path) -> bool:
        try:
            save_diagram(self.document.diagram, path)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            message_box.fail(
                self.window,
                "Cannot save diagram",
                f"{path}\n\n{reason}\n\nThe diagram is still open and unsaved.",
            )
            return False
        self.stamp = FileStamp.of(path)
        self.undo_stack.setClean()
        self.add_recent(path)
        self.saved.emit(str(path))
        return True

    def _dialog_folder(self) -> str:
        """Where Open starts: beside the diagram's file, else beside the last file opened, else
        the documents folder (never among the bundled examples)."""
        recent = self.recent_files()
        return str(user_folder(self.path, self.proposed_path, recent[0] if recent else None))


def _yes() -> bool:
    return True


def _same(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _file_name_for(title: str) -> str:
    """A file name from a diagram title: "Service profit chain" -> service-profit-chain.cld.json."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in title).split()
    return ("-".join(words)[:60] or "diagram") + SUFFIX
