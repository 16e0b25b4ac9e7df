"""Labels, notes, titles and loop names may hold line breaks and tabs but no other control
character: a file holding one is refused with a message naming the field, and the editor's
helper removes them from typed or pasted text."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cld_editor.core.model import Diagram, Variable, remove_control_characters
from cld_editor.formats.native import LoadError, dumps_diagram, loads_diagram

BAD = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\r", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f"]


def document(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "cld",
        "version": 1,
        "title": "T",
        "variables": [{"id": "a", "label": "A", "x": 0, "y": 0, "notes": "n"}],
        "loop_labels": [{"id": "r", "loop": ["a"], "x": 0, "y": 0, "name": "R"}],
    }
    for path, value in changes.items():
        node = doc
        *parents, last = path.split("__")
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[last] = value
    return doc


FIELDS = {
    "title": "title",
    "description": "description",
    "variables__0__label": 'variables[0] (id "a").label',
    "variables__0__notes": 'variables[0] (id "a").notes',
    "loop_labels__0__name": 'loop_labels[0] (id "r").name',
}


@pytest.mark.parametrize("char", BAD, ids=[f"U+{ord(c):04X}" for c in BAD])
@pytest.mark.parametrize("field", list(FIELDS))
def test_a_control_character_is_refused_naming_the_field(field: str, char: str) -> None:
    text = json.dumps(document(**{field: "ab" + char + "cd"}))
    with pytest.raises(LoadError) as info:
        loads_diagram(text.encode())
    message = str(info.value)
    assert message.startswith(FIELDS[field] + ": must not contain control characters")
    assert f"U+{ord(char):04X} at character 3" in message
    assert "\n" not in message


def test_ids_refuse_c1_control_characters_too() -> None:
    doc = document()
    doc["variables"][0]["id"] = "a\x85"
    doc["loop_labels"][0]["loop"] = ["a\x85"]
    with pytest.raises(LoadError, match=r"id: must not contain control characters.*U\+0085"):
        loads_diagram(json.dumps(doc))


def test_line_breaks_tabs_and_other_unicode_are_kept() -> None:
    text = "line one\n\tline two \u2028 \u00a0 \u200b \ufeff é 😀"
    doc = document(title=text, variables__0__label=text, variables__0__notes=text)
    diagram = loads_diagram(json.dumps(doc))
    assert diagram.title == text
    assert loads_diagram(dumps_diagram(diagram)) == diagram


def test_records_built_in_memory_follow_the_same_rule() -> None:
    with pytest.raises(ValueError, match=r"string_pattern_mismatch|should match pattern"):
        Variable(id="a", label="bell\x07", x=0, y=0)
    with pytest.raises(ValueError):
        Diagram(title="\x1b[31mred")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("plain text", "plain text"),
        ("a\tb\nc", "a\tb\nc"),
        ("windows\r\nline\rbreaks", "windows\nline\nbreaks"),
        ("bell\x07 escape\x1b[31m nul\x00 del\x7f c1\x85\x9b", "bell escape[31m nul del c1"),
        ("\u2028 é 😀", "\u2028 é 😀"),
    ],
)
def test_typed_text_loses_its_control_characters(typed: str, kept: str) -> None:
    cleaned = remove_control_characters(typed)
    assert cleaned == kept
    Variable(id="a", label=cleaned, notes=cleaned, x=0, y=0)  # accepted
