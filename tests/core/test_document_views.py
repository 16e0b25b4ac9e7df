"""Readers of a Document get read-only views: only Ops (through Document.apply) change it."""

from __future__ import annotations

import pytest

from cld_editor.core import ops
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram, Link, Variable


def make() -> Document:
    return Document(
        Diagram(
            title="T",
            variables=[Variable(id="a", x=0, y=0), Variable(id="b", x=1, y=1)],
            links=[Link(id="l", source="a", target="b")],
        )
    )


@pytest.mark.parametrize("table", ["variables", "links", "loop_labels"])
def test_record_tables_cannot_be_changed_by_readers(table: str) -> None:
    doc = make()
    view = getattr(doc, table)
    with pytest.raises(TypeError):
        view["x"] = Variable(id="x", x=0, y=0)
    with pytest.raises(AttributeError):
        view.pop("a")
    with pytest.raises(AttributeError):
        setattr(doc, table, {})


@pytest.mark.parametrize("name", ["title", "description", "waterline", "story"])
def test_diagram_properties_have_no_setter(name: str) -> None:
    doc = make()
    with pytest.raises(AttributeError):
        setattr(doc, name, getattr(doc, name))


def test_views_follow_the_ops() -> None:
    doc = make()
    variables, links = doc.variables, doc.links
    inverse = doc.apply(ops.delete(variable_ids=["a"]))
    assert list(variables) == ["b"] and not links and doc.link_between("a", "b") is None
    doc.apply(inverse)
    assert list(variables) == ["a", "b"] and doc.link_between("a", "b") is doc.links["l"]
    doc.apply(ops.SetDiagramProperties({"title": "New", "waterline": 3}))
    assert doc.title == "New" and doc.waterline == 3.0
