"""Clipboard data that survives the interpreter: every QMimeData the editor puts on the system
clipboard (a copied fragment, an exported picture) is allocated here, by Qt itself.

The clipboard keeps the data it is given and may delete it only when the process exits, after
Python has shut down; a QMimeData made in Python would then call back into the dead interpreter
from its destructor and crash the exit. An item model's ``mimeData`` returns a plain Qt object,
which is emptied and handed out to be filled.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QStandardItem, QStandardItemModel


def qt_allocated_mime_data() -> QMimeData:
    """An empty QMimeData allocated by Qt itself, not by Python (see the module text)."""
    model = QStandardItemModel()
    model.appendRow(QStandardItem())
    mime = model.mimeData([model.index(0, 0)])
    for fmt in mime.formats():
        mime.removeFormat(fmt)
    return mime
