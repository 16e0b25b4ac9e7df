"""A story: an ordered list of steps that reveal a diagram bit by bit, saved in the diagram.

Each step reveals some records (variables, links, loop labels, by id): what is visible at a
step is everything revealed by it and the steps before it. A step highlights what it reveals,
or an explicit list of ids; it has an optional caption and an optional what-if pulse to play
(see :mod:`cld_editor.analysis.whatif`). Like a loop label, a story is not checked against the
records: an id that no longer names one (after a delete) is skipped when the story is shown,
so undoing the delete brings it back. These are immutable pydantic records, the keys of the
``story`` object of a version-2 ``.cld.json`` file. This module imports nothing from
:mod:`cld_editor.core.model` (which holds a story in its Diagram), so the id rule is restated
here; a test keeps the two equal. :func:`visible_at` and :func:`highlighted_at` answer what a
presenter shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

#: The rules of ``cld_editor.core.model.Id`` and ``Text`` (a test keeps them equal).
StoryId = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f-\x9f]+$")
]
Caption = Annotated[
    str, StringConstraints(max_length=100_000, pattern=r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$")
]
#: Steps a story may hold (a long workshop has a few dozen).
MAX_STORY_STEPS = 10_000
#: Steps a story's what-if pulse may run.
MAX_PULSE_STEPS = 1_000


class _StoryRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


class StoryPulse(_StoryRecord):
    """A what-if pulse a step plays: ``variable`` rises or falls, for ``steps`` steps."""

    variable: StoryId = Field(description="Id of the variable that changes first.")
    direction: Literal["up", "down"] = Field(description='"up" (rises) or "down" (falls).')
    steps: Annotated[int, Field(ge=1, le=MAX_PULSE_STEPS)] | None = Field(
        default=None,
        description="How many steps to play; absent: twice the longest loop, at most 50.",
    )


class StoryStep(_StoryRecord):
    """One step of a story."""

    caption: Caption = Field(default="", description="Shown below the diagram at this step.")
    reveal: list[StoryId] = Field(
        default_factory=list,
        description="Ids of the variables, links and loop labels that appear at this step.",
    )
    highlight: list[StoryId] | None = Field(
        default=None,
        description="Ids shown as new at this step; absent: the ones it reveals.",
    )
    whatif: StoryPulse | None = Field(default=None, description="A what-if pulse to play.")

    @property
    def highlighted(self) -> list[str]:
        return self.reveal if self.highlight is None else self.highlight


class Story(_StoryRecord):
    """The steps of a diagram's story, in the order they are shown."""

    steps: list[StoryStep] = Field(
        default_factory=list, max_length=MAX_STORY_STEPS, description="In the order shown."
    )

    def __bool__(self) -> bool:
        return bool(self.steps)


def visible_at(story: Story, index: int, existing: Iterable[str] | None = None) -> set[str]:
    """The ids visible at step ``index`` (0-based): revealed by it or an earlier step, limited to
    ``existing`` ids when given."""
    shown: set[str] = set()
    for step in story.steps[: index + 1]:
        shown.update(step.reveal)
    return shown if existing is None else shown.intersection(existing)


def new_at(story: Story, index: int, existing: Iterable[str] | None = None) -> set[str]:
    """The ids step ``index`` reveals that no earlier step revealed (a step inserted before
    it may already show some of them), limited to ``existing`` ids when given."""
    if not 0 <= index < len(story.steps):
        return set()
    ids = set(story.steps[index].reveal) - visible_at(story, index - 1)
    return ids if existing is None else ids.intersection(existing)


def highlighted_at(story: Story, index: int, existing: Iterable[str] | None = None) -> set[str]:
    """The ids shown as new at step ``index``: its explicit highlight, or else what it reveals
    that no earlier step showed; limited to ``existing`` ids when given."""
    if not 0 <= index < len(story.steps):
        return set()
    step = story.steps[index]
    if step.highlight is None:
        return new_at(story, index, existing)
    ids = set(step.highlight)
    return ids if existing is None else ids.intersection(existing)
