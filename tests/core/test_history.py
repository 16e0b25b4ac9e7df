"""The plain-Python History: names, clean state (what "modified" means) and its edges."""

from __future__ import annotations

import pytest

from cld_editor.core import ops
from cld_editor.core.document import Document, OpError
from cld_editor.core.history import History
from cld_editor.core.model import Diagram, Variable


@pytest.fixture
def history() -> History:
    return History(Document(Diagram(variables=[Variable(id="a", x=0, y=0)])))


def test_names_follow_the_steps(history: History) -> None:
    assert not history.can_undo and history.undo_name is None
    history.push(ops.rename_variable("a", "Sales"))
    history.push(ops.move_variables({"a": (1, 1)}))
    assert history.undo_name == "Move"
    assert history.undo() == "Move"
    assert history.redo_name == "Move" and history.undo_name == "Rename"
    assert history.redo() == "Move"
    assert not history.can_redo


def test_clean_state_tracks_saves(history: History) -> None:
    assert history.is_clean
    history.push(ops.rename_variable("a", "x"))
    assert not history.is_clean
    history.set_clean()
    history.push(ops.rename_variable("a", "y"))
    assert not history.is_clean
    history.undo()
    assert history.is_clean  # back at the saved state
    history.undo()
    assert not history.is_clean
    history.redo()
    assert history.is_clean


def test_the_saved_state_becomes_unreachable_after_a_new_branch(history: History) -> None:
    history.push(ops.rename_variable("a", "x"))
    history.set_clean()
    history.undo()
    history.push(ops.rename_variable("a", "z"))  # drops the redo branch holding the save
    assert not history.is_clean
    history.undo()
    assert not history.is_clean


def test_a_refused_push_changes_neither_document_nor_history(history: History) -> None:
    history.push(ops.rename_variable("a", "x"))
    with pytest.raises(OpError):
        history.push(ops.rename_variable("nope", "y"))
    assert history.undo_name == "Rename" and not history.can_redo
    assert history.doc.variables["a"].label == "x"


def test_undo_with_nothing_to_undo_raises_index_error(history: History) -> None:
    with pytest.raises(IndexError):
        history.undo()
    with pytest.raises(IndexError):
        history.redo()
