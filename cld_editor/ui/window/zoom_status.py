"""The canvas's zoom in the main window's status bar, and how a diagram just opened is framed.

:class:`ZoomStatus` owns a permanent button at the right end of the status bar that shows the
canvas's zoom ("54 %") and follows every zoom (wheel, keys, Fit, Find, a loop brought into view);
its menu zooms in and out, fits the diagram, returns to 100 % and goes to a few set zooms, and its
tooltip names the keys. :meth:`ZoomStatus.frame_opened` frames a diagram that was just opened,
imported, reverted or restored (:meth:`DiagramView.open_diagram`): whole when its labels can be
read at the zoom that fits it, else its top-left part (or the crowded part nearest it) at a
readable zoom, and then, once, a note over the canvas
(:class:`~cld_editor.ui.canvas.notice.CanvasNotice`) says so, which keys zoom and how far out the
whole diagram fits. The note goes when the view zooms (it has done its work) or after
:data:`NOTICE_MS`. (A status-bar message was tried first: beside the loop search's progress, which
runs right after a big diagram opens, a 1280-pixel window left it 370 pixels, and it was cut after
"Ctrl".)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QStatusBar, QToolButton

from cld_editor.ui.canvas.view import DiagramView, Opening

if TYPE_CHECKING:
    from cld_editor.ui.window.actions import WindowActions

#: How long the note about a diagram opened in part stays (unless the user zooms first).
NOTICE_MS = 20_000
#: Zooms offered in the button's menu besides the steps, Fit and 100 %.
PRESETS = (0.25, 0.5, 1.0, 2.0)
#: The widest text the button keeps room for, so that it and Stop beside it never move.
WIDEST = "800 %"


def percent(zoom: float) -> str:
    """A zoom as shown: "54 %"; never "0 %": the smallest zoom is 5 %, or the zoom at which a
    huge diagram fits whole when that is smaller, shown as "<1 %" under half a percent."""
    return f"{round(zoom * 100)} %" if zoom * 100 >= 0.5 else "<1 %"


def key_text(action: QAction) -> str:
    """An action's shortcut as the user's platform writes it ("Ctrl+Shift+F")."""
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


def native_keys(keys: str) -> str:
    """Keys written as Qt reads them ("Ctrl+0") as the user's platform writes them ("⌘0" on
    macOS, where Qt's Ctrl is the Command key)."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def scroll_text() -> str:
    """The wheel with the zoom modifier, as the user's platform writes the modifier:
    "Ctrl+scroll", or "⌘+scroll" on macOS."""
    modifier = native_keys("Ctrl+A")[:-1]
    return f"{modifier if modifier.endswith('+') else modifier + '+'}scroll"


class ZoomButton(QToolButton):
    """The zoom's button: always as wide as its widest text, so that it and the widgets left of
    it never move (and the status bar's room for messages is worked out from this width)."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(WIDEST) + 28, hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class ZoomStatus(QObject):
    """The status bar's zoom button and the note about a diagram opened in part."""

    def __init__(self, bar: QStatusBar, view: DiagramView, actions: WindowActions) -> None:
        super().__init__(bar)
        self.bar = bar
        self.view = view
        self.actions = actions
        self.button = ZoomButton()
        self.button.setObjectName("status_zoom")
        self.button.setAccessibleName("Zoom")
        self.button.setAutoRaise(True)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.button.setToolTip(self._keys_tip())
        self.button.setMenu(self._menu())
        bar.addPermanentWidget(self.button)
        view.zoom_changed.connect(self._on_zoom_changed)
        self._show(view.zoom_factor())

    def _keys_tip(self) -> str:
        a = self.actions
        return (
            f"Zoom: {scroll_text()} zooms about the pointer, {key_text(a.zoom_in)} and "
            f"{key_text(a.zoom_out)} in steps, {key_text(a.fit)} shows the whole diagram, "
            f"{key_text(a.actual_size)} is 100 %"
        )

    def _menu(self) -> QMenu:
        a = self.actions
        menu = QMenu(self.button)
        menu.addActions([a.zoom_in, a.zoom_out])
        menu.addSeparator()
        menu.addActions([a.fit, a.actual_size])
        menu.addSeparator()
        for zoom in PRESETS:
            action = menu.addAction(percent(zoom))
            action.triggered.connect(lambda _checked=False, z=zoom: self.view.set_zoom(z))
        return menu

    def _show(self, zoom: float) -> None:
        self.button.setText(percent(zoom))

    def _on_zoom_changed(self, zoom: float) -> None:
        self._show(zoom)
        self.view.notice.clear()  # the user zooms: the note has done its work

    def frame_opened(self, announce: bool = True) -> Opening:
        """Frame the diagram just opened (see the module docstring); ``announce``: say so when
        it opened in part (not again when the same file is read anew, as by Revert)."""
        opening = self.view.open_diagram()  # a zoom: clears a note about the diagram before
        if announce and not opening.whole:
            self.view.notice.show(self.opened_in_part_note(opening), NOTICE_MS)
        return opening

    def opened_in_part_note(self, opening: Opening) -> str:
        """Two lines: "Shown at 54 % so that labels can be read." and "Ctrl+scroll or Ctrl++ /
        Ctrl+- zoom, Ctrl+Shift+F shows the whole diagram (8 %)"."""
        a = self.actions
        return (
            f"Shown at {percent(opening.zoom)} so that labels can be read.\n{scroll_text()} or "
            f"{key_text(a.zoom_in)} / {key_text(a.zoom_out)} zoom, {key_text(a.fit)} shows the "
            f"whole diagram ({percent(opening.fit_zoom)})"
        )
