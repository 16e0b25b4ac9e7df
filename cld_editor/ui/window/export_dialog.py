"""File > Export Image…: the dialog in front of :mod:`cld_editor.ui.drawing.export`.

:class:`ExportImageDialog` asks where to write (the type follows the file's extension: PNG, SVG
or PDF) and how: PNG scale or DPI, white or transparent background, title, legend, one loop
highlighted (the canvas's highlighted loop is preselected), only the selection, PDF page. It
remembers the choices in QSettings (group ``export``) for next time, and the folder written to
(:mod:`.dialog_folders`), asks before it replaces a file (:mod:`.replace_files`), shows errors
in a message box and stays open so the user can fix them. The menu actions that open it, and
Export Report… and Copy Image, are in :mod:`cld_editor.ui.window.export_actions`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, QSizeF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cld_editor.analysis.loops import Loop, LoopAnalysis
from cld_editor.core.model import Diagram
from cld_editor.core.text import file_stem
from cld_editor.ui.drawing import export
from cld_editor.ui.window import message_box
from cld_editor.ui.window.dialog_folders import export_folder, remember_export_folder
from cld_editor.ui.window.export_loops import (
    MAX_LOOP_CHOICES,  # noqa: F401  (the Highlight loop list's length, named here too)
    fill_loop_combo,
    loop_image_paths,
    loops_folder,
    why_no_loop_images,
    write_loop_images,
)
from cld_editor.ui.window.export_scale import WARNING_COLOUR, PngScale, pixels_text
from cld_editor.ui.window.file_ops import settings as app_settings
from cld_editor.ui.window.replace_files import may_replace

FORMAT_NAMES = {".png": "PNG image", ".svg": "SVG vector image", ".pdf": "PDF document"}
IMAGE_FILTER = ";;".join(f"{name} (*{suffix})" for suffix, name in FORMAT_NAMES.items())
SETTINGS_GROUP = "export"


def _bool(value: object, default: bool) -> bool:
    # QSettings gives back "true"/"false" strings from ini files.
    if value is None:
        return default
    return value in (True, "true", "1", 1)


class ExportImageDialog(QDialog):
    def __init__(
        self,
        diagram: Diagram,
        analysis: LoopAnalysis | None,
        *,
        selected_ids: Sequence[str] = (),
        highlighted_loop: Loop | str | None = None,
        suggested_path: str | Path | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Image")
        self.diagram = diagram
        self.analysis = analysis
        self.selected_ids = tuple(selected_ids)
        self.written: Path | None = None
        #: The images of the loops written with it (One image per loop).
        self.loop_images: list[Path] = []
        #: The file chosen with Browse, whose file dialog asked already whether to replace it.
        self._confirmed: Path | None = None
        self._settings = settings if settings is not None else app_settings()
        # Picture sizes by (title, legend, selection): laying out a large diagram takes a
        # noticeable moment, and the size only depends on these.
        self._sizes: dict[tuple[bool, bool, bool, str | None], tuple[float, float] | str] = {}
        self._ready = False
        self._build(highlighted_loop)
        self._restore(suggested_path)
        self._ready = True
        self._sync()

    # -- building ----------------------------------------------------------------------------
    def _build(self, highlighted_loop: Loop | str | None) -> None:
        form = QFormLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setMinimumWidth(340)
        browse = QPushButton("Browse…")
        browse.setToolTip("Choose the file to write")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow("File:", row)
        self.format_combo = QComboBox()
        for suffix, name in FORMAT_NAMES.items():
            self.format_combo.addItem(name, suffix)
        self.format_combo.setToolTip("The type of image; it follows the file's extension")
        form.addRow("Type:", self.format_combo)

        self.scale_radio = QRadioButton("Scale")
        self.dpi_radio = QRadioButton("Resolution")
        # The automatic scale, or the one the user set (:mod:`.export_scale`).
        self.png_scale = PngScale(self)
        self.scale_spin = self.png_scale.spin
        self.auto_scale_button = self.png_scale.auto_button
        self.dpi_spin = QSpinBox()
        self.dpi_spin.setRange(24, 1200)
        self.dpi_spin.setSingleStep(24)
        self.dpi_spin.setSuffix(" dpi")
        self.dpi_spin.setToolTip("The PNG's resolution: 96 dpi is scale 1 ×")
        sizes = QButtonGroup(self)
        sizes.addButton(self.scale_radio)
        sizes.addButton(self.dpi_radio)
        size_row = QHBoxLayout()
        for widget in (
            self.scale_radio,
            self.scale_spin,
            self.auto_scale_button,
            self.dpi_radio,
            self.dpi_spin,
        ):
            size_row.addWidget(widget)
        size_row.addStretch(1)
        form.addRow("PNG size:", size_row)
        self.pixels_label = QLabel()
        self.pixels_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.pixels_label)

        self.white_radio = QRadioButton("White")
        self.transparent_radio = QRadioButton("Transparent")
        self.transparent_radio.setToolTip("No background: for slides with their own colour")
        backgrounds = QButtonGroup(self)
        backgrounds.addButton(self.white_radio)
        backgrounds.addButton(self.transparent_radio)
        background_row = QHBoxLayout()
        background_row.addWidget(self.white_radio)
        background_row.addWidget(self.transparent_radio)
        background_row.addStretch(1)
        form.addRow("Background:", background_row)

        self.title_check = QCheckBox("Title")
        self.legend_check = QCheckBox("Legend of the symbols used")
        count = len(self.selected_ids)
        self.selection_check = QCheckBox(
            f"Only the selection ({count} variable{'s' if count != 1 else ''})"
            if count
            else "Only the selection (nothing selected)"
        )
        self.selection_check.setEnabled(bool(count))
        self.selection_check.setToolTip("The selected variables and the links among them")
        form.addRow("Include:", self.title_check)
        form.addRow("", self.legend_check)
        form.addRow("", self.selection_check)

        self.loop_combo = QComboBox()
        chosen = fill_loop_combo(self.loop_combo, self.diagram, self.analysis, highlighted_loop)
        self.loop_combo.setCurrentIndex(max(chosen, 0))
        self.loop_combo.setToolTip("Draw this loop strongly and dim everything else")
        form.addRow("Highlight loop:", self.loop_combo)
        self.each_loop_check = QCheckBox()
        self.each_loop_check.setEnabled(why_no_loop_images(self.analysis) is None)
        form.addRow("", self.each_loop_check)

        self.page_combo = QComboBox()
        self.page_combo.addItem("Sized to the diagram", "fit")
        self.page_combo.addItem("A4 landscape", "a4")
        form.addRow("PDF page:", self.page_combo)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        copy = buttons.addButton("Copy to Clipboard", QDialogButtonBox.ButtonRole.ActionRole)
        copy.setToolTip("Copy the picture (bitmap and SVG) instead of writing a file")
        copy.clicked.connect(self.copy_to_clipboard)
        buttons.accepted.connect(self._export_and_close)
        buttons.rejected.connect(self.reject)
        self.export_button = buttons.button(QDialogButtonBox.StandardButton.Ok)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

        self.path_edit.textChanged.connect(self._path_changed)
        self.format_combo.currentIndexChanged.connect(self._format_chosen)
        self.png_scale.changed.connect(self._sync)
        for signal in (
            self.scale_radio.toggled,
            self.dpi_spin.valueChanged,
            self.title_check.toggled,
            self.legend_check.toggled,
            self.selection_check.toggled,
            self.loop_combo.currentIndexChanged,
        ):
            signal.connect(self._sync)

    # -- settings ----------------------------------------------------------------------------
    def _restore(self, suggested_path: str | Path | None) -> None:
        s = self._settings
        s.beginGroup(SETTINGS_GROUP)
        try:
            self.png_scale.restore(s.value("scale"), s.value("scale_chosen"))
            self.dpi_spin.setValue(int(s.value("dpi", 300)))
            (self.dpi_radio if _bool(s.value("use_dpi"), False) else self.scale_radio).setChecked(
                True
            )
            transparent = _bool(s.value("transparent"), False)
            (self.transparent_radio if transparent else self.white_radio).setChecked(True)
            self.title_check.setChecked(_bool(s.value("title"), False))
            self.legend_check.setChecked(_bool(s.value("legend"), False))
            self.page_combo.setCurrentIndex(max(self.page_combo.findData(s.value("page")), 0))
            suffix = str(s.value("suffix", ".png"))
        finally:
            s.endGroup()
        if suffix not in FORMAT_NAMES:
            suffix = ".png"
        # The suggested name is beside the diagram's file; the folder is where its exports
        # went last (never the bundled examples: see dialog_folders).
        self._document = Path(suggested_path) if suggested_path is not None else None
        if self._document is not None:
            name = self._document.name
            if self._document.suffix.lower() not in FORMAT_NAMES:
                name = self._document.with_suffix(suffix).name
        else:
            name = f"{file_stem(self.diagram.title)}{suffix}"
        self.path_edit.setText(str(export_folder(self._document, s) / name))

    def _save_settings(self) -> None:
        s = self._settings
        s.beginGroup(SETTINGS_GROUP)
        try:
            self.png_scale.save(s)
            s.setValue("dpi", self.dpi_spin.value())
            s.setValue("use_dpi", self.dpi_radio.isChecked())
            s.setValue("transparent", self.transparent_radio.isChecked())
            s.setValue("title", self.title_check.isChecked())
            s.setValue("legend", self.legend_check.isChecked())
            s.setValue("page", self.page_combo.currentData())
            s.setValue("suffix", self.suffix())
        finally:
            s.endGroup()

    # -- state -------------------------------------------------------------------------------
    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def suffix(self) -> str:
        return str(self.format_combo.currentData())

    def options(self) -> export.ExportOptions:
        use_dpi = self.dpi_radio.isChecked()
        only = self.selected_ids if self.selection_check.isChecked() else None
        return export.ExportOptions(
            scale=self.scale_spin.value(),
            dpi=float(self.dpi_spin.value()) if use_dpi else None,
            transparent=self.transparent_radio.isChecked() and self.suffix() != ".pdf",
            title=self.title_check.isChecked(),
            legend=self.legend_check.isChecked(),
            loop=self.loop_combo.currentData(),
            only=frozenset(only) if only is not None else None,
            page=self.page_combo.currentData() if self.suffix() == ".pdf" else "fit",
        )

    def _path_changed(self, text: str) -> None:
        index = self.format_combo.findData(Path(text.strip()).suffix.lower())
        if index >= 0 and index != self.format_combo.currentIndex():
            self.format_combo.setCurrentIndex(index)
        self._sync()

    def _format_chosen(self) -> None:
        path = self.path()
        if path.suffix.lower() != self.suffix() and self.path_edit.text().strip():
            self.path_edit.setText(str(path.with_suffix(self.suffix())))
        self._sync()

    def _sync(self) -> None:
        if not self._ready:
            return
        png = self.suffix() == ".png"
        for widget in (self.scale_radio, self.dpi_radio, self.pixels_label):
            widget.setEnabled(png)
        if png:
            self.png_scale.show_auto(self._picture_size())
        self.png_scale.set_enabled(png and self.scale_radio.isChecked())
        self.dpi_spin.setEnabled(png and self.dpi_radio.isChecked())
        self.transparent_radio.setEnabled(self.suffix() != ".pdf")
        self.page_combo.setEnabled(self.suffix() == ".pdf")
        self.pixels_label.setText(self._pixels_text() if png else "")
        why_not = why_no_loop_images(self.analysis)
        folder = loops_folder(self.path()).name
        # A listing a limit stopped gives images of the loops it found only.
        found = "" if self.analysis is None or self.analysis.complete else " found"
        self.each_loop_check.setText(
            f"Also one image per loop ({why_not})"
            if why_not
            else f"Also one image per loop{found}, in “{folder}”"
        )
        tip = f"R1, B1, …: each loop highlighted, in the folder “{folder}” beside the image"
        self.each_loop_check.setToolTip(
            f"No images per loop: {why_not}" if why_not else message_box.plain_tooltip(tip)
        )

    def _picture_size(self) -> tuple[float, float] | str:
        """The picture's size in scene units for the options as they are (or why none)."""
        options = self.options()
        # A highlighted loop changes the size only through the line naming it under a title.
        loop = options.loop if options.title else None
        key = (options.title, options.legend, options.only is not None, loop)
        if key not in self._sizes:
            try:
                sized = dataclasses.replace(options, loop=loop)
                size = export.make_picture(self.diagram, self.analysis, sized).size
                self._sizes[key] = (size.width(), size.height())
            except export.ExportError as exc:
                self._sizes[key] = str(exc)
        return self._sizes[key]

    def _pixels_text(self) -> str:
        """The PNG's size, in the warning colour when it passes what viewers open."""
        size = self._picture_size()
        if isinstance(size, str):
            self.pixels_label.setStyleSheet("")
            return size
        scale = self.options().pixel_scale(QSizeF(*size))
        auto = not self.png_scale.chosen and self.scale_radio.isChecked()
        text, warning = pixels_text(
            math.ceil(size[0] * scale),
            math.ceil(size[1] * scale),
            lowered=auto and scale < export.DEFAULT_SCALE,
        )
        self.pixels_label.setStyleSheet(f"color: {WARNING_COLOUR}" if warning else "")
        return text

    # -- actions -----------------------------------------------------------------------------
    def _browse(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(
            self,
            "Export Image",
            str(self.path()),
            IMAGE_FILTER,
            f"{FORMAT_NAMES[self.suffix()]} (*{self.suffix()})",
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in FORMAT_NAMES:
            wanted = next((s for s, n in FORMAT_NAMES.items() if chosen.startswith(n)), ".png")
            path = path.with_suffix(wanted)
        self._confirmed = path if path == Path(name) else None  # asked about the name as given
        self.path_edit.setText(str(path))

    def export(self) -> bool:
        """Write the image (after asking, when the file exists); on failure say why in a
        message box and return False."""
        path = self.path()
        try:
            if not self.path_edit.text().strip():
                raise export.ExportError("choose a file to write")
            export.image_format(path)
            each = self.analysis if self.each_loop_check.isChecked() else None
            others = loop_image_paths(path, each) if each is not None else []
            # One question for the image (unless Browse asked already) and its loops' images.
            asked = [path] if path != self._confirmed else []
            if not may_replace(self, "Export Image", [*asked, *others]):
                return False
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                export.export_image(self.diagram, path, self.options(), self.analysis)
                if each is not None:
                    written = write_loop_images(self, self.diagram, each, path, self.options())
                    if written is None:
                        return False
                    self.loop_images = written
            finally:
                QGuiApplication.restoreOverrideCursor()
        except export.ExportError as exc:
            message_box.warn(self, "Export Image", f"The image was not written: {exc}.")
            return False
        self.written = path
        self._save_settings()
        remember_export_folder(path.parent, self._document, self._settings)
        return True

    def _export_and_close(self) -> None:
        if self.export():
            self.accept()

    def copy_to_clipboard(self) -> None:
        try:
            export.copy_image_to_clipboard(self.diagram, self.analysis, self.options())
        except export.ExportError as exc:
            message_box.warn(self, "Copy Image", f"The image was not copied: {exc}.")
            return
        self._save_settings()
        self.accept()
