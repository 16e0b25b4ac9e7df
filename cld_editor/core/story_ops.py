"""Undoable edits of a diagram's story: one Op that swaps in a new story, and the edit
functions the Story panel and scripts use to build one (add a step from a selection, move,
remove, caption, replace with a generated story), each returning that Op with the name the
user sees ("Undo Add Step"). A story change is announced as ``DiagramPropertiesChanged``, like
the title, so that batches and net events need nothing new.

A step made from selected variables (no link among the ids) also reveals the links that join
them to each other and to what earlier steps show, and the loop labels of the loops that are
then whole: the links are written into the step when it is added, not guessed when the story
is played, so a story keeps meaning what its file says (a story from the loops, or one made by
hand that shows variables first and their links later, stays as it was saved).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from . import events as ev
from .document import Document, OpError
from .ops import Op
from .story import Story, StoryPulse, StoryStep, visible_at


@dataclass(frozen=True)
class SetStory(Op):
    """Replace the diagram's story; the inverse puts the old one back."""

    story: Story
    name: str = "Edit Story"

    def apply(self, doc: Document) -> tuple[Op, list[ev.Event]]:
        if not isinstance(self.story, Story):
            raise OpError("a story must be a Story")
        old = doc.story
        doc.set_properties({"story": self.story})
        return SetStory(old, self.name), [ev.DiagramPropertiesChanged()]


def _story_with(steps: list[StoryStep]) -> Story:
    try:
        return Story(steps=steps)
    except ValidationError as exc:
        raise OpError(f"story: {exc.errors()[0]['msg']}") from None


def _check_index(story: Story, index: int) -> None:
    if not 0 <= index < len(story.steps):
        raise OpError(f"the story has no step {index + 1}")


def add_step(
    doc: Document,
    ids: Iterable[str],
    caption: str = "",
    at: int | None = None,
    pulse: StoryPulse | None = None,
) -> SetStory:
    """A step revealing ``ids`` (in document order, leaving out those already visible at the
    step before it and ids that name no record), inserted at ``at`` (default: the end). When
    ``ids`` name no link, the step also reveals the links between its variables and from them
    to those shown before it, and the labels of loops those links close
    (:func:`connecting_ids`); ids with a link in them are taken as the links wanted."""
    story = doc.story
    at = len(story.steps) if at is None else at
    if not 0 <= at <= len(story.steps):
        raise OpError(f"cannot insert a step at {at + 1}")
    wanted = set(ids)
    seen = visible_at(story, at - 1) if at else set()
    if not any(record_id in doc.links for record_id in wanted):
        wanted |= connecting_ids(doc, wanted, seen)
    ordered = [
        record_id
        for table in (doc.variables, doc.links, doc.loop_labels)
        for record_id in table
        if record_id in wanted and record_id not in seen
    ]
    step = StoryStep(caption=caption, reveal=ordered, whatif=pulse)
    steps = list(story.steps)
    steps.insert(at, step)
    return SetStory(_story_with(steps), "Add Step")


def connecting_ids(doc: Document, ids: set[str], seen: set[str]) -> set[str]:
    """The links not in ``seen`` between two variables of ``ids`` | ``seen`` with at least one
    end in ``ids``, and the loop labels not in ``seen`` whose loop is then whole (every variable
    and a link from each to the next shown)."""
    shown = {i for i in ids | seen if i in doc.variables}
    links = {
        link.id
        for link in doc.links.values()
        if link.id not in seen
        and link.source in shown
        and link.target in shown
        and (link.source in ids or link.target in ids)
    }
    if not links:
        return set()
    visible = seen | ids | links
    joined = {(link.source, link.target) for link in doc.links.values() if link.id in visible}
    labels = {
        label.id
        for label in doc.loop_labels.values()
        if label.id not in seen and _closed(label.loop, shown, joined)
    }
    return links | labels


def broken_labels(doc: Document) -> set[str]:
    """The loop labels whose loop an edit broke (a variable or a link of it is gone): the
    editor draws them as a dashed "?", and a story leaves them out. Each label's links are
    looked up by their ends, so the work goes with the labels' loops, not with the diagram
    (the Story panel asks at every edit)."""
    variables = doc.variables
    return {
        label.id
        for label in doc.loop_labels.values()
        if not all(
            member in variables
            and doc.link_between(member, label.loop[(k + 1) % len(label.loop)]) is not None
            for k, member in enumerate(label.loop)
        )
    }


def _closed(loop: list[str], variables: Collection[str], joined: set[tuple[str, str]]) -> bool:
    """Every variable of ``loop`` is in ``variables`` and joined to the next by a link."""
    return all(
        member in variables and (member, loop[(k + 1) % len(loop)]) in joined
        for k, member in enumerate(loop)
    )


def remove_step(doc: Document, index: int) -> SetStory:
    _check_index(doc.story, index)
    steps = list(doc.story.steps)
    del steps[index]
    return SetStory(_story_with(steps), "Remove Step")


def move_step(doc: Document, index: int, to: int) -> SetStory:
    """Move step ``index`` so that it becomes step ``to`` (0-based)."""
    _check_index(doc.story, index)
    _check_index(doc.story, to)
    steps = list(doc.story.steps)
    steps.insert(to, steps.pop(index))
    return SetStory(_story_with(steps), "Move Step")


def set_caption(doc: Document, index: int, caption: str) -> SetStory:
    _check_index(doc.story, index)
    return replace_step(doc, index, doc.story.steps[index], caption)


def replace_step(
    doc: Document, index: int, step: StoryStep, caption: str | None = None
) -> SetStory:
    """Put ``step`` (validated again, with ``caption`` when given) in place of step ``index``."""
    _check_index(doc.story, index)
    data = step.model_dump()
    if caption is not None:
        data["caption"] = caption
    try:
        checked = StoryStep.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise OpError(f"step {index + 1}: {where}: {error['msg']}") from None
    steps = list(doc.story.steps)
    steps[index] = checked
    name = "Edit Caption" if caption is not None else "Edit Step"
    return SetStory(_story_with(steps), name)


def set_pulse(doc: Document, index: int, pulse: StoryPulse | None) -> SetStory:
    _check_index(doc.story, index)
    step = doc.story.steps[index].model_copy(update={"whatif": pulse})
    op = replace_step(doc, index, step)
    return SetStory(op.story, "Set What If" if pulse else "Remove What If")


def replace_story(story: Story, name: str = "Story from Loops") -> SetStory:
    return SetStory(story, name)


def clear_story() -> SetStory:
    return SetStory(Story(), "Clear Story")
