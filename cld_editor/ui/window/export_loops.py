"""The Export Image dialog's loops: the choices of its Highlight loop list, and the images it
writes one per loop beside the picture ("plan loops/R1.png", "plan loops/B1.png", ...), each
with its loop highlighted, as ``cld-editor export --each-loop`` does.

Before writing those images, one question covers every one of them that exists
(:mod:`.replace_files`); a failure is told in a message box. A listing of more than
:data:`MAX_LOOP_IMAGES` loops writes none (the command line refuses as many).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import cast

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QWidget

from cld_editor.analysis.lookup import listed_names
from cld_editor.analysis.loops import Loop, LoopAnalysis
from cld_editor.core.model import Diagram, canonical_loop
from cld_editor.ui.drawing import export
from cld_editor.ui.window import message_box

#: The Highlight loop list shows at most this many loops (plus the canvas's highlighted one).
MAX_LOOP_CHOICES = 300
#: At most this many images, one per loop (as ``export --each-loop``).
MAX_LOOP_IMAGES = 1_000


def fill_loop_combo(
    combo: QComboBox,
    diagram: Diagram,
    analysis: LoopAnalysis | None,
    highlighted: Loop | str | None,
) -> int:
    """None, then the first MAX_LOOP_CHOICES loops, the canvas's highlighted loop if it
    comes later (or, a Loop the listing does not hold under its name, such as one of the
    independent set beyond its limits, that loop itself), and a disabled last entry saying
    how many are not listed: a dense diagram has tens of thousands of loops, more than
    anyone scrolls through. Returns the index of the highlighted loop's entry (-1: none)."""
    combo.addItem("None", None)
    loops = analysis.loops if analysis is not None else []
    shown: list[tuple[Loop, Loop | str]] = [(x, x.name) for x in loops[:MAX_LOOP_CHOICES]]
    chosen = -1
    if highlighted is not None:
        name = highlighted.name if isinstance(highlighted, Loop) else highlighted
        if isinstance(highlighted, Loop) and analysis is not None:
            # A highlighted loop is looked up by its members: its name may have gone to
            # another loop since (a fresh analysis), and the listing's name is the one shown.
            name = listed_names(loops, frozenset([highlighted.key])).get(highlighted.key, "")
        listed = next((i for i, (x, _) in enumerate(shown) if name and x.name == name), None)
        if listed is None and analysis is not None and name:
            later = analysis.by_name(name)
            if later is not None:
                shown.append((later, later.name))
                listed = len(shown) - 1
        if isinstance(highlighted, Loop) and (
            listed is None or shown[listed][0].key != highlighted.key
        ):
            shown.append((highlighted, highlighted))  # the listing does not hold it so
            listed = len(shown) - 1
        chosen = -1 if listed is None else listed + 1
    names = {canonical_loop(b.loop): b.name for b in diagram.loop_labels if b.name}
    for loop, data in shown:
        text = f"{loop.name} ({names[loop.key]})" if loop.key in names else loop.name
        links = "link" if loop.length == 1 else "links"
        combo.addItem(f"{text}, {loop.polarity}, {loop.length} {links}", data)
    left_out = len(loops) - sum(isinstance(data, str) for _, data in shown)
    if left_out > 0:
        combo.addItem(f"… {left_out:,} more loops not listed (highlight one on the canvas)")
        cast(QStandardItemModel, combo.model()).item(combo.count() - 1).setEnabled(False)
    return chosen


def loops_folder(image: Path) -> Path:
    """Where the images of the loops go: a folder beside ``image`` named after it."""
    return image.with_name(f"{image.stem} loops")


def loop_image_paths(image: Path, analysis: LoopAnalysis) -> list[Path]:
    """The files :func:`write_loop_images` writes for ``image``, one per loop, by its name."""
    folder = loops_folder(image)
    return [folder / f"{loop.name}{image.suffix.lower()}" for loop in analysis.loops]


def why_no_loop_images(analysis: LoopAnalysis | None) -> str | None:
    """Why this analysis gives no images per loop (None: it does)."""
    if analysis is None or not analysis.loops:
        return "the diagram has no loops"
    if len(analysis.loops) > MAX_LOOP_IMAGES:
        return f"{len(analysis.loops):,} loops, more than {MAX_LOOP_IMAGES:,} images"
    return None


def write_loop_images(
    parent: QWidget | None,
    diagram: Diagram,
    analysis: LoopAnalysis,
    image: Path,
    options: export.ExportOptions,
) -> list[Path] | None:
    """Write one image per loop beside ``image`` (its type, ``options`` but each with its own
    loop highlighted); the paths, or None when it failed (after saying why)."""
    try:
        return export.export_each_loop(
            diagram,
            loops_folder(image),
            image.suffix.lower(),
            dataclasses.replace(options, loop=None),
            analysis,
        )
    except export.ExportError as exc:
        message_box.warn(parent, "Export Image", f"The loop images were not written: {exc}.")
        return None
