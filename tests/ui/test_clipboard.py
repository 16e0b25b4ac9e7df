"""Clipboard fragments as pure functions: copy, paste with fresh ids, text fallback."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from cld_editor.core.document import Document
from cld_editor.core.history import History
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.window import clipboard


def document() -> Document:
    return Document(
        Diagram(
            variables=[
                Variable(id="a", label="Staff  morale", domain="EX", x=0, y=0, notes="n"),
                Variable(id="b", label="Service quality", x=100, y=0),
                Variable(id="c", label="Loyalty", x=200, y=0),
            ],
            links=[
                Link(id="l1", source="a", target="b", delay=True),
                Link(id="l2", source="b", target="c", polarity="-"),
                Link(id="l3", source="b", target="a"),
            ],
        )
    )


def test_fragment_holds_the_variables_and_only_the_links_among_them():
    fragment = clipboard.fragment_of(document(), ["b", "a"])
    assert [v["id"] for v in fragment["variables"]] == ["a", "b"]
    assert [link["id"] for link in fragment["links"]] == ["l1", "l3"]
    assert clipboard.fragment_text(fragment) == (
        "Staff morale\nService quality\n"
        "Staff morale -> Service quality (+, delayed)\nService quality -> Staff morale (+)"
    )


def test_paste_uses_fresh_ids_keeps_fields_and_is_one_undoable_step():
    doc = document()
    history = History(doc)
    op, new_ids = clipboard.paste_op(doc, clipboard.fragment_of(doc, ["a", "b"]), (30, 40))
    history.push(op)
    assert len(new_ids) == 2 and not set(new_ids) & {"a", "b", "c"}
    first = doc.variables[new_ids[0]]
    assert (first.label, first.domain, first.notes, first.x, first.y) == (
        "Staff  morale 2",
        "EX",
        "n",
        30.0,
        40.0,
    )  # fmt: skip  (the originals are still there: the copies get free names)
    pasted_links = [k for k in doc.links.values() if k.source in new_ids]
    assert {(k.polarity, k.delay) for k in pasted_links} == {("+", True), ("+", False)}
    assert all(k.target in new_ids for k in pasted_links)
    assert history.undo_name == "Paste"
    history.undo()
    assert set(doc.variables) == {"a", "b", "c"} and len(doc.links) == 3


def test_cut_is_one_step_that_removes_their_links():
    doc = document()
    history = History(doc)
    history.push(clipboard.cut_op(doc, ["b"]))
    assert set(doc.variables) == {"a", "c"} and not doc.links
    assert history.undo_name == "Cut"
    history.undo()
    assert list(doc.links) == ["l1", "l2", "l3"]


def test_text_round_trip_restores_variables_and_links():
    doc = document()
    text = clipboard.fragment_text(clipboard.fragment_of(doc, ["a", "b", "c"]))
    fragment = clipboard.fragment_from_text(text, (10, 20))
    variables, links = clipboard.parse_fragment(fragment)
    assert [v.label for v in variables] == ["Staff morale", "Service quality", "Loyalty"]
    assert (variables[0].x, variables[0].y) == (10.0, 20.0)
    labels = {v.id: v.label for v in variables}
    assert {(labels[k.source], labels[k.target], k.polarity, k.delay) for k in links} == {
        ("Staff morale", "Service quality", "+", True),
        ("Service quality", "Loyalty", "-", False),
        ("Service quality", "Staff morale", "+", False),
    }


def test_plain_lines_become_variables_and_junk_is_refused():
    fragment = clipboard.fragment_from_text("  Trust \n\n Referrals\n")
    assert [v["label"] for v in fragment["variables"]] == ["Trust", "Referrals"]
    assert clipboard.fragment_from_text("   ") is None
    assert clipboard.fragment_from_text("\n".join(f"v{i}" for i in range(500))) is None
    with pytest.raises(clipboard.FragmentError):
        clipboard.parse_fragment({"format": "something else"})
    with pytest.raises(clipboard.FragmentError):
        clipboard.parse_fragment({"format": "cld-fragment", "variables": [{"id": ""}]})


def test_mime_round_trip(qapp):
    fragment = clipboard.fragment_of(document(), ["a"])
    mime = clipboard.mime_data_for(fragment)
    assert mime.hasFormat(clipboard.MIME_TYPE) and mime.text() == "Staff morale"
    assert clipboard.fragment_from_mime(mime) == (fragment, True)


COPIES = {
    "image": "export.copy_image_to_clipboard(diagram, None)",
    "variables": "QGuiApplication.clipboard().setMimeData(clipboard.mime_data_for("
    "clipboard.fragment_of(Document(diagram), [diagram.variables[0].id])))",
}


@pytest.mark.parametrize("what", sorted(COPIES))
def test_the_program_exits_cleanly_after_copying_to_the_clipboard(what: str) -> None:
    """The clipboard keeps its data until the process exits, after Python has shut down: data
    made by Python would call back into the dead interpreter then and crash the exit."""
    code = textwrap.dedent(
        """
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtWidgets import QApplication
        from cld_editor.core.document import Document
        from cld_editor.formats.native import load_diagram
        from cld_editor.ui.window import clipboard
        from cld_editor.ui.drawing import export
        from cld_editor.ui.window.file_ops import default_example

        app = QApplication([])
        diagram = load_diagram(default_example())
        COPY
        print("copied")
        """
    ).replace("COPY", COPIES[what])
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert (done.returncode, done.stdout.strip()) == (0, "copied"), done.stderr[-2000:]
