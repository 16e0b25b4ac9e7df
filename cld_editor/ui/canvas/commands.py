"""The canvas's commands on the selection: what a key, a context-menu entry or a window menu
does to the selected records.

Each command only chooses ids (the selection) and a value, asks :mod:`cld_editor.core.edits`
for the Op, and pushes it; an edit that would change nothing pushes nothing and returns False.
``commit_moves`` turns a finished drag of the selection (Qt moved the items) into one Move.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF

from cld_editor.core import edits
from cld_editor.ui.canvas.host import Canvas
from cld_editor.ui.canvas.items import LinkItem

#: Half the height a polarity sign or a delay mark takes around its centre.
MARK_HALF_HEIGHT = 10.0
POLARITY_SIGNS = {"+": "+ (same direction)", "-": "− (opposite direction)", "?": "? (unknown)"}


class CanvasCommands:
    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas

    def delete_selection(self) -> bool:
        canvas = self.canvas
        op = edits.delete(
            canvas.document,
            canvas.selected_variable_ids(),
            canvas.selected_link_ids(),
            canvas.selected_label_ids(),
        )
        return canvas.push(op)

    def set_polarity_of_selection(self, polarity: str) -> bool:
        canvas = self.canvas
        op = edits.set_polarity(canvas.document, canvas.selected_link_ids(), polarity)
        if not canvas.push(op):
            return False
        count = len(op.changes)  # type: ignore[union-attr]
        what = "link" if count == 1 else f"{count} links"
        # Replaces a hint that still names the old sign ("... (+); press - or ?").
        canvas.say_about_selection(f"Polarity of the {what}: {POLARITY_SIGNS[polarity]}")
        return True

    def toggle_delay_of_selection(self) -> bool:
        canvas = self.canvas
        op = edits.toggle_delay(canvas.document, canvas.selected_link_ids())
        if not canvas.push(op):
            return False
        ids = [record_id for record_id, _fields in op.changes]  # type: ignore[union-attr]
        on = canvas.document.links[ids[0]].delay
        what = "the link" if len(ids) == 1 else f"{len(ids)} links"
        # One key can change a whole selection: say what it did (Ctrl+Z undoes it).
        canvas.say_about_selection(f"Delay mark {'on' if on else 'off'} for {what}")
        return True

    def set_domain_of_selection(self, domain: str | None) -> bool:
        canvas = self.canvas
        op = edits.set_domain(canvas.document, canvas.selected_variable_ids(), domain)
        if not canvas.push(op):
            return False
        count = len(op.changes)  # type: ignore[union-attr]
        what = "the variable" if count == 1 else f"{count} variables"
        canvas.say_about_selection(
            f"Domain {domain} for {what}" if domain else f"No domain for {what}"
        )
        return True

    def straighten_selection(self) -> bool:
        canvas = self.canvas
        return canvas.push(edits.straighten(canvas.document, canvas.selected_link_ids()))

    def nudge_selection(self, dx: float, dy: float) -> bool:
        canvas = self.canvas
        ids = canvas.selected_variable_ids()
        op = edits.nudge(canvas.document, ids, dx, dy)
        return canvas.push(op, merge_key="nudge:" + ",".join(ids))

    def rename_selected(self) -> bool:
        """F2: rename the one selected variable in place, or ask to rename a loop label."""
        canvas = self.canvas
        ids = canvas.selected_variable_ids()
        labels = canvas.selected_label_ids()
        if len(ids) == 1 and not labels:
            canvas.start_rename(ids[0])
            return True
        if len(labels) == 1 and not ids:
            canvas.loop_label_rename_requested.emit(labels[0])
            return True
        return False

    def show_waterline(self, show: bool) -> bool:
        """Show the waterline in the gap that best separates the CX variables (above) from
        the EX ones, measured on the boxes as drawn (badges included) and clear of polarity
        signs, delay marks and loop labels where the gap allows; or hide it."""
        canvas = self.canvas
        doc = canvas.document
        spans: dict[str, tuple[float, float]] = {}
        marks: list[tuple[float, float]] = []
        for record_id in (*doc.variables, *doc.links, *doc.loop_labels):
            item = canvas.item_for(record_id)
            if isinstance(item, LinkItem):
                geometry = item.geometry
                if geometry is not None:
                    ys = [geometry.sign_pos[1]] + ([geometry.mid[1]] if item.delay else [])
                    marks.extend((y - MARK_HALF_HEIGHT, y + MARK_HALF_HEIGHT) for y in ys)
            elif item is not None:
                rect = item.sceneBoundingRect()
                if record_id in doc.variables:
                    spans[record_id] = (rect.top(), rect.bottom())
                else:
                    marks.append((rect.top(), rect.bottom()))
        return canvas.push(edits.show_waterline(doc, show, spans, marks))

    def commit_moves(self) -> bool:
        """Turn a finished Qt drag of the selection into one Move op."""
        canvas = self.canvas

        def positions(ids: list[str]) -> dict[str, tuple[float, float]]:
            out = {}
            for record_id in ids:
                item = canvas.item_for(record_id)
                pos = item.pos() if item is not None else QPointF()
                out[record_id] = (pos.x(), pos.y())
            return out

        op = edits.move(
            canvas.document,
            positions(canvas.selected_variable_ids()),
            positions(canvas.selected_label_ids()),
        )
        return canvas.push(op)
