"""Story slides: what a step shows (cumulative, a link only with both ends, ids that name
nothing skipped), what it highlights, the still picture of a step's pulse, and SVG pictures
whose text is the caption, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cld_editor.core.model import Diagram, Link, LoopLabel, Variable
from cld_editor.core.story import Story, StoryPulse, StoryStep
from cld_editor.ui.story.slides import StorySlides
from cld_editor.ui.story.story_export import inline_svg, slide_png, slide_svg

DIAGRAM = Diagram(
    title="A & B",
    variables=[
        Variable(id="a", label="<a> & 'b'", x=0, y=0),
        Variable(id="b", x=200, y=0),
        Variable(id="c", x=100, y=150),
    ],
    links=[
        Link(id="l1", source="a", target="b"),
        Link(id="l2", source="b", target="a", polarity="-"),
        Link(id="l3", source="b", target="c", delay=True),
    ],
    loop_labels=[LoopLabel(id="r", loop=["a", "b"], x=100, y=40)],
)
STORY = Story(
    steps=[
        StoryStep(caption="First <b>a</b>", reveal=["a", "l1", "gone"]),
        StoryStep(reveal=["b", "r"], highlight=["a"]),
        StoryStep(
            reveal=["l2", "c", "l3"], whatif=StoryPulse(variable="a", direction="down", steps=4)
        ),
    ]
)


def test_what_each_step_shows_and_highlights() -> None:
    slides = StorySlides(DIAGRAM, STORY)
    first = slides.state(0)
    assert first.visible == {"a"}  # l1 waits for its target; "gone" names nothing
    assert first.new == {"a"} and first.caption == "First <b>a</b>"
    second = slides.state(1)
    assert second.visible == {"a", "b", "l1", "r"} and second.new == {"a"}
    third = slides.state(2)
    assert third.visible == {"a", "b", "c", "l1", "l2", "l3", "r"}
    assert third.caption == "Suppose <a> & 'b' falls."  # a pulse without a caption


def test_the_still_picture_of_a_pulse_is_the_first_change_each_variable_gets() -> None:
    slides = StorySlides(DIAGRAM, STORY)
    assert slides.pulse_badges(2) == {"a": "down", "b": "down", "c": "down"}
    assert slides.pulse_badges(0) == {}


def test_svg_pictures_escape_labels_and_captions() -> None:
    slides = StorySlides(DIAGRAM, STORY)
    svg = slide_svg(slides, 0)
    root = ET.fromstring(svg)  # well-formed XML whatever the labels hold
    text = " ".join(t.strip() for t in root.itertext() if t.strip())
    assert "First <b>a</b>" in text and "<a> & 'b'" in text
    element = inline_svg(svg, "s1-")
    assert element.startswith("<svg") and "<?xml" not in element
    assert slide_png(slides, 1).startswith(b"\x89PNG")


def test_waterline_captions_on_slides_keep_clear_of_variables() -> None:
    from cld_editor.ui.drawing import render_overlays

    # A variable sits right where the captions would start at the left of the band.
    diagram = Diagram(
        variables=[
            Variable(id="a", label="Customer loyalty", domain="CX", x=0, y=-20),
            Variable(id="b", label="Staff", domain="EX", x=400, y=200),
        ],
        links=[Link(id="l1", source="a", target="b")],
        waterline=0.0,
    )
    slides = StorySlides(diagram, Story(steps=[StoryStep(reveal=["a", "b", "l1"])]))
    rects = render_overlays.waterline_caption_rects(0.0, slides.caption_x)
    for shape in slides.layout.obstacles:
        assert not any(rect.intersects(shape) for rect in rects)
    svg = slide_svg(slides, 0)
    assert "CX above" in svg.decode() if isinstance(svg, bytes) else "CX above" in svg


def test_the_label_of_a_loop_an_edit_broke_stays_off_the_slides() -> None:
    """The editor draws it as a dashed "?" so the author mends or deletes it; a room has no
    loop to read it on. Mended (the link back), it shows again."""
    broken = DIAGRAM.model_copy(update={"links": [DIAGRAM.links[0], DIAGRAM.links[2]]})
    story = Story(steps=[StoryStep(reveal=["a", "b", "c", "l1", "l2", "l3", "r"])])
    assert StorySlides(broken, story).layout.looks["r"].stale
    assert StorySlides(broken, story).state(0).visible == {"a", "b", "c", "l1", "l3"}
    assert "r" in StorySlides(DIAGRAM, story).state(0).visible
    # nor is it drawn: the picture of the broken diagram has no loop label text
    assert b">?<" not in slide_svg(StorySlides(broken, story), 0)
