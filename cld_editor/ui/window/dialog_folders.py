"""Where the Save and Export file dialogs start.

A diagram that came from the program's bundled examples (``cld_editor/resources``), or that
has no file, is never proposed to be saved or exported beside the examples: those dialogs start
in the user's documents folder (QStandardPaths' DocumentsLocation, else the home folder). A
diagram with a file of the user's own saves beside it. Exports remember (QSettings) the folder
last exported to and the folder of the diagram's file: the next export of a diagram from that
folder starts there, and so does any export of an untitled or bundled diagram, so a user who
exported elsewhere is not sent back each time; a file of the user's elsewhere exports beside
itself.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

SETTINGS_ORGANISATION = "cld-editor"
SETTINGS_APPLICATION = "cld-editor"
EXPORT_FOLDER_KEY = "export/folder"
EXPORT_DOCUMENT_KEY = "export/last_document"


def documents_folder() -> Path:
    """The user's documents folder, or the home folder when there is none."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if location and Path(location).is_dir():
        return Path(location)
    return Path.home()


def bundled_folder() -> Path:
    """Where the program's own files (examples, archetypes) are installed."""
    return Path(str(files("cld_editor.resources")))


def is_bundled(path: Path | str | None) -> bool:
    """True for a file or folder inside the program's bundled resources."""
    if path is None:
        return False
    try:
        Path(path).resolve().relative_to(bundled_folder().resolve())
    except (ValueError, OSError):
        return False
    return True


def user_folder(*candidates: Path | str | None) -> Path:
    """The folder of the first candidate file that is the user's own (not bundled), else the
    documents folder."""
    for candidate in candidates:
        if candidate is not None and not is_bundled(candidate):
            return Path(candidate).parent
    return documents_folder()


def _settings() -> QSettings:
    return QSettings(SETTINGS_ORGANISATION, SETTINGS_APPLICATION)


def _document_key(document: Path | str | None) -> str:
    """Whose export it was: the folder of the document's file ("" for an untitled or bundled
    one), so the exports of the diagrams of one folder go where the last of them went."""
    if document is None or is_bundled(document):
        return ""
    return str(Path(document).resolve().parent)


def remember_export_folder(
    folder: Path | str, document: Path | str | None, settings: QSettings | None = None
) -> None:
    """An export of ``document`` (its file, or a file named after it beside it; None:
    untitled) was written into ``folder``."""
    if is_bundled(folder):
        return
    s = settings if settings is not None else _settings()
    s.setValue(EXPORT_FOLDER_KEY, str(folder))
    s.setValue(EXPORT_DOCUMENT_KEY, _document_key(document))


def export_folder(document: Path | str | None, settings: QSettings | None = None) -> Path:
    """Where an export of the diagram saved as ``document`` (None: untitled) starts: the folder
    its last export went to; else beside it when it is the user's file; else (untitled or
    bundled) the folder any export went to last; else the documents folder."""
    s = settings if settings is not None else _settings()
    last = str(s.value(EXPORT_FOLDER_KEY, "") or "")
    usable = bool(last) and Path(last).is_dir() and not is_bundled(last)
    mine = document is not None and not is_bundled(document)
    if usable and (not mine or str(s.value(EXPORT_DOCUMENT_KEY, "")) == _document_key(document)):
        return Path(last)
    if mine:
        return Path(document).parent  # type: ignore[arg-type]
    return documents_folder()
