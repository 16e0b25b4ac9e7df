"""The JSON Schema of the ``.cld.json`` format, generated from the pydantic models.

The models in :mod:`cld_editor.core.model` are the one description of the format; this module
adds the envelope (``format``, ``version``) and writes the result to
``resources/cld.schema.json``, where other tools and editors can pick it up. A test fails when
the committed file is out of date; regenerate it with::

    python -m cld_editor.formats.schema --write

Without options the schema is printed; ``--check`` exits with status 1 when the committed file
differs from what the models give.

The schema describes what the reader accepts; the reader checks a few more things that a JSON
Schema cannot express: ids unique across the diagram, link endpoints that exist, one link per
source and target, numbers that are finite.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib import resources
from typing import Any

from ..core.model import Diagram
from .native import FORMAT, VERSION, VERSION_WITHOUT_STORY

SCHEMA_FILE = "cld.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def build_schema() -> dict[str, Any]:
    """The schema of a current-version file, envelope included."""
    body = Diagram.model_json_schema(mode="validation")
    properties = {
        "format": {"const": FORMAT, "description": 'Always "cld": marks a cld-editor diagram.'},
        "version": {
            "enum": list(range(VERSION_WITHOUT_STORY, VERSION + 1)),
            "description": "Format version: 2 when the diagram has a story, else 1 (which "
            "earlier releases read). Older versions are upgraded on reading; a newer one is "
            "refused (written by a newer cld-editor).",
        },
        **body["properties"],
    }
    return {
        "$schema": DIALECT,
        "title": f"cld-editor causal-loop diagram (.cld.json), format version {VERSION}",
        "description": "See docs/file-format.md in the cld-editor repository.",
        "type": "object",
        "properties": properties,
        "required": ["format", "version", *body.get("required", [])],
        "additionalProperties": False,
        # A story needs version 2: a version-1 file has no "story" key.
        "if": {"properties": {"version": {"const": VERSION_WITHOUT_STORY}}},
        "then": {"not": {"required": ["story"]}},
        "$defs": body["$defs"],
    }


def schema_text() -> str:
    """The schema as it is committed: two-space indent, UTF-8, final newline."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def committed_schema_path() -> Any:
    """Where the committed schema lives (``resources/`` in a checkout, or the installed package)."""
    return resources.files("cld_editor.resources").joinpath(SCHEMA_FILE)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cld_editor.formats.schema",
        description="Print, write or check the JSON Schema of the .cld.json format.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help=f"write resources/{SCHEMA_FILE}")
    group.add_argument("--check", action="store_true", help="exit 1 if that file is out of date")
    args = parser.parse_args(argv)
    text = schema_text()
    if args.write:
        path = committed_schema_path()
        with resources.as_file(path) as real_path:
            real_path.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path}")
    elif args.check:
        current = committed_schema_path().read_text(encoding="utf-8")
        if current != text:
            print(f"{SCHEMA_FILE} is out of date: run python -m cld_editor.formats.schema --write")
            return 1
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
