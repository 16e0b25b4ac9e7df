"""Arrange as Iceberg tells what it could not do or decided for the user: no domains to
separate (as ``cld-editor layout`` says), and where variables without a domain went (they keep
no domain)."""

from __future__ import annotations

import pytest

from cld_editor.core import edits
from cld_editor.core.model import Diagram, Link, Variable


@pytest.fixture
def window(arranging_window):
    return arranging_window


def test_iceberg_without_domains_says_so_like_the_command_line(window) -> None:
    ring = ["a", "b", "c"]
    diagram = Diagram(
        variables=[Variable(id=v, label=v.upper(), x=100 * i, y=0) for i, v in enumerate(ring)],
        links=[Link(id=f"l{i}", source=v, target=ring[(i + 1) % 3]) for i, v in enumerate(ring)],
    )
    window.files.load_diagram(diagram, None)
    window.arrange.style_actions["iceberg"].trigger()
    bar = window.statusBar()
    assert bar.currentMessage().startswith("Arranged the diagram (Iceberg): no domains to separate")
    assert "Iceberg had no domains to separate (no variable is CX or EX)" in bar.toolTip()


def test_iceberg_names_the_variables_without_a_domain_and_where_they_went(window) -> None:
    revenue = next(v for v in window.document.variables.values() if v.label == "Revenue")
    assert revenue.domain is None
    window.arrange.style_actions["iceberg"].trigger()
    bar = window.statusBar()
    assert "1 variable without a domain placed with its neighbours" in bar.currentMessage()
    line = window.document.waterline
    side = "below it" if window.document.variables[revenue.id].y > line else "above the waterline"
    assert f"{side}: Revenue" in bar.toolTip()
    assert f"neighbours ({side}: Revenue)" in bar.currentMessage()  # few: said in the line
    assert window.document.variables[revenue.id].domain is None  # never claimed as EX


def test_iceberg_with_every_variable_tagged_just_says_arranged(window) -> None:
    untagged = [v.id for v in window.document.variables.values() if v.domain is None]
    window.scene.push(edits.set_domain(window.document, untagged, "CX"))
    window.arrange.style_actions["iceberg"].trigger()
    assert window.statusBar().currentMessage() == "Arranged the diagram (Iceberg)"


def test_after_the_glide_the_waterline_stops_under_the_signs_on_it(window, qtbot) -> None:
    """The line's gaps are found from the signs where they end up, not where the glide starts
    (a new user saw gaps beside the signs, and signs sitting on the dashes)."""
    from cld_editor.ui.canvas.items.link_item import LinkItem

    window.arrange.style_actions["iceberg"].trigger()
    qtbot.waitUntil(lambda: not window.arrange.glide.running, timeout=5000)
    scene = window.scene
    signs = {
        item.paths.geometry.sign_pos
        for item in scene.items()
        if isinstance(item, LinkItem) and item.paths is not None
    }
    line = scene.waterline_item()
    assert line is not None and line._signs  # links cross the line between CX and EX
    assert set(line._signs) <= signs  # every one where its sign is drawn now


def test_the_command_line_says_where_the_variables_without_a_domain_went(tmp_path, capsys):
    from cld_editor.cli import main
    from cld_editor.formats.native import load_diagram, save_diagram
    from cld_editor.ui.window.file_ops import default_example

    path = tmp_path / "loop.cld.json"
    save_diagram(load_diagram(default_example()), path)
    assert main(["layout", str(path), str(tmp_path / "ice.cld.json"), "--style", "iceberg"]) == 0
    err = capsys.readouterr().err
    assert "note: Variables without a domain (neither CX nor EX) go to the band" in err
    assert "Revenue" in err


def test_another_style_under_a_shown_waterline_says_it_no_longer_parts_cx_from_ex(window):
    window.arrange.style_actions["iceberg"].trigger()
    assert window.document.waterline is not None  # shown by Iceberg
    window.arrange.style_actions["layered"].trigger()
    message = window.statusBar().currentMessage()
    assert message.startswith("Arranged the diagram (Layered): ")
    assert "no gap parts CX from EX" in message and "on the wrong side of the waterline" in message
    assert "Arrange as Iceberg to put CX above" in window.statusBar().toolTip()
