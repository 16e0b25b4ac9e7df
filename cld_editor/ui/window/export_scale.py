"""The PNG scale of the Export Image dialog (:mod:`.export_dialog`): a spin box and an Auto
button.

Until the user sets a scale (types or steps one, or set one last time), the spin box shows the
automatic scale of the picture as it now is: 2 ×, or less when the image would pass
:data:`~cld_editor.ui.drawing.picture.AUTO_MAX_SIDE` pixels a side or
:data:`~cld_editor.ui.drawing.picture.AUTO_MAX_PIXELS` in all, which many viewers and converters
refuse (Covid19US at 2 × was 19,566 x 17,012 pixels). A scale the user sets is used as it is;
:func:`pixels_text` then warns when the image passes that size, and Auto goes back to the
automatic scale. The settings keep the scale and whether it was chosen.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QPushButton, QWidget

from cld_editor.ui.drawing.picture import (
    AUTO_MAX_PIXELS,
    AUTO_MAX_SIDE,
    DEFAULT_SCALE,
    default_scale,
    over_usable_size,
)

#: The spin box's least scale: the automatic scale of a diagram of thousands of variables.
MIN_SCALE = 0.01
WARNING_COLOUR = "#b3261e"
_LIMITS = f"{AUTO_MAX_SIDE:,} pixels a side, {AUTO_MAX_PIXELS // 1_000_000} megapixels"


class PngScale(QObject):
    """The scale spin box and its Auto button; ``changed`` when the user changes either."""

    changed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.spin = QDoubleSpinBox(parent)
        self.spin.setRange(MIN_SCALE, 10.0)
        self.spin.setSingleStep(0.25)
        self.spin.setSuffix(" ×")
        self.spin.setToolTip("Pixels per diagram unit: 1 × is the canvas at 100 %")
        self.auto_button = QPushButton("Auto", parent)
        self.auto_button.setToolTip(
            f"Scale {DEFAULT_SCALE:g} ×, or less when the image would pass {_LIMITS}"
        )
        #: The user set the scale: it is used as it is, whatever the picture's size.
        self.chosen = False
        self._showing_auto = False
        self.spin.valueChanged.connect(self._edited)
        self.auto_button.clicked.connect(self._auto)

    def value(self) -> float:
        return self.spin.value()

    def _edited(self) -> None:
        if not self._showing_auto:
            self.chosen = True
            self.changed.emit()

    def _auto(self) -> None:
        self.chosen = False
        self.changed.emit()

    def show_auto(self, size: tuple[float, float] | str) -> None:
        """Unless a scale was chosen: the automatic scale for a picture of ``size`` scene units
        (or the default, when ``size`` says why there is no picture), rounded down to the spin
        box's two decimals so that the image stays within the size."""
        if self.chosen:
            return
        scale = DEFAULT_SCALE if isinstance(size, str) else default_scale(*size)
        self._showing_auto = True
        try:
            self.spin.setValue(max(math.floor(scale * 100) / 100, MIN_SCALE))
        finally:
            self._showing_auto = False

    def set_enabled(self, enabled: bool) -> None:
        self.spin.setEnabled(enabled)
        self.auto_button.setEnabled(enabled and self.chosen)

    def restore(self, stored: object, chosen: object) -> None:
        """The scale chosen last time, if one was; an older settings file kept every scale
        used (no "scale_chosen"), where only one other than the default was a choice."""
        try:
            scale = float(stored) if stored is not None else None  # type: ignore[arg-type]
        except (TypeError, ValueError):
            scale = None
        if scale is None or not math.isfinite(scale):
            return
        if chosen is None:
            self.chosen = scale != DEFAULT_SCALE
        else:
            self.chosen = chosen in (True, "true", "1", 1)
        if self.chosen:
            self._showing_auto = True  # no "changed" while the dialog is being built
            try:
                self.spin.setValue(scale)
            finally:
                self._showing_auto = False

    def save(self, settings: QSettings) -> None:
        """Into the settings group open on ``settings``."""
        settings.setValue("scale", self.spin.value())
        settings.setValue("scale_chosen", self.chosen)


def pixels_text(width: int, height: int, lowered: bool) -> tuple[str, bool]:
    """What the dialog says of a PNG of ``width`` x ``height`` pixels, and whether that is a
    warning (the image passes the usable size); ``lowered``: the automatic scale is below the
    default."""
    text = f"{width} × {height} pixels"
    if over_usable_size(width, height):
        return (
            f"{text}: too large for many viewers and converters\n(over {_LIMITS}): Auto fits it",
            True,
        )
    if lowered:
        return f"{text}\n(scale lowered from {DEFAULT_SCALE:g} × to fit {_LIMITS})", False
    return text, False
