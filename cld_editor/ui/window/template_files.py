"""The example and archetype diagrams bundled with the program (``cld_editor.resources``), as
File > New from Template offers them: from the folder's ``index.json`` when there is one, else
from the title of each ``.cld.json`` below it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from cld_editor.formats.native import SUFFIX

DEFAULT_EXAMPLE = "experience-loop.cld.json"


@dataclass(frozen=True)
class Template:
    """An example or archetype diagram offered by File > New from Template."""

    title: str
    path: Path
    kind: str  # "example" or "archetype"
    description: str = ""


def examples_folder() -> Path:
    return Path(str(files("cld_editor.resources").joinpath("examples")))


def default_example() -> Path:
    return examples_folder() / DEFAULT_EXAMPLE


def templates(folder: Path | None = None) -> list[Template]:
    """Examples, then archetypes, by title: from ``index.json`` when there is one, else from
    the ``title`` of each ``*.cld.json`` below the folder (an ``archetypes`` folder or a file
    name starting with ``archetype`` marks an archetype)."""
    folder = folder or examples_folder()
    found = _templates_from_index(folder)
    if found is None:
        found = []
        for path in sorted(folder.rglob(f"*{SUFFIX}")):
            title = _title_of(path)
            if title is not None:
                found.append(Template(title, path, _kind_of(path)))
    order = {"example": 0, "archetype": 1}
    return sorted(found, key=lambda t: (order.get(t.kind, 2), t.title.casefold()))


def _templates_from_index(folder: Path) -> list[Template] | None:
    index = folder / "index.json"
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    entries: list[tuple[dict, str | None]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, list):
                kind = {"examples": "example", "archetypes": "archetype"}.get(key)
                entries += [(entry, kind) for entry in value if isinstance(entry, dict)]
    elif isinstance(data, list):
        entries = [(entry, None) for entry in data if isinstance(entry, dict)]
    found = []
    for entry, kind in entries:
        name = entry.get("file") or entry.get("path")
        if not isinstance(name, str):
            continue
        path = folder / name
        if not path.is_file():
            continue
        title = entry.get("title")
        if not isinstance(title, str):
            title = _title_of(path) or path.name
        entry_kind = entry.get("kind") or entry.get("category") or kind or _kind_of(path)
        description = entry.get("description")
        found.append(
            Template(
                title,
                path,
                "archetype" if "archetype" in entry_kind else "example",
                description if isinstance(description, str) else "",
            )
        )
    return found or None


def _title_of(path: Path) -> str | None:
    try:
        title = json.loads(path.read_text(encoding="utf-8")).get("title")
    except (OSError, ValueError, AttributeError):
        return None
    return title if isinstance(title, str) and title.strip() else path.name.removesuffix(SUFFIX)


def _kind_of(path: Path) -> str:
    if "archetypes" in path.parts or path.name.startswith("archetype"):
        return "archetype"
    return "example"
