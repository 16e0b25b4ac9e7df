"""Saving and reading give back exactly what was saved, byte for byte, for random diagrams
(unicode, line breaks, -0.0, extreme coordinates); the fast and slow read paths agree; the
committed fixtures of every format version read as documented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from core_strategies import diagrams
from hypothesis import HealthCheck, example, given, settings

from cld_editor.core.model import Diagram, DiagramFields, Link, LoopLabel, Variable
from cld_editor.core.story import StoryPulse, StoryStep
from cld_editor.formats import native
from cld_editor.formats.native import (
    MIGRATIONS,
    VERSION,
    dumps_diagram,
    load_diagram,
    loads_diagram,
    save_diagram,
)

FIXTURES = Path(__file__).resolve().parents[2] / "resources" / "fixtures"
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(diagrams())
def test_save_load_save_is_byte_identical(diagram: Diagram) -> None:
    text = dumps_diagram(diagram)
    again = loads_diagram(text.encode("utf-8"))
    assert again == diagram
    assert dumps_diagram(again) == text
    assert loads_diagram(text) == diagram  # already-decoded text reads the same
    assert loads_diagram(bytearray(text.encode("utf-8"))) == diagram


@SETTINGS
@given(diagrams())
@example(
    Diagram(
        title='"},\t{"',
        variables=[Variable(id='},{"', label='"},\t{\n', notes=",\t", x=-0.0, y=1e-300)],
        links=[Link(id="l},{", source='},{"', target='},{"', curvature=-0.0)],
    )
)
def test_the_fast_writer_gives_exactly_what_json_dumps_gives(diagram: Diagram) -> None:
    """dumps_diagram assembles the indentation itself for speed; it must equal the standard
    library's indent=2 output byte for byte."""
    text = dumps_diagram(diagram)
    reference = json.dumps(json.loads(text), indent=2, ensure_ascii=False, allow_nan=False)
    assert text == reference + "\n"


@SETTINGS
@given(diagrams())
def test_fast_and_slow_read_paths_build_the_same_diagram(diagram: Diagram) -> None:
    data = dumps_diagram(diagram).encode("utf-8")
    fast = native._loads_fast(data)
    assert fast is not None, "a file cld-editor wrote must take the fast path"
    slow = native._loads_slow(data)
    assert fast == slow
    assert dumps_diagram(fast) == dumps_diagram(slow)


def test_the_written_text_follows_the_rules() -> None:
    diagram = Diagram(
        title="Café 顧客",
        variables=[Variable(id="a", label="Line one\nline two", domain="CX", x=1, y=-0.5)],
        links=[Link(id="l1", source="a", target="a", polarity="-", delay=True, curvature=0.0)],
    )
    text = dumps_diagram(diagram)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "Café 顧客" in text  # UTF-8 as is, not \u escapes
    assert '\n  "variables": [\n    {\n      "id": "a",' in text  # two-space indent
    keys = list(json.loads(text))
    assert keys == ["format", "version", "title", "variables", "links"]
    link = json.loads(text)["links"][0]
    assert list(link) == ["id", "source", "target", "polarity", "delay", "curvature"]
    variable = json.loads(text)["variables"][0]
    assert list(variable) == ["id", "label", "domain", "x", "y"]  # notes left out when empty


def test_save_then_load_through_a_file(tmp_path: Path) -> None:
    diagram = Diagram(title="T", variables=[Variable(id="a", x=1.5, y=2)])
    path = tmp_path / "d.cld.json"
    save_diagram(diagram, path)
    first = path.read_bytes()
    assert load_diagram(path) == diagram
    save_diagram(load_diagram(path), path)
    assert path.read_bytes() == first
    assert first.decode("utf-8") == dumps_diagram(diagram)


def test_a_byte_order_mark_is_accepted() -> None:
    text = dumps_diagram(Diagram(title="bom"))
    assert loads_diagram(b"\xef\xbb\xbf" + text.encode()).title == "bom"
    assert loads_diagram("\ufeff" + text).title == "bom"


def _fixture_files() -> list[Path]:
    return sorted(
        path
        for path in FIXTURES.glob("v*/*.cld.json")
        if not path.name.endswith(".expected.cld.json")
    )


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_of_every_version_reads_as_expected(path: Path) -> None:
    """``name.expected.cld.json`` is what the current program saves after reading
    ``name.cld.json``; without one, the fixture is already in the current form."""
    expected = path.with_name(path.name.removesuffix(".cld.json") + ".expected.cld.json")
    want = (expected if expected.exists() else path).read_text(encoding="utf-8")
    assert dumps_diagram(load_diagram(path)) == want


def test_every_version_and_every_migration_has_fixtures() -> None:
    folders = {int(folder.name[1:]) for folder in FIXTURES.glob("v*") if folder.is_dir()}
    assert folders == set(range(1, VERSION + 1)), "one fixture folder per format version"
    for version in folders:
        assert list((FIXTURES / f"v{version}").glob("*.cld.json")), f"v{version} has no files"
    assert set(MIGRATIONS) == set(range(1, VERSION)), "one migration per older version"


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_migrations_are_pure(path: Path) -> None:
    """A migration must not change its argument (and returns the same for the same input)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    body = {key: value for key, value in raw.items() if key not in ("format", "version")}
    for old in range(raw["version"], VERSION):
        snapshot = json.dumps(body, sort_keys=True)
        upgraded = MIGRATIONS[old](body)
        assert json.dumps(body, sort_keys=True) == snapshot
        assert MIGRATIONS[old](json.loads(snapshot)) == upgraded
        body = upgraded


def test_the_every_key_fixture_uses_every_key() -> None:
    """Keeps the fixture (and with it the byte-identity check) complete as fields are added."""
    raw = json.loads((FIXTURES / f"v{VERSION}" / "every-key.cld.json").read_text("utf-8"))
    assert set(raw) == {"format", "version", *DiagramFields.model_fields}
    for key, model in (("variables", Variable), ("links", Link), ("loop_labels", LoopLabel)):
        used = {field for record in raw[key] for field in record}
        assert used == set(model.model_fields), key
    steps = raw["story"]["steps"]
    assert {field for step in steps for field in step} == set(StoryStep.model_fields)
    pulses = [step["whatif"] for step in steps if "whatif" in step]
    assert {field for pulse in pulses for field in pulse} == set(StoryPulse.model_fields)


def test_a_repeated_key_takes_the_last_value_on_both_read_paths() -> None:
    data = (
        b'{"format": "cld", "version": 1, "title": "first", "title": "last",'
        b' "variables": [{"id": "a", "x": 1, "y": 2, "x": 3}]}'
    )
    for read in (native._loads_fast, native._loads_slow, loads_diagram):
        diagram = read(data)
        assert diagram is not None
        assert diagram.title == "last" and diagram.variables[0].x == 3.0


def test_generated_link_ids_avoid_every_id_of_the_diagram() -> None:
    """Ids are unique across variables, links and loop labels, so a link written without an
    id must not be given one a variable or a loop label already has."""
    text = json.dumps(
        {
            "format": "cld",
            "version": 1,
            "variables": [{"id": "l1", "x": 0, "y": 0}, {"id": "l2", "x": 9, "y": 0}],
            "links": [{"source": "l1", "target": "l2"}, {"source": "l2", "target": "l1"}],
            "loop_labels": [{"id": "l3", "loop": ["l1", "l2"], "x": 0, "y": 0}],
        }
    )
    diagram = loads_diagram(text)
    assert [link.id for link in diagram.links] == ["l4", "l5"]
