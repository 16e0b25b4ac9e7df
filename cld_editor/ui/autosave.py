"""Autosave: a recovery copy of the open diagram while it has unsaved changes, and the dialog
that offers copies left by a session that did not end cleanly.

:class:`AutosaveController` watches one Document and its QUndoStack. While the stack is not
clean it writes the diagram to a :class:`~cld_editor.recovery.RecoveryStore` entry every
``interval`` seconds (when something changed since the last copy) and ``idle`` seconds after the
last edit; when the stack becomes clean (saved, undone back to the saved state, or cleared
because the user discarded the changes) it deletes the copy, one event-loop turn later and only
if the stack still exists, so a stack destroyed while a crash unwinds never takes the copy with
it. The controller keeps the stack only by weak reference, and the document calls it through
one: its owner (the window) keeps all three alive.
Writes are atomic and happen on the GUI thread: serialising even a 10,000-variable diagram
takes a fraction of a second, and reading the document from another thread would need locking
it. A failed write (disk full, folder gone) is logged and reported through ``failed``; it never
interrupts the user. :func:`offer_recovery` shows the orphaned copies with Restore / Discard /
Decide later.
"""

from __future__ import annotations

import contextlib
import html
import logging
import os
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import events as ev
from ..core.document import Document
from ..recovery import RecoveryEntry, RecoveryStore

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 30.0
DEFAULT_IDLE = 2.0
#: A copy that takes longer than this is logged as a warning: the GUI thread felt it.
SLOW_WRITE_SECONDS = 0.25

#: Gives (original path or None for untitled, display name) of the document, at write time.
Describe = Callable[[], tuple[str | os.PathLike[str] | None, str]]


class AutosaveController(QObject):
    """Keeps one recovery copy of ``document`` up to date while ``undo_stack`` is not clean."""

    #: A copy was written (its path).
    saved = Signal(str)
    #: A copy could not be written (the reason, one line).
    failed = Signal(str)

    def __init__(
        self,
        document: Document,
        undo_stack: QUndoStack,
        store: RecoveryStore,
        describe: Describe,
        interval: float = DEFAULT_INTERVAL,
        idle: float = DEFAULT_IDLE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        # A weak reference: when whoever owns the stack lets it go, the stack's destructor
        # clears it and emits cleanChanged; holding it here could make that happen while this
        # object is half torn down by the garbage collector (a crash in PySide6).
        self._stack_ref = weakref.ref(undo_stack)
        self.store = store
        self.describe = describe
        self.entry_id = store.new_entry_id()
        #: Seconds the last write took (None before the first), for the log and benchmarks.
        self.last_write_seconds: float | None = None
        self.writes = 0
        self._written_revision: int | None = None
        self._periodic = QTimer(self)
        self._periodic.setInterval(_ms(interval))
        self._periodic.timeout.connect(self._on_timer)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(_ms(idle))
        self._idle.timeout.connect(self._on_timer)
        self._closed = False
        undo_stack.cleanChanged.connect(self._on_clean_changed)
        # The document calls back through a weak reference, so it never keeps this object
        # alive: no reference cycle through a QObject for the garbage collector to tear down.
        self._listener = _WeakListener(self)
        document.subscribe(self._listener)
        if not undo_stack.isClean():
            self._schedule()

    @property
    def undo_stack(self) -> QUndoStack | None:
        """The watched stack, or None once it is gone (this controller does not keep it)."""
        stack = self._stack_ref()
        return stack if stack is not None and shiboken6.isValid(stack) else None

    @property
    def has_copy(self) -> bool:
        return self._written_revision is not None

    def write_now(self) -> bool:
        """Write the copy now (if the stack is not clean); False when the write failed."""
        stack = self.undo_stack
        if self._closed or stack is None or stack.isClean():
            return False
        revision = self.document.revision
        started = time.perf_counter()
        try:
            original, name = self.describe()
            entry = self.store.save(self.entry_id, self.document.diagram, original, name)
        except (OSError, ValueError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            log.warning("could not write the recovery copy: %s", reason)
            self.failed.emit(reason)
            return False
        self.last_write_seconds = time.perf_counter() - started
        self._written_revision = revision
        self.writes += 1
        level = logging.WARNING if self.last_write_seconds > SLOW_WRITE_SECONDS else logging.DEBUG
        log.log(
            level, "recovery copy written in %.3f s: %s", self.last_write_seconds, entry.data_path
        )
        self.saved.emit(str(entry.data_path))
        return True

    def discard(self) -> None:
        """Delete the copy: the user discarded the changes."""
        self._periodic.stop()
        self._idle.stop()
        try:
            self.store.remove(self.entry_id)
        except OSError as exc:
            log.warning("could not remove the recovery copy: %s", exc)
        self._written_revision = None

    def take_over(self, entry: RecoveryEntry) -> bool:
        """After the window loaded ``entry``'s diagram as a modified document: write it as this
        session's copy, then delete the orphan. The orphan stays when the write fails."""
        if not self.write_now():
            return False
        try:
            self.store.discard(entry)
        except OSError as exc:
            log.warning("could not remove the restored recovery copy: %s", exc)
        return True

    def close(self, discard: bool = False) -> None:
        """Stop watching (the window closes). The copy stays unless ``discard``."""
        if self._closed:
            return
        if discard:
            self.discard()
        self._closed = True
        self._periodic.stop()
        self._idle.stop()
        with contextlib.suppress(ValueError):
            self.document.unsubscribe(self._listener)
        stack = self.undo_stack
        if stack is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                stack.cleanChanged.disconnect(self._on_clean_changed)

    # -- reacting --------------------------------------------------------------------------
    def _on_document_event(self, event: ev.Event) -> None:
        # Events arrive before QUndoStack updates its index: the first edit after a save comes
        # while the stack is still clean, and cleanChanged(False) follows; so always schedule
        # here and let the timer check cleanliness when it fires.
        self._schedule()

    def _on_clean_changed(self, clean: bool) -> None:
        if not self._usable():
            return
        if clean:
            self._periodic.stop()
            self._idle.stop()
            # Not at once: a stack being destroyed (a crash unwinding, the program ending on an
            # error) also clears itself and turns clean, and that must not delete the copy.
            QTimer.singleShot(0, self, self._remove_if_clean)
        else:
            self._schedule()

    def _remove_if_clean(self) -> None:
        if not self._usable():
            return
        stack = self.undo_stack
        if not self._closed and stack is not None and stack.isClean():
            self.discard()

    def _schedule(self) -> None:
        if not self._usable():
            return
        self._idle.start()
        if not self._periodic.isActive():
            self._periodic.start()

    def _on_timer(self) -> None:
        if not self._usable():
            return
        stack = self.undo_stack
        if stack is None or stack.isClean():
            self._periodic.stop()
            return
        if self.document.revision != self._written_revision:
            self.write_now()

    def _usable(self) -> bool:
        """False once closed, or while the garbage collector is tearing this object down
        (its attributes are gone but Qt may still deliver a signal)."""
        return self.__dict__.get("_closed", True) is False


class _WeakListener:
    """A document listener that forwards to the controller while it exists."""

    def __init__(self, controller: AutosaveController) -> None:
        self._controller = weakref.ref(controller)

    def __call__(self, event: ev.Event) -> None:
        controller = self._controller()
        if controller is not None:
            controller._on_document_event(event)


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


# -- the recovery dialog -----------------------------------------------------------------------


Confirm = Callable[[QWidget, int], bool]


def confirm_discard(parent: QWidget, count: int) -> bool:
    """Ask before deleting recovery copies: this cannot be undone."""
    copies = "this recovery copy" if count == 1 else f"these {count} recovery copies"
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Discard recovered work",
        f"Delete {copies}? The unsaved changes in them will be lost.",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Discard


class RecoveryDialog(QDialog):
    """Lists orphaned recovery copies; ``chosen`` holds those to restore after Restore."""

    def __init__(
        self,
        store: RecoveryStore,
        entries: list[RecoveryEntry],
        parent: QWidget | None = None,
        confirm: Confirm = confirm_discard,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.confirm = confirm
        self.chosen: list[RecoveryEntry] = []
        self.setWindowTitle("Recover unsaved diagrams")
        intro = QLabel(
            "cld-editor did not close normally last time. These diagrams had unsaved changes.\n"
            "Tick the ones to restore or discard; the others are kept and offered next time."
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(["Diagram", "File", "Last saved", "Status"])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Items carry the entry's key (a str); Python objects inside QVariants are best avoided.
        self._entries = {entry.key: entry for entry in entries}
        for entry in entries:
            self.tree.addTopLevelItem(_entry_item(entry))
        self.tree.itemChanged.connect(self._update_buttons)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("Restore")
        self.discard_button = QPushButton("Discard…")
        self.later_button = QPushButton("Decide Later")
        self.restore_button.setToolTip("Open the ticked diagrams with their unsaved changes")
        self.discard_button.setToolTip("Delete the ticked recovery copies for good")
        self.later_button.setToolTip("Keep every copy; you will be asked again next time")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self.restore_ticked)
        self.discard_button.clicked.connect(self.discard_ticked)
        self.later_button.clicked.connect(self.reject)
        self.restore_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(720, 320)
        self._update_buttons()

    def ticked(self) -> list[RecoveryEntry]:
        return [
            self._entries[item.data(0, Qt.ItemDataRole.UserRole)]
            for item in self._items()
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def set_ticked(self, keys: set[str]) -> None:
        for item in self._items():
            key = item.data(0, Qt.ItemDataRole.UserRole)
            state = Qt.CheckState.Checked if key in keys else Qt.CheckState.Unchecked
            item.setCheckState(0, state)

    def restore_ticked(self) -> None:
        self.chosen = [entry for entry in self.ticked() if entry.problem is None]
        if self.chosen:
            self.accept()

    def discard_ticked(self) -> None:
        doomed = self.ticked()
        if not doomed or not self.confirm(self, len(doomed)):
            return
        keys = set()
        for entry in doomed:
            try:
                self.store.discard(entry)
                keys.add(entry.key)
            except OSError as exc:
                log.warning("could not discard recovery copy %s: %s", entry.data_path, exc)
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) in keys:
                self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        if self.tree.topLevelItemCount() == 0:
            self.accept()
        self._update_buttons()

    def _items(self) -> list[QTreeWidgetItem]:
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]

    def _update_buttons(self, *args: object) -> None:
        ticked = self.ticked()
        self.restore_button.setEnabled(any(entry.problem is None for entry in ticked))
        self.discard_button.setEnabled(bool(ticked))


def _entry_item(entry: RecoveryEntry) -> QTreeWidgetItem:
    saved = entry.saved_at.astimezone().strftime("%Y-%m-%d %H:%M") if entry.saved_at else "?"
    where = str(Path(entry.original_path).parent) if entry.original_path else "(never saved)"
    status = entry.problem or "can be restored"
    item = QTreeWidgetItem([entry.display_name, where, saved, status])
    item.setData(0, Qt.ItemDataRole.UserRole, entry.key)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    restorable = entry.problem is None
    item.setCheckState(0, Qt.CheckState.Checked if restorable else Qt.CheckState.Unchecked)
    item.setToolTip(0, _plain_tooltip(entry.original_path or "Untitled diagram"))
    item.setToolTip(3, _plain_tooltip(f"Recovery copy: {entry.data_path}"))
    return item


def _plain_tooltip(text: str) -> str:
    # Qt guesses whether a tooltip is rich text; a path like "<b>.cld.json" must show as typed.
    return f"<p style='white-space:pre'>{html.escape(text)}</p>"


def offer_recovery(
    parent: QWidget | None, store: RecoveryStore, confirm: Confirm = confirm_discard
) -> list[RecoveryEntry]:
    """At start-up: if a session that did not end cleanly left copies, ask what to do with
    them; returns the entries to restore (the caller loads them with ``store.load``). Copies
    the user neither restored nor discarded stay on disk."""
    orphans = store.orphans()
    if not orphans:
        return []
    dialog = RecoveryDialog(store, orphans, parent, confirm)
    dialog.exec()
    return dialog.chosen
