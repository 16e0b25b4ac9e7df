"""The start-up question after a session that did not end cleanly: which recovery copies to
restore, which to discard, and which to keep for later.

:func:`offer_recovery` lists the orphaned entries of a :class:`~cld_editor.recovery.RecoveryStore`
(name, folder, time of the copy, and why a broken one cannot be restored). Restore returns the
ticked entries to the caller, who opens them as modified documents; Discard deletes only the
ticked ones after a confirmation; Decide Later keeps everything, to be offered again next time.
Nothing the user did not decide about is ever deleted. All text is shown as plain text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
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

from cld_editor.recovery import RecoveryEntry, RecoveryStore
from cld_editor.ui.window.message_box import plain_tooltip

log = logging.getLogger(__name__)

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
        max_restore: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.confirm = confirm
        self.max_restore = max_restore
        self.chosen: list[RecoveryEntry] = []
        self.setWindowTitle("Recover unsaved diagrams")
        text = (
            "cld-editor did not close normally last time. These diagrams had unsaved changes.\n"
            "Tick the ones to restore or discard; the others are kept and offered next time."
        )
        if max_restore == 1:
            text += "\nOne diagram can be restored now; the others stay for the next start."
        intro = QLabel(text)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(["Diagram", "File", "Last saved", "Status"])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Items carry the entry's key (a str); Python objects inside QVariants are best avoided.
        self._entries = {entry.key: entry for entry in entries}
        restorable = 0
        for entry in entries:
            # With a limit, only the first restorable copies start ticked.
            tick = entry.problem is None and (max_restore is None or restorable < max_restore)
            restorable += tick
            self.tree.addTopLevelItem(_entry_item(entry, tick))
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
        restorable = sum(entry.problem is None for entry in ticked)
        within = self.max_restore is None or restorable <= self.max_restore
        self.restore_button.setEnabled(restorable > 0 and within)
        self.discard_button.setEnabled(bool(ticked))


def _entry_item(entry: RecoveryEntry, ticked: bool) -> QTreeWidgetItem:
    saved = entry.saved_at.astimezone().strftime("%Y-%m-%d %H:%M") if entry.saved_at else "?"
    where = str(Path(entry.original_path).parent) if entry.original_path else "(never saved)"
    status = entry.problem or "can be restored"
    item = QTreeWidgetItem([entry.display_name, where, saved, status])
    item.setData(0, Qt.ItemDataRole.UserRole, entry.key)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(0, Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
    item.setToolTip(0, plain_tooltip(entry.original_path or "Untitled diagram"))
    item.setToolTip(3, plain_tooltip(f"Recovery copy: {entry.data_path}"))
    return item


def offer_recovery(
    parent: QWidget | None,
    store: RecoveryStore,
    confirm: Confirm = confirm_discard,
    max_restore: int | None = None,
) -> list[RecoveryEntry]:
    """At start-up: if a session that did not end cleanly left copies, ask what to do with
    them; returns the entries to restore (at most ``max_restore``: a window that shows one
    diagram passes 1). The caller loads them with ``store.load``. Copies the user neither
    restored nor discarded stay on disk and are offered again next time."""
    orphans = store.orphans()
    if not orphans:
        return []
    dialog = RecoveryDialog(store, orphans, parent, confirm, max_restore)
    dialog.exec()
    return dialog.chosen
