"""The committed JSON Schema is the one the models give, and it says what the reader accepts."""

from __future__ import annotations

import json
from pathlib import Path

from cld_editor.core.model import DiagramFields, Link, LoopLabel, Variable
from cld_editor.formats import schema
from cld_editor.formats.native import VERSION

REPO_SCHEMA = Path(__file__).resolve().parents[2] / "resources" / "cld.schema.json"


def test_the_committed_schema_is_up_to_date() -> None:
    committed = REPO_SCHEMA.read_text(encoding="utf-8")
    assert committed == schema.schema_text(), (
        "resources/cld.schema.json is out of date: run python -m cld_editor.formats.schema --write"
    )


def test_the_schema_is_reachable_as_a_package_resource() -> None:
    assert schema.committed_schema_path().read_text(encoding="utf-8") == schema.schema_text()


def test_the_check_option_reports_a_stale_schema(monkeypatch, capsys) -> None:
    assert schema.main(["--check"]) == 0
    monkeypatch.setattr(schema, "schema_text", lambda: "{}\n")
    assert schema.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().out


def test_printing_gives_the_schema(capsys) -> None:
    assert schema.main([]) == 0
    assert json.loads(capsys.readouterr().out) == schema.build_schema()


def test_the_schema_describes_the_envelope_and_every_field() -> None:
    built = schema.build_schema()
    assert built["properties"]["format"] == {
        "const": "cld",
        "description": built["properties"]["format"]["description"],
    }
    assert built["properties"]["version"]["enum"] == list(range(1, VERSION + 1))
    assert built["required"] == ["format", "version"]
    assert built["additionalProperties"] is False
    assert list(built["properties"]) == ["format", "version", *DiagramFields.model_fields]
    definitions = built["$defs"]
    for model in (Variable, Link, LoopLabel):
        definition = definitions[model.__name__]
        assert set(definition["properties"]) == set(model.model_fields)
        assert definition["additionalProperties"] is False


def test_required_keys_are_what_a_file_must_contain() -> None:
    """The keys the reader fills in (label, x, y, link id) are optional in the schema."""
    definitions = schema.build_schema()["$defs"]
    assert definitions["Variable"]["required"] == ["id"]
    assert definitions["Link"]["required"] == ["source", "target"]
    assert definitions["LoopLabel"]["required"] == ["id", "loop", "x", "y"]
    assert definitions["Link"]["properties"]["polarity"]["enum"] == ["+", "-", "?"]
