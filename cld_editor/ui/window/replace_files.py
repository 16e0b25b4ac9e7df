"""Asking before files that exist are replaced, for exports whose file name is not chosen in a
file dialog (which asks by itself): the Export Image dialog's typed or suggested name, and the
images it writes one per loop.

The question reads as the file dialog's does ("x.png already exists. Do you want to replace
it?", Yes or No, No the default), so Save, Export Report, Export Story and Export Image all ask
alike; a batch of files gets one question that says how many of them exist.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QWidget

from cld_editor.ui.window import message_box
from cld_editor.ui.window.message_box import Button

#: A batch question names at most this many of the files that exist.
NAMED_AT_MOST = 5


def existing(paths: Sequence[Path]) -> list[Path]:
    """Those of ``paths`` that a write would replace: files and links, not folders (writing
    over a folder fails, and says so)."""
    return [p for p in paths if os.path.lexists(p) and not os.path.isdir(p)]


def replace_question(paths: Sequence[Path], total: int) -> str:
    """The question for ``paths`` that exist, of ``total`` files to be written."""
    if total == 1 and len(paths) == 1:
        return f"{paths[0].name} already exists.\nDo you want to replace it?"
    names = ", ".join(p.name for p in paths[:NAMED_AT_MOST])
    if len(paths) > NAMED_AT_MOST:
        names += f" and {len(paths) - NAMED_AT_MOST:,} more"
    folders = {p.parent for p in paths}
    where = f" in {next(iter(folders))}" if len(folders) == 1 else ""
    if len(paths) == total:
        count = f"All {total:,} files already exist"
    else:
        verb = "exists" if len(paths) == 1 else "exist"
        count = f"{len(paths):,} of the {total:,} files already {verb}"
    it = "it" if len(paths) == 1 else "them"
    return f"{count}{where}: {names}.\nDo you want to replace {it}?"


def may_replace(parent: QWidget | None, title: str, paths: Sequence[Path]) -> bool:
    """True when none of ``paths`` exists, or the user agrees to replace those that do (one
    question for them all)."""
    there = existing(paths)
    if not there:
        return True
    answer = message_box.ask(
        parent, title, replace_question(there, len(paths)), Button.Yes | Button.No, Button.No
    )
    return answer == Button.Yes
