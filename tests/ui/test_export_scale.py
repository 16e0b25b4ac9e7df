"""The PNG's default scale keeps a big diagram's image within a usable size (8,192 pixels a
side, 40 megapixels): in the Export Image dialog, whose scale the user may still set (it is
kept, and the dialog warns when the image passes that size), and in ``cld-editor export``."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSizeF

from cld_editor import cli
from cld_editor.core.model import Diagram, Variable
from cld_editor.formats.native import save_diagram
from cld_editor.ui.drawing import export
from cld_editor.ui.drawing.picture import (
    AUTO_MAX_PIXELS,
    AUTO_MAX_SIDE,
    ExportOptions,
    default_scale,
    over_usable_size,
)
from cld_editor.ui.window.export_dialog import ExportImageDialog


def spread(width: float, height: float) -> Diagram:
    """Four variables at the corners of a ``width`` x ``height`` rectangle."""
    corners = [(0, 0), (width, 0), (0, height), (width, height)]
    return Diagram(
        title="Spread",
        variables=[
            Variable(id=f"v{i}", label=f"Corner {i}", x=x, y=y) for i, (x, y) in enumerate(corners)
        ],
    )


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def fits(width: float, height: float, scale: float) -> bool:
    return not over_usable_size(math.ceil(width * scale), math.ceil(height * scale))


@pytest.mark.parametrize(
    ("width", "height", "binds"),
    [
        (9_783.0, 8_506.0, "area"),  # Covid19US: 19,566 x 17,012 pixels at scale 2
        (20_000.0, 1_000.0, "side"),  # long and thin: 40,000 x 2,000 at scale 2
        (4_100.0, 4_090.0, "both"),  # just over 8,192 a side and 40 MP at 2
    ],
)
def test_the_default_scale_keeps_within_the_side_and_the_area(width, height, binds) -> None:
    scale = default_scale(width, height)
    assert scale < export.DEFAULT_SCALE
    assert fits(width, height, scale)
    w, h = math.ceil(width * scale), math.ceil(height * scale)
    if binds == "side":
        assert w >= AUTO_MAX_SIDE - 2 and w * h < AUTO_MAX_PIXELS
    if binds == "area":
        assert w * h > 0.999 * AUTO_MAX_PIXELS and max(w, h) < AUTO_MAX_SIDE
    assert ExportOptions().pixel_scale(QSizeF(width, height)) == scale
    assert ExportOptions(scale=2).pixel_scale(QSizeF(width, height)) == 2


def test_a_diagram_of_usable_size_keeps_scale_2() -> None:
    assert default_scale(800, 600) == export.DEFAULT_SCALE
    assert default_scale(4_000, 2_000) == export.DEFAULT_SCALE  # 8,000 x 4,000 = 32 MP
    assert not over_usable_size(AUTO_MAX_SIDE, 4_000)
    assert over_usable_size(AUTO_MAX_SIDE + 1, 10) and over_usable_size(7_000, 6_000)


# -- the dialog ----------------------------------------------------------------------------------
@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def dialog_for(qtbot, diagram: Diagram, settings: QSettings, path: Path) -> ExportImageDialog:
    dialog = ExportImageDialog(diagram, None, settings=settings)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(path))
    return dialog


def test_the_dialog_lowers_its_default_scale_for_a_big_diagram(qtbot, settings, tmp_path):
    dialog = dialog_for(qtbot, spread(9_000, 8_000), settings, tmp_path / "big.png")
    assert dialog.scale_radio.isChecked()
    scale = dialog.scale_spin.value()
    assert 0.5 < scale < export.DEFAULT_SCALE
    text = dialog.pixels_label.text()
    assert "scale lowered" in text and "too large" not in text
    assert not dialog.auto_scale_button.isEnabled()  # automatic already
    assert dialog.export()
    width, height = png_size(tmp_path / "big.png")
    assert max(width, height) <= AUTO_MAX_SIDE and width * height <= AUTO_MAX_PIXELS
    assert text.startswith(f"{width} × {height} pixels")
    # A small diagram has the default scale, its size said plainly.
    small = dialog_for(qtbot, spread(600, 400), settings, tmp_path / "small.png")
    assert small.scale_spin.value() == export.DEFAULT_SCALE
    assert small.pixels_label.text().endswith(" pixels")


def test_a_scale_the_user_sets_is_kept_with_a_warning(qtbot, settings, tmp_path):
    diagram = spread(9_000, 8_000)
    dialog = dialog_for(qtbot, diagram, settings, tmp_path / "big.png")
    dialog.scale_spin.setValue(2.0)
    assert dialog.options().scale == 2.0
    assert "too large" in dialog.pixels_label.text()
    assert dialog.pixels_label.styleSheet()  # in the warning colour
    assert dialog.auto_scale_button.isEnabled()
    dialog.legend_check.setChecked(True)  # another picture size: the chosen scale stays
    assert dialog.scale_spin.value() == 2.0
    dialog._save_settings()
    again = dialog_for(qtbot, diagram, settings, tmp_path / "big.png")
    assert again.scale_spin.value() == 2.0 and "too large" in again.pixels_label.text()
    again.auto_scale_button.click()
    assert again.scale_spin.value() < 1 and "too large" not in again.pixels_label.text()
    assert not again.pixels_label.styleSheet()
    again._save_settings()
    third = dialog_for(qtbot, diagram, settings, tmp_path / "big.png")
    assert third.scale_spin.value() == again.scale_spin.value()
    assert not third.auto_scale_button.isEnabled()


def test_a_resolution_over_the_usable_size_is_warned_about(qtbot, settings, tmp_path):
    dialog = dialog_for(qtbot, spread(3_000, 2_000), settings, tmp_path / "d.png")
    dialog.dpi_radio.setChecked(True)
    dialog.dpi_spin.setValue(600)
    assert "too large" in dialog.pixels_label.text()
    dialog.dpi_spin.setValue(96)
    assert "too large" not in dialog.pixels_label.text()


@pytest.mark.parametrize(("stored", "chosen"), [(2.0, False), (3.0, True)])
def test_settings_of_an_older_version_keep_a_scale_other_than_the_default(
    qtbot, settings, tmp_path, stored: float, chosen: bool
):
    """Before, every export saved its scale: the default 2 saved then is no choice."""
    settings.setValue("export/scale", stored)
    dialog = dialog_for(qtbot, spread(9_000, 8_000), settings, tmp_path / "d.png")
    assert (dialog.scale_spin.value() == stored) == chosen


# -- the command line ----------------------------------------------------------------------------
def test_the_command_line_default_keeps_within_the_usable_size(tmp_path, capsys):
    source = tmp_path / "big.cld.json"
    save_diagram(spread(20_000, 1_000), source)
    assert cli.main(["export", str(source), str(tmp_path / "big.png")]) == 0
    width, height = png_size(tmp_path / "big.png")
    assert AUTO_MAX_SIDE - 2 <= width <= AUTO_MAX_SIDE and height < width / 10
    assert cli.main(["export", str(source), str(tmp_path / "two.png"), "--scale", "0.5"]) == 0
    assert png_size(tmp_path / "two.png")[0] > 10_000 * 0.99
    capsys.readouterr()
