"""The Arrange menu and toolbar button: layouts of the whole diagram or the selection as one
undo step, Align and Distribute on the selection."""

from __future__ import annotations

import itertools

import pytest

from cld_editor.layout import metrics
from cld_editor.ui.drawing import render


@pytest.fixture
def window(arranging_window):
    return arranging_window


def positions(window) -> dict[str, tuple[float, float]]:
    return {v.id: (v.x, v.y) for v in window.document.variables.values()}


def sizes(window) -> dict[str, tuple[float, float]]:
    out = {}
    for v in window.document.variables.values():
        shape = render.variable_shape(v.label)
        out[v.id] = (shape.width, shape.height)
    return out


def test_the_menu_and_toolbar_offer_every_style(window) -> None:
    menu = window.findChild(type(window.menuBar().actions()[0].menu()), "arrange_menu")
    texts = [a.text().replace("&", "") for a in menu.actions() if a.text()]
    for style in ("Loops", "Layered", "Organic", "Iceberg"):
        assert f"Arrange as {style}" in texts
    assert "Align Left" in texts and "Distribute Vertically" in texts
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles.index("Arrange") == titles.index("Loops") - 1
    assert window.arrange.button.menu() is menu


@pytest.mark.parametrize("style", ["loops", "layered", "organic", "iceberg"])
def test_arranging_the_diagram_is_one_undo_step(window, style: str) -> None:
    before = window.document.diagram.model_dump()
    window.arrange.style_actions[style].trigger()
    after = positions(window)
    assert after != {k: (v["x"], v["y"]) for k, v in ((v["id"], v) for v in before["variables"])}
    assert metrics.overlaps(after, sizes(window)) == 0
    assert window.undo_stack.undoText() == f"Arrange ({style.capitalize()})"
    window.undo_stack.undo()
    assert window.document.diagram.model_dump() == before


def test_arranging_a_selection_leaves_the_rest_in_place(window) -> None:
    before = positions(window)
    chosen = list(before)[:3]
    window.scene.select_ids(chosen)
    assert window.arrange.arrange("loops")
    after = positions(window)
    for v in before:
        if v not in chosen:
            assert after[v] == before[v], v
    assert metrics.overlaps(after, sizes(window)) == 0


def test_align_and_distribute_the_selection(window) -> None:
    chosen = list(positions(window))[:4]
    window.scene.select_ids(chosen)
    assert window.arrange.align_actions["top"].isEnabled()
    window.arrange.align_actions["top"].trigger()
    tops = {round(positions(window)[v][1] - sizes(window)[v][1] / 2, 2) for v in chosen}
    assert len(tops) == 1
    assert window.undo_stack.undoText() == "Align"
    window.arrange.distribute_h.trigger()
    xs = sorted(chosen, key=lambda v: positions(window)[v][0])
    boxes = [(positions(window)[v][0], sizes(window)[v][0] / 2) for v in xs]
    gaps = [boxes[i + 1][0] - boxes[i + 1][1] - boxes[i][0] - boxes[i][1] for i in range(3)]
    assert max(gaps) - min(gaps) < 0.1
    window.scene.select_ids(chosen[:1])
    assert not window.arrange.align_actions["top"].isEnabled()
    assert not window.arrange.distribute_h.isEnabled()


def item_positions(window) -> dict[str, tuple[float, float]]:
    out = {}
    for v in window.document.variables:
        pos = window.scene.item_for(v).pos()
        out[v] = (round(pos.x(), 2), round(pos.y(), 2))
    return out


def test_items_glide_to_their_new_places(window, qtbot) -> None:
    before = item_positions(window)
    window.arrange.arrange("layered")
    assert window.arrange.glide.running
    assert item_positions(window) == before  # the glide starts where the items were
    qtbot.waitUntil(lambda: not window.arrange.glide.running, timeout=3000)
    assert item_positions(window) == {
        k: (round(x, 2), round(y, 2)) for k, (x, y) in positions(window).items()
    }


def visible(window):
    view = window.view
    return view.mapToScene(view.viewport().rect()).boundingRect()


def drawn_area(window, ids=None):
    scene = window.scene
    ids = list(window.document.variables) if ids is None else ids
    rects = [scene.item_for(i).sceneBoundingRect() for i in ids]
    area = rects[0]
    for rect in rects[1:]:
        area = area.united(rect)
    return area


def look_elsewhere(window) -> None:
    """Zoom in on a far corner, as a user inspecting a detail would."""
    window.view.set_zoom(3.0)
    window.view.centerOn(5000.0, 5000.0)
    assert not visible(window).intersects(drawn_area(window))


def test_undo_and_redo_of_an_arrange_glide_and_fit_the_view(window, qtbot) -> None:
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    before = positions(window)
    window.arrange.arrange("layered")
    qtbot.waitUntil(lambda: not window.arrange.glide.running, timeout=3000)
    after = positions(window)
    assert window.statusBar().currentMessage().startswith("Arranged")
    for step, expected in ((window.undo_stack.undo, before), (window.undo_stack.redo, after)):
        look_elsewhere(window)
        step()
        assert not window.statusBar().currentMessage().startswith("Arranged")
        assert positions(window) == expected
        assert window.arrange.glide.running  # the items glide there, as after Arrange
        qtbot.waitUntil(lambda: not window.arrange.glide.running, timeout=3000)
        assert item_positions(window) == {
            k: (round(x, 2), round(y, 2)) for k, (x, y) in expected.items()
        }
        assert visible(window).contains(drawn_area(window))  # the whole diagram in view


def test_undo_of_arranging_a_selection_keeps_it_in_sight(window, qtbot) -> None:
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    chosen = sorted(window.document.variables)[:4]
    window.scene.select_ids(chosen)
    window.arrange.arrange("loops")
    qtbot.waitUntil(lambda: not window.arrange.glide.running, timeout=3000)
    look_elsewhere(window)
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: not window.arrange.glide.running, timeout=3000)
    assert visible(window).intersects(drawn_area(window, chosen))


def test_a_press_on_the_canvas_ends_the_glide(window, qtbot) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    window.arrange.arrange("organic")
    assert window.arrange.glide.running
    QTest.mousePress(window.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not window.arrange.glide.running
    QTest.mouseRelease(window.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert item_positions(window) == {
        k: (round(x, 2), round(y, 2)) for k, (x, y) in positions(window).items()
    }
    assert window.undo_stack.undoText() == "Arrange (Organic)"


def test_focus_on_the_selected_loop_shows_it_alone_and_exports(window, qtbot, tmp_path) -> None:
    assert not window.arrange.focus_action.isEnabled()
    loop = window.loops_panel.analysis.loops[0]
    window.loops_panel.loop_selected.emit(loop)
    dialog = window.arrange.focus_loop(loop)
    qtbot.addWidget(dialog)
    shown = {v.id for v in dialog.picture.diagram.variables}
    assert set(loop.variables) <= shown < set(window.document.variables) | set(loop.variables)
    assert dialog.picture.highlighted_loop is loop
    assert dialog.view.item.picture is dialog.picture
    for suffix in (".png", ".svg", ".pdf"):
        written = dialog.export(str(tmp_path / f"focus{suffix}"))
        assert written is not None and written.stat().st_size > 500
    assert (tmp_path / "focus.png").read_bytes().startswith(b"\x89PNG")
    dialog.close()


def test_tidy_up_straightens_a_ragged_column(window) -> None:
    ids = list(positions(window))[:2]
    first = window.document.variables[ids[0]]
    # Put the second variable in the first one's column, 5 units off, well below everything.
    from cld_editor.core.ops import move_variables

    window.scene.push(move_variables({ids[1]: (first.x + 5, first.y + 900)}))
    window.arrange.tidy_action.trigger()
    assert window.undo_stack.undoText() == "Tidy Up"
    after = positions(window)
    assert after[ids[0]][0] == after[ids[1]][0]
    assert metrics.overlaps(after, sizes(window)) == 0


def test_focus_dialog_fits_the_screen_it_opens_on(window, qtbot) -> None:
    loop = max(window.loops_panel.analysis.loops, key=lambda lp: lp.length)
    dialog = window.arrange.focus_loop(loop)
    qtbot.addWidget(dialog)
    room = window.screen().availableGeometry()
    assert dialog.picture.size.height() > room.height()  # a picture taller than the screen
    assert dialog.height() <= room.height() and dialog.width() <= room.width()
    # Drawn small enough to be seen whole: the picture is fitted to the dialog's view.
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.view
    shown = view.mapFromScene(view.item.boundingRect()).boundingRect()
    assert view.viewport().rect().adjusted(-1, -1, 1, 1).contains(shown)
    dialog.close()


@pytest.mark.parametrize("style", ["layered", "organic"])
def test_after_the_glide_every_link_is_drawn_where_the_export_draws_it(window, qtbot, style):
    import math

    from cld_editor.ui.drawing.render_diagram import _layout

    assert window.arrange.arrange(style)
    qtbot.waitUntil(lambda: not window.arrange.glide.running, timeout=3000)
    _, _, exported = _layout(window.document.diagram)
    for link_id in window.document.links:
        live = window.scene.item_for(link_id).geometry
        assert math.dist(live.tip, exported[link_id].geometry.tip) < 1e-6, link_id
        assert math.dist(live.sign_pos, exported[link_id].geometry.sign_pos) < 1e-6, link_id


TANGLED = ["Staff turnover", "Workload", "Stress and burnout", "Customer demand"]


@pytest.mark.parametrize("command", ["align_top", "distribute_h"])
def test_align_and_distribute_bend_links_clear_of_other_variables(window, command) -> None:
    document = window.document
    by_label = {v.label: v.id for v in document.variables.values()}
    if not set(TANGLED) <= set(by_label):
        pytest.skip("the example diagram changed")
    before = (positions(window), {k.id: k.curvature for k in document.links.values()})
    window.scene.select_ids([by_label[name] for name in TANGLED])
    if command == "align_top":
        window.arrange.align_actions["top"].trigger()
    else:
        window.arrange.distribute_h.trigger()
    bends = {k.id: k.curvature for k in document.links.values()}
    assert positions(window) != before[0]
    diagram = document.diagram
    assert metrics.links_over_variables(diagram, positions(window), sizes(window), bends) == 0
    # Moves and bends are one undo step.
    window.undo_stack.undo()
    assert positions(window) == before[0]
    assert {k.id: k.curvature for k in document.links.values()} == before[1]


def test_arrange_moves_a_shown_waterline_to_the_best_gap_in_the_same_step(window) -> None:
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "resources" / "examples"
    assert window.files.open_path(example / "experience-iceberg.cld.json", ask=False)
    document = window.document
    assert document.waterline is not None
    line, before = document.waterline, positions(window)
    assert window.arrange.arrange("loops")
    y = document.waterline
    after, box = positions(window), sizes(window)
    assert after != before
    assert all(abs(y - after[v][1]) >= box[v][1] / 2 for v in after), "the line cuts a box"
    cx_below = [v for v in document.variables.values() if v.domain == "CX" and after[v.id][1] > y]
    ex_above = [v for v in document.variables.values() if v.domain == "EX" and after[v.id][1] < y]
    # No line through the gaps does better (the line is placed by the boxes as laid out).
    edges = sorted({p[1] + s * box[v][1] / 2 for v, p in after.items() for s in (-1, 1)})
    gaps = [(a + b) / 2 for a, b in itertools.pairwise(edges)]
    gaps = [g for g in gaps if all(abs(g - after[v][1]) >= box[v][1] / 2 for v in after)]

    def wrong(g: float) -> int:
        return sum(
            (v.domain == "CX" and after[v.id][1] > g) or (v.domain == "EX" and after[v.id][1] < g)
            for v in document.variables.values()
        )

    assert len(cx_below) + len(ex_above) == min(map(wrong, [*gaps, edges[0] - 1, edges[-1] + 1]))
    window.undo_stack.undo()
    assert document.waterline == line and positions(window) == before
