"""Format version 2: a diagram with a story is written as version 2 and read back exactly
(both read paths), one without is still written as version 1; a version-1 file cannot carry a
story; the migration and the JSON Schema say the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.core.story import Story, StoryPulse, StoryStep
from cld_editor.formats import native
from cld_editor.formats.migrations import upgrade_v1_to_v2
from cld_editor.formats.native import LoadError, dumps_diagram, loads_diagram
from cld_editor.formats.schema import build_schema

BASE = Diagram(
    variables=[Variable(id="a", x=0, y=0), Variable(id="b", x=1, y=1)],
    links=[Link(id="l1", source="a", target="b")],
)
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc"]) | st.sampled_from("\n\t"), max_size=12
)
IDS = st.text(st.characters(codec="utf-8", exclude_categories=["Cc"]), min_size=1, max_size=6)


@st.composite
def stories(draw: st.DrawFn) -> Story:
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        pulse = draw(
            st.none()
            | st.builds(
                StoryPulse,
                variable=IDS,
                direction=st.sampled_from(["up", "down"]),
                steps=st.none() | st.integers(1, 1000),
            )
        )
        steps.append(
            StoryStep(
                caption=draw(TEXT),
                reveal=draw(st.lists(IDS, max_size=4)),
                highlight=draw(st.none() | st.lists(IDS, max_size=3)),
                whatif=pulse,
            )
        )
    return Story(steps=steps)


@settings(max_examples=150, deadline=None)
@given(stories())
def test_a_story_round_trips_byte_for_byte_on_both_read_paths(story: Story) -> None:
    diagram = BASE.model_copy(update={"story": story})
    text = dumps_diagram(diagram)
    assert json.loads(text)["version"] == 2
    fast = native._loads_fast(text.encode())
    assert fast is not None, "a file cld-editor wrote must take the fast path"
    assert fast == diagram == native._loads_slow(text.encode())
    assert dumps_diagram(fast) == text
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_without_a_story_the_file_stays_version_1() -> None:
    text = dumps_diagram(BASE)
    raw = json.loads(text)
    assert raw["version"] == 1 and "story" not in raw
    assert loads_diagram(text) == BASE


def test_a_version_1_file_with_a_story_is_refused_on_both_paths() -> None:
    raw = json.loads(dumps_diagram(BASE.model_copy(update={"story": Story(steps=[StoryStep()])})))
    raw["version"] = 1
    data = json.dumps(raw).encode()
    assert native._loads_fast(data) is None
    with pytest.raises(LoadError, match='"story" is not a version 1 key'):
        loads_diagram(data)


def test_bad_story_values_are_named() -> None:
    raw = json.loads(dumps_diagram(BASE))
    raw["version"] = 2
    raw["story"] = {"steps": [{"reveal": ["a"]}, {"whatif": {"variable": "a", "direction": "x"}}]}
    with pytest.raises(LoadError, match="story") as info:
        loads_diagram(json.dumps(raw))
    assert "\n" not in str(info.value)
    raw["story"] = {"steps": [{"reveal": "a"}]}
    with pytest.raises(LoadError, match="story"):
        loads_diagram(json.dumps(raw))


def test_the_migration_adds_nothing_and_refuses_a_story() -> None:
    body = {"title": "t", "variables": []}
    assert upgrade_v1_to_v2(body) == body and upgrade_v1_to_v2(body) is not body
    with pytest.raises(ValueError):
        upgrade_v1_to_v2({"story": {}})


def test_the_schema_ties_a_story_to_version_2() -> None:
    schema = build_schema()
    assert schema["properties"]["version"]["enum"] == [1, 2]
    assert schema["if"] == {"properties": {"version": {"const": 1}}}
    assert schema["then"] == {"not": {"required": ["story"]}}
    step = schema["$defs"]["StoryStep"]
    assert set(step["properties"]) == {"caption", "reveal", "highlight", "whatif"}
    assert step["additionalProperties"] is False


def test_the_docs_describe_version_2() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "file-format.md").read_text("utf-8")
    for key in ("`story`", "`reveal`", "`highlight`", "`whatif`", "version 2"):
        assert key in docs, key
