"""Stories in the core: the records, what is visible and highlighted at each step, and the
story Ops (every edit undoable, ``doc.apply(doc.apply(op))`` restores the story)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cld_editor.core import events as ev
from cld_editor.core import story_ops
from cld_editor.core.document import Document, OpError
from cld_editor.core.history import History
from cld_editor.core.model import Diagram, Id, Link, LoopLabel, Text, Variable
from cld_editor.core.ops import delete
from cld_editor.core.story import (
    Caption,
    Story,
    StoryId,
    StoryPulse,
    StoryStep,
    highlighted_at,
    visible_at,
)


def doc() -> Document:
    return Document(
        Diagram(
            variables=[Variable(id=i, x=0, y=0) for i in ("a", "b", "c")],
            links=[
                Link(id="l1", source="a", target="b"),
                Link(id="l2", source="b", target="a", polarity="-"),
            ],
            loop_labels=[LoopLabel(id="r", loop=["a", "b"], x=0, y=0)],
        )
    )


def test_visible_is_cumulative_and_highlight_defaults_to_what_a_step_reveals() -> None:
    story = Story(
        steps=[
            StoryStep(reveal=["a"]),
            StoryStep(reveal=["b", "l1"], highlight=["a"]),
            StoryStep(reveal=["gone"]),
        ]
    )
    assert visible_at(story, 0) == {"a"}
    assert visible_at(story, 1) == {"a", "b", "l1"}
    assert visible_at(story, 2, existing=["a", "b", "l1"]) == {"a", "b", "l1"}
    assert highlighted_at(story, 0) == {"a"}
    assert highlighted_at(story, 1) == {"a"}
    assert highlighted_at(story, 2, existing=["a"]) == set()
    assert highlighted_at(story, 7) == set()
    assert not Story() and story


def test_story_records_refuse_bad_values() -> None:
    with pytest.raises(ValidationError):
        StoryStep(reveal=[""])
    with pytest.raises(ValidationError):
        StoryStep(reveal=["a\nb"])
    with pytest.raises(ValidationError):
        StoryPulse(variable="a", direction="sideways")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        StoryPulse(variable="a", direction="up", steps=0)
    with pytest.raises(ValidationError):
        StoryStep.model_validate({"reveal": [], "extra": 1})


def test_the_story_rules_are_the_model_rules() -> None:
    from pydantic import TypeAdapter

    assert TypeAdapter(StoryId).json_schema() == TypeAdapter(Id).json_schema()
    assert TypeAdapter(Caption).json_schema() == TypeAdapter(Text).json_schema()


def test_add_step_reveals_only_what_is_new_in_document_order() -> None:
    d = doc()
    d.apply(story_ops.add_step(d, ["b", "l1", "a"], "first"))
    d.apply(story_ops.add_step(d, ["l2", "a", "b", "l1", "r", "nothing"], "second"))
    assert [s.reveal for s in d.story.steps] == [["a", "b", "l1"], ["l2", "r"]]
    assert [s.caption for s in d.story.steps] == ["first", "second"]
    # inserting at the front: nothing is visible before it, so it reveals all it is given
    d.apply(story_ops.add_step(d, ["c", "a"], at=0))
    assert d.story.steps[0].reveal == ["a", "c"]


def test_every_story_edit_is_one_undoable_step() -> None:
    d = doc()
    history = History(d)
    edits = [
        lambda: story_ops.add_step(d, ["a"], "A"),
        lambda: story_ops.add_step(d, ["b", "l1"], "B"),
        lambda: story_ops.add_step(d, ["c"]),
        lambda: story_ops.move_step(d, 2, 0),
        lambda: story_ops.set_caption(d, 1, "A, again"),
        lambda: story_ops.set_pulse(d, 0, StoryPulse(variable="c", direction="up")),
        lambda: story_ops.remove_step(d, 2),
        lambda: story_ops.replace_story(Story(steps=[StoryStep(caption="x")])),
        lambda: story_ops.clear_story(),
    ]
    snapshots = [d.story]
    events: list[ev.Event] = []
    d.subscribe(events.append)
    for edit in edits:
        history.push(edit())
        snapshots.append(d.story)
    assert all(isinstance(e, ev.DiagramPropertiesChanged) for e in events)
    assert len(events) == len(edits)
    assert snapshots[4].steps[0].reveal == ["c"] and snapshots[5].steps[1].caption == "A, again"
    for want in reversed(snapshots[:-1]):
        history.undo()
        assert d.story == want
    for want in snapshots[1:]:
        history.redo()
        assert d.story == want


def test_bad_story_edits_change_nothing() -> None:
    d = doc()
    d.apply(story_ops.add_step(d, ["a"]))
    before = d.story
    for bad in (
        lambda: story_ops.remove_step(d, 3),
        lambda: story_ops.move_step(d, 0, 5),
        lambda: story_ops.set_caption(d, -1, "x"),
        lambda: story_ops.add_step(d, ["a"], at=9),
        lambda: story_ops.set_caption(d, 0, "x" * 100_001),
    ):
        with pytest.raises(OpError):
            d.apply(bad())
    assert d.story == before


def test_the_story_survives_deleting_what_it_shows_and_undo_brings_it_back() -> None:
    d = doc()
    d.apply(story_ops.add_step(d, ["a", "b", "l1"]))
    undo = d.apply(delete(variable_ids=["a"]))
    assert d.story.steps[0].reveal == ["a", "b", "l1"]
    assert visible_at(d.story, 0, existing=d.variables) == {"b"}
    d.apply(undo)
    assert visible_at(d.story, 0, existing=[*d.variables, *d.links]) == {"a", "b", "l1"}


def test_the_document_snapshot_carries_the_story() -> None:
    d = doc()
    d.apply(story_ops.add_step(d, ["a"], "hello"))
    assert d.diagram.story == d.story
    again = Document(d.diagram)
    assert again.story.steps[0].caption == "hello"


def test_a_step_shows_as_new_only_what_no_earlier_step_showed() -> None:
    from cld_editor.core.story import highlighted_at, new_at

    story = Story(
        steps=[
            StoryStep(reveal=["a"]),
            StoryStep(reveal=["b"]),  # inserted later, before a step that also reveals b
            StoryStep(reveal=["b", "c", "l"]),
            StoryStep(reveal=["c", "d"], highlight=["c"]),
        ]
    )
    assert new_at(story, 2) == {"c", "l"}
    assert highlighted_at(story, 2) == {"c", "l"}
    assert highlighted_at(story, 2, existing={"b", "c"}) == {"c"}
    # An explicit highlight is kept as it is, even for something shown before.
    assert highlighted_at(story, 3) == {"c"}
    assert new_at(story, 3) == {"d"}
    assert new_at(story, 0) == {"a"} and new_at(story, 9) == set()
