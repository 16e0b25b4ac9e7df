"""The diagram's records: immutable pydantic models for variables, links, loop labels, diagram.

These are values, never edited in place: the Document replaces a record with a validated copy
(see ``checked_update`` in :mod:`cld_editor.core.ops`). The models also describe the native file
format, so field names here are the keys of a ``.cld.json`` file; :mod:`cld_editor.formats.native`
adds only the envelope (format, version). Everything that can be checked on one record is a
field constraint; what needs the whole diagram (unique ids, link endpoints, one link per pair)
is :func:`check_references`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from operator import attrgetter
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .story import Story

MAX_ID_LENGTH = 200
MAX_LABEL_LENGTH = 1_000
MAX_TEXT_LENGTH = 100_000
MAX_COORDINATE = 1e9
#: Records a diagram may hold: a hundred times the largest models people bring (World3 has 311
#: variables), and a bound on the memory a file can make the loader spend: a diagram at these
#: limits, or a hostile file shaped like one, loads or is refused within 500 MB
#: (benchmarks/bench_loader_guards.py; about 7 KiB per variable with its links while validating).
MAX_VARIABLES = 50_000
MAX_LINKS = 150_000
MAX_LOOP_LABELS = 10_000

#: C0 and C1 control characters other than tab and line feed (a character class body). They
#: have no place in a label or a note, and XML (the SVG and HTML exports) cannot hold most of
#: them, so files holding them are refused and the editor removes them from typed text.
CONTROL_CHARACTERS = r"\x00-\x08\x0b-\x1f\x7f-\x9f"
#: Stable identifier of a record: a non-empty string without control characters (not even tab
#: or line feed).
Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_ID_LENGTH, pattern=r"^[^\x00-\x1f\x7f-\x9f]+$"),
]
#: Text shown to people: line breaks and tabs allowed, other control characters not.
Label = Annotated[
    str, StringConstraints(max_length=MAX_LABEL_LENGTH, pattern=rf"^[^{CONTROL_CHARACTERS}]*$")
]
Text = Annotated[
    str, StringConstraints(max_length=MAX_TEXT_LENGTH, pattern=rf"^[^{CONTROL_CHARACTERS}]*$")
]
Coordinate = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_COORDINATE, le=MAX_COORDINATE)]
Domain = Literal["CX", "EX"]
Polarity = Literal["+", "-", "?"]
POLARITIES: tuple[str, ...] = ("+", "-", "?")
DOMAINS: tuple[str, ...] = ("CX", "EX")
#: A new link bends a little to its left, so A->B and B->A never lie on top of each other.
DEFAULT_CURVATURE = 0.2
MAX_CURVATURE = 2.0


def _optional_in_file(*keys: str):
    """JSON-schema hook: these keys are required in memory but may be left out of a file."""

    def hook(schema: dict[str, Any]) -> None:
        schema["required"] = [key for key in schema.get("required", []) if key not in keys]

    return hook


def _id_of(data: dict[str, Any]) -> str:
    return data["id"]


class Record(BaseModel):
    """Base of every record: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


class Variable(Record):
    """A variable (a box on the canvas), optionally tagged customer (CX) or employee (EX)."""

    model_config = ConfigDict(json_schema_extra=_optional_in_file("x", "y"))

    id: Id = Field(description="Unique among all ids in the diagram; links refer to it.")
    # A default factory rather than a "before" validator: it keeps validation inside
    # pydantic-core, which is what makes loading large files fast (see formats.native).
    label: Label = Field(
        default_factory=_id_of, description="Text shown on the canvas; defaults to the id."
    )
    domain: Domain | None = Field(default=None, description='"CX", "EX" or absent.')
    x: Coordinate = Field(description="Centre, scene units; placed on a circle when absent.")
    y: Coordinate = Field(description="Centre, scene units (y grows downwards).")
    notes: Text = Field(default="", description="Free text shown in the properties panel.")


class Link(Record):
    """A signed causal link from ``source`` to ``target`` (a self-link when they are equal)."""

    model_config = ConfigDict(json_schema_extra=_optional_in_file("id"))

    id: Id = Field(description="Generated (l1, l2, ...) when absent.")
    # Plain strings: an endpoint must be the id of a variable (check_references), which makes
    # the Id constraints redundant here, and skipping them is measurable on large files.
    source: str = Field(description="Id of the variable the link starts at.")
    target: str = Field(description="Id of the variable the link points to.")
    polarity: Polarity = Field(
        default="+",
        description='"+" same direction, "-" opposite direction, "?" not yet known.',
    )
    delay: bool = Field(default=False, description="Drawn with a delay mark (||).")
    curvature: Annotated[float, Field(allow_inf_nan=False, ge=-MAX_CURVATURE, le=MAX_CURVATURE)] = (
        Field(
            default=DEFAULT_CURVATURE,
            description="How far the arc bows to the left of its direction, as a fraction of the "
            "distance between its ends; 0 is straight, negative bows to the right.",
        )
    )


class LoopLabel(Record):
    """A marker naming one loop on the canvas; the loop is identified by its variables in order.

    The loop is not checked against the links: a label outlives an edit that breaks its loop
    (and comes back to life when the edit is undone), so the GUI shows such a label as stale.
    """

    id: Id = Field(description="Unique among all ids in the diagram.")
    loop: list[Id] = Field(min_length=1, description="The loop's variables in the order it runs.")
    x: Coordinate = Field(description="Centre of the label, scene units.")
    y: Coordinate = Field(description="Centre of the label, scene units.")
    name: Label | None = Field(default=None, description='A custom name such as "Virtuous cycle".')

    @property
    def loop_key(self) -> tuple[str, ...]:
        return canonical_loop(self.loop)


class DiagramFields(Record):
    """The fields of a :class:`Diagram` without its whole-diagram checks.

    The file reader validates a file against these fields (plus the envelope) in one pass and
    runs :func:`check_references` itself; everything else should use :class:`Diagram`.
    """

    title: Label = Field(default="Untitled", description="Shown in the window title and reports.")
    description: Text = Field(default="", description="Free text about the diagram.")
    waterline: Coordinate | None = Field(
        default=None,
        description="y of the iceberg waterline (CX above, EX below); absent when not shown.",
    )
    # fail_fast: a file of a million broken records is refused at the first one, instead of
    # collecting a million errors (gigabytes) before saying so.
    variables: list[Variable] = Field(
        default_factory=list,
        description="In document order.",
        max_length=MAX_VARIABLES,
        fail_fast=True,
    )
    links: list[Link] = Field(
        default_factory=list,
        description="In document order; at most one per source and target.",
        max_length=MAX_LINKS,
        fail_fast=True,
    )
    loop_labels: list[LoopLabel] = Field(
        default_factory=list,
        description="Loop names shown on the canvas.",
        max_length=MAX_LOOP_LABELS,
        fail_fast=True,
    )
    story: Story = Field(
        default_factory=Story,
        description="Steps that reveal the diagram bit by bit (format version 2).",
    )


class Diagram(DiagramFields):
    """A whole causal-loop diagram: records in document order, plus title and iceberg waterline.

    Validating a dict fills in what a hand-written file may leave out (positions of unplaced
    variables, link ids) and checks the references between records.
    """

    @model_validator(mode="before")
    @classmethod
    def _fill_optional_file_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        # Too many records are refused by max_length; completing them first would only cost
        # a copy of each.
        variables = data.get("variables")
        if isinstance(variables, list) and len(variables) <= MAX_VARIABLES:
            data["variables"] = place_unplaced(variables)
        links = data.get("links")
        if isinstance(links, list) and len(links) <= MAX_LINKS:
            data["links"] = _name_unnamed_links(links, data)
        return data

    @model_validator(mode="after")
    def _check_references(self) -> Diagram:
        check_references(self.variables, self.links, self.loop_labels)
        return self


def place_unplaced(variables: list[Any]) -> list[Any]:
    """Give variable dicts without x or y a place on a circle, in document order."""
    unplaced = [
        i for i, v in enumerate(variables) if isinstance(v, dict) and ("x" not in v or "y" not in v)
    ]
    if not unplaced:
        return variables
    out = list(variables)
    radius = max(150.0, 40.0 * len(unplaced))
    for k, i in enumerate(unplaced):
        angle = -math.pi / 2 + 2 * math.pi * k / len(unplaced)
        placed = dict(out[i])
        # "+ 0.0" turns a rounded -0.0 into 0.0, which reads better in a saved file.
        placed.setdefault("x", round(radius * math.cos(angle), 2) + 0.0)
        placed.setdefault("y", round(radius * math.sin(angle), 2) + 0.0)
        out[i] = placed
    return out


def _string_ids(data: dict[str, Any]) -> set[str]:
    """The string ids of every record of a diagram dict (anything else is refused later)."""
    taken: set[str] = set()
    for table in ("variables", "links", "loop_labels"):
        records = data.get(table)
        if isinstance(records, list):
            taken.update(
                r["id"] for r in records if isinstance(r, dict) and isinstance(r.get("id"), str)
            )
    return taken


def _name_unnamed_links(links: list[Any], data: dict[str, Any]) -> list[Any]:
    """Give link dicts without an id the first id of the form l1, l2, ... that no record of
    the diagram ``data`` has (ids are unique across variables, links and loop labels)."""
    if not any(isinstance(link, dict) and "id" not in link for link in links):
        return links
    taken = _string_ids(data)
    out, n = [], 0
    for link in links:
        if isinstance(link, dict) and "id" not in link:
            n += 1
            while f"l{n}" in taken:
                n += 1
            link = {"id": f"l{n}", **link}
            taken.add(link["id"])
        out.append(link)
    return out


_get_id = attrgetter("id")
_get_ends = attrgetter("source", "target")
_get_source = attrgetter("source")
_get_target = attrgetter("target")


def check_references(
    variables: Sequence[Variable], links: Sequence[Link], loop_labels: Sequence[LoopLabel]
) -> None:
    """Raise ValueError naming the first duplicate id, dangling endpoint or repeated link.

    Ids are unique across all three tables (an id names one thing). Set sizes answer the common
    case, a valid diagram, without a Python-level loop; only an invalid one is walked record by
    record to say where the problem is.
    """
    variable_ids = set(map(_get_id, variables))
    link_ids = set(map(_get_id, links))
    label_ids = set(map(_get_id, loop_labels))
    if (
        len(variable_ids) != len(variables)
        or len(link_ids) != len(links)
        or len(label_ids) != len(loop_labels)
        or not variable_ids.isdisjoint(link_ids)
        or not label_ids.isdisjoint(variable_ids)
        or not label_ids.isdisjoint(link_ids)
    ):
        _raise_duplicate_id(variables, links, loop_labels)
    if not (
        variable_ids.issuperset(map(_get_source, links))
        and variable_ids.issuperset(map(_get_target, links))
    ):
        for index, link in enumerate(links):
            for role, end in (("source", link.source), ("target", link.target)):
                if end not in variable_ids:
                    raise ValueError(
                        f"links[{index}] (id {link.id!r}): {role} {end!r} is not a variable"
                    )
    if len(set(map(_get_ends, links))) != len(links):
        first: dict[tuple[str, str], int] = {}
        for index, link in enumerate(links):
            pair = (link.source, link.target)
            if pair in first:
                raise ValueError(
                    f"links[{index}] (id {link.id!r}) repeats links[{first[pair]}] "
                    f"(id {links[first[pair]].id!r}): both go from {pair[0]!r} to {pair[1]!r}"
                )
            first[pair] = index


def _raise_duplicate_id(
    variables: Sequence[Variable], links: Sequence[Link], loop_labels: Sequence[LoopLabel]
) -> None:
    seen: dict[str, str] = {}
    tables = (("variables", variables), ("links", links), ("loop_labels", loop_labels))
    for table, records in tables:
        for index, record in enumerate(records):
            where = f"{table}[{index}]"
            if record.id in seen:
                raise ValueError(f"duplicate id {record.id!r}: {seen[record.id]} and {where}")
            seen[record.id] = where


_CONTROL_TABLE = dict.fromkeys([*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])


def remove_control_characters(text: str) -> str:
    """``text`` as a Label or Text accepts it: line breaks of any kind (CR LF, CR) become line
    feeds, other C0 and C1 control characters (but tab) are removed. For typed or pasted text."""
    if text.isprintable():  # the common case, checked in C
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL_TABLE)


def canonical_loop(members: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The rotation of a loop's member list that starts at its smallest id: a key that ignores
    where the list happened to start (loop labels and loops are matched on it)."""
    if not members:
        return ()
    start = min(range(len(members)), key=lambda i: members[i])
    return tuple(members[start:]) + tuple(members[:start])


def loop_names(labels: Sequence[LoopLabel] | Any) -> dict[tuple[str, ...], str]:
    """The names users gave loops ("Virtuous cycle"), by loop key, from loop labels (a sequence
    or a mapping of them); a label without a name, or with only blanks, names nothing."""
    records = labels.values() if hasattr(labels, "values") else labels
    names: dict[tuple[str, ...], str] = {}
    for label in records:
        name = " ".join((label.name or "").split())
        if name:
            names.setdefault(label.loop_key, name)
    return names


def stem_of_file_name(name: str | os.PathLike[str]) -> str:
    """``loop.cld.json`` -> ``loop``: a diagram file's name without its suffixes."""
    base = os.path.basename(os.fspath(name))
    for suffix in (".cld.json", ".json"):
        if base.lower().endswith(suffix):
            return base[: -len(suffix)] or base
    stem, dot, _ext = base.rpartition(".")
    return stem if dot and stem else base


def titled_after_file(diagram: Diagram, file_name: str | None) -> Diagram:
    """The diagram as exports and reports show it: a title never set ("Untitled", or blank)
    becomes the name of its file (``exp.cld.json`` -> "exp")."""
    default = Diagram.model_fields["title"].default
    if not file_name or diagram.title.strip() not in ("", default):
        return diagram
    return diagram.model_copy(update={"title": stem_of_file_name(file_name)})
