"""Add Step from selected variables brings their links: the links between the variables a
step shows (its own and those earlier steps show) that touch what was selected, and the loop
labels of the loops then whole; a selection with a link in it is taken as it is; stories saved
before keep what they say."""

from __future__ import annotations

from cld_editor.core import story_ops
from cld_editor.core.document import Document
from cld_editor.core.history import History
from cld_editor.core.model import Diagram, Link, LoopLabel, Variable
from cld_editor.core.story import Story, StoryStep, visible_at


def chain() -> Document:
    """engagement -> service -> satisfaction -> revenue -> engagement, and a chord
    satisfaction -> engagement; the label names the short loop."""
    names = ("engagement", "service", "satisfaction", "revenue", "loose")
    pairs = [
        ("engagement", "service"),
        ("service", "satisfaction"),
        ("satisfaction", "revenue"),
        ("revenue", "engagement"),
        ("satisfaction", "engagement"),
    ]
    return Document(
        Diagram(
            variables=[Variable(id=n, x=100 * k, y=0) for k, n in enumerate(names)],
            links=[Link(id=f"{s}>{t}", source=s, target=t) for s, t in pairs],
            loop_labels=[
                LoopLabel(id="short", loop=["engagement", "service", "satisfaction"], x=0, y=0),
                LoopLabel(
                    id="long",
                    loop=["engagement", "service", "satisfaction", "revenue"],
                    x=0,
                    y=0,
                ),
            ],
        )
    )


def test_selected_variables_bring_the_links_between_them_and_the_loop_they_close() -> None:
    d = chain()
    d.apply(story_ops.add_step(d, ["satisfaction", "service", "engagement"], "Engaged staff"))
    assert d.story.steps[0].reveal == [
        "engagement",
        "service",
        "satisfaction",
        "engagement>service",
        "service>satisfaction",
        "satisfaction>engagement",
        "short",
    ]


def test_a_later_step_joins_its_variables_to_what_is_already_shown() -> None:
    d = chain()
    d.apply(story_ops.add_step(d, ["engagement", "service"]))
    d.apply(story_ops.add_step(d, ["satisfaction"]))
    d.apply(story_ops.add_step(d, ["revenue"]))
    assert [s.reveal for s in d.story.steps] == [
        ["engagement", "service", "engagement>service"],
        ["satisfaction", "service>satisfaction", "satisfaction>engagement", "short"],
        ["revenue", "satisfaction>revenue", "revenue>engagement", "long"],
    ]
    # A variable with no link to what is shown comes alone.
    d.apply(story_ops.add_step(d, ["loose"]))
    assert d.story.steps[-1].reveal == ["loose"]


def test_a_selection_with_a_link_is_taken_as_it_is() -> None:
    """Selecting links says which arrows the step shows: the others wait."""
    d = chain()
    d.apply(story_ops.add_step(d, ["engagement", "service", "satisfaction", "engagement>service"]))
    assert d.story.steps[0].reveal == [
        "engagement",
        "service",
        "satisfaction",
        "engagement>service",
    ]


def test_links_left_out_between_variables_the_step_does_not_touch_stay_out() -> None:
    """An earlier step that showed two variables without their link (a story from the loops
    keeps a chord for its own loop) does not get that link from a step about something else."""
    d = chain()
    d.apply(
        story_ops.add_step(
            d,
            ["engagement", "service", "satisfaction", "engagement>service", "service>satisfaction"],
        )
    )
    d.apply(story_ops.add_step(d, ["revenue"]))
    assert d.story.steps[1].reveal == [
        "revenue",
        "satisfaction>revenue",
        "revenue>engagement",
        "long",  # its loop is whole now; the short one still lacks its chord
    ]
    assert "satisfaction>engagement" not in visible_at(d.story, 1)


def test_a_step_inserted_before_others_joins_only_what_is_shown_before_it() -> None:
    d = chain()
    d.apply(story_ops.add_step(d, ["revenue"]))
    d.apply(story_ops.add_step(d, ["engagement"], at=0))
    # revenue is shown only after it: no link to it yet
    assert d.story.steps[0].reveal == ["engagement"]
    d.apply(story_ops.add_step(d, ["satisfaction"], at=1))
    assert d.story.steps[1].reveal == ["satisfaction", "satisfaction>engagement"]


def test_adding_a_step_with_its_links_is_one_undo_step() -> None:
    d = chain()
    history = History(d)
    history.push(story_ops.add_step(d, ["engagement", "service"]))
    assert d.story.steps[0].reveal[-1] == "engagement>service"
    history.undo()
    assert d.story == Story()


def test_a_saved_story_keeps_what_it_reveals() -> None:
    """Links are written into a step when it is added, never derived when it is shown: a saved
    story that shows variables first and their link later still does."""
    d = chain()
    story = Story(
        steps=[
            StoryStep(reveal=["engagement", "service"]),
            StoryStep(reveal=["engagement>service"]),
        ]
    )
    d.apply(story_ops.replace_story(story))
    assert visible_at(d.story, 0) == {"engagement", "service"}
    assert visible_at(d.story, 1) == {"engagement", "service", "engagement>service"}


def test_broken_labels_are_those_whose_loop_lost_a_variable_or_a_link() -> None:
    from cld_editor.core.ops import delete

    d = chain()
    assert story_ops.broken_labels(d) == set()
    undo = d.apply(delete(link_ids=["satisfaction>engagement"]))
    assert story_ops.broken_labels(d) == {"short"}
    d.apply(undo)
    d.apply(delete(variable_ids=["revenue"]))
    assert story_ops.broken_labels(d) == {"long"}


class LinksCounted(Document):
    """A document that counts how often its whole table of links is read."""

    reads = 0

    @property
    def links(self):  # type: ignore[override]
        self.reads += 1
        return super().links


def test_broken_labels_look_up_each_label_s_links_not_the_whole_table() -> None:
    from cld_editor.core.ops import delete

    # The Story panel asks at every edit: a scan of every link cost 53 ms at 150,000 links.
    ring = [f"v{k}" for k in range(200)]
    links = [Link(id=f"l{k}", source=ring[k], target=ring[(k + 1) % 200]) for k in range(200)]
    links.append(Link(id="self", source="v7", target="v7"))
    labels = [
        LoopLabel(id="ring", loop=ring, x=0, y=0),
        LoopLabel(id="own", loop=["v7"], x=0, y=0),
        LoopLabel(id="back", loop=["v3", "v2"], x=0, y=0),  # v3 -> v2 was never drawn
    ]
    variables = [Variable(id=v, x=0, y=0) for v in ring]
    d = LinksCounted(Diagram(variables=variables, links=links))
    assert story_ops.broken_labels(d) == set() and d.reads == 0  # no labels: nothing read
    d = LinksCounted(Diagram(variables=variables, links=links, loop_labels=labels))
    assert story_ops.broken_labels(d) == {"back"}
    assert d.reads == 0
    d.apply(delete(link_ids=["self"]))
    d.reads = 0
    assert story_ops.broken_labels(d) == {"back", "own"} and d.reads == 0
