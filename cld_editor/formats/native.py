"""The native ``.cld.json`` format: read (with migrations), write (stable bytes), save atomically.

Reading is defensive: whatever the bytes, the only exception that leaves this module is
:class:`LoadError`, whose message is one line naming the problem (the caller adds the file
name). Writing is deterministic: the same diagram always gives the same bytes.

A current-version file is read in one pass by pydantic-core straight from the bytes (the fast
path; no intermediate Python dicts). Anything else, whether an older version, a hand-written file
that leaves out positions or link ids, or a broken file, goes through ``json.loads``, the
envelope checks, the migrations and ``Diagram.model_validate``, which also produces the error
message. The fast path accepts a subset of what the slow path accepts and builds the same
diagram (a test checks this on fuzzed input).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cld_editor.core.memory import gc_paused as _gc_paused

from ..core.model import (
    Diagram,
    DiagramFields,
    Link,
    LoopLabel,
    Variable,
    check_references,
)
from .atomic import atomic_write
from .json_limits import MAX_JSON_CONTAINERS, MAX_JSON_VALUES, JsonTooLarge, check_json_size
from .messages import describe_validation_error, first_line, json_problem, json_type, short
from .migrations import upgrade_v1_to_v2
from .reading import UnreadableFile, read_regular_file, too_large

__all__ = [
    "FORMAT",
    "MAX_FILE_BYTES",
    "MAX_JSON_CONTAINERS",
    "MAX_JSON_VALUES",
    "MIGRATIONS",
    "SUFFIX",
    "VERSION",
    "LoadError",
    "atomic_write",
    "describe_validation_error",
    "diagram_from_dict",
    "dumps_diagram",
    "load_diagram",
    "loads_diagram",
    "save_diagram",
]

FORMAT = "cld"
VERSION = 2
#: Diagrams without a story are still written as version 1, which earlier releases read.
VERSION_WITHOUT_STORY = 1
SUFFIX = ".cld.json"
#: Larger files are refused before they are read: 64 MiB holds the largest diagram allowed
#: (MAX_VARIABLES variables and MAX_LINKS links take about 50 MiB).
MAX_FILE_BYTES = 64 * 1024 * 1024

#: ``MIGRATIONS[n]`` turns the body of a version-n file (a dict without "format" and "version")
#: into the body of a version n+1 file. Pure dict -> dict functions; each has fixture files in
#: resources/fixtures/v<n>/ (see docs/file-format.md and formats.migrations).
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: upgrade_v1_to_v2}


class LoadError(Exception):
    """A file that cannot be read as a diagram; the message is one line, without the file name,
    and ``line`` (1-based) says where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line

    def where(self, path: str | os.PathLike[str]) -> str:
        """``FILE:LINE`` (or ``FILE`` when the line is not known), for ``error: ...`` lines."""
        return f"{os.fspath(path)}:{self.line}" if self.line else os.fspath(path)


class _CurrentFile(DiagramFields):
    """A whole current-version file, envelope included: what the fast path validates."""

    # pydantic-core's string cache costs more here than it saves (measured: about a quarter of
    # the load time of a 10,000-variable file), since most strings in a diagram are distinct.
    model_config = ConfigDict(cache_strings=False)
    format: Literal["cld"]
    # Not Literal[1]: that also matches 1.0 and true, which the slow path refuses.
    # Version 1 is version 2 without a story (checked in _loads_fast), so both take this path.
    version: Annotated[int, Field(strict=True, ge=VERSION_WITHOUT_STORY, le=VERSION)]


_DIAGRAM_FIELDS = tuple(DiagramFields.model_fields)


def load_diagram(path: str | os.PathLike[str], *, follow_symlinks: bool = True) -> Diagram:
    """Read a ``.cld.json`` file; raises LoadError whatever is wrong (the file or its contents).

    Only a regular file of at most MAX_FILE_BYTES is read (never a FIFO or a device, which
    would block or never end); ``follow_symlinks=False`` refuses a symbolic link too.
    """
    try:
        data = read_regular_file(path, MAX_FILE_BYTES, follow_symlinks=follow_symlinks)
    except UnreadableFile as exc:
        raise LoadError(str(exc)) from None
    return loads_diagram(data)


def loads_diagram(data: bytes | str) -> Diagram:
    """Parse the contents of a ``.cld.json`` file (bytes, or text already decoded)."""
    if not isinstance(data, bytes | str):
        data = bytes(data)  # a bytearray or memoryview, e.g. from a QByteArray
    if len(data) > MAX_FILE_BYTES:
        raise LoadError(_too_large(len(data)))
    # Parsing builds an object per value, array and object: count them first (see json_limits).
    try:
        check_json_size(data)
    except JsonTooLarge as exc:
        raise LoadError(str(exc)) from None
    with _gc_paused():
        diagram = _loads_fast(data)
        return diagram if diagram is not None else _loads_slow(data)


def _loads_fast(data: bytes | str) -> Diagram | None:
    """The diagram, or None when the fast path cannot read it (the slow path will say why)."""
    try:
        parsed = _CurrentFile.model_validate_json(data, strict=True)
    except ValidationError:
        return None
    except (ValueError, RecursionError):
        # Not expected from pydantic-core, but the slow path knows how to describe any input.
        return None
    if parsed.version < VERSION and "story" in parsed.model_fields_set:
        return None  # the migration refuses it, with the message
    diagram = Diagram.model_construct(**{name: getattr(parsed, name) for name in _DIAGRAM_FIELDS})
    try:
        check_references(diagram.variables, diagram.links, diagram.loop_labels)
    except ValueError as exc:
        raise LoadError(str(exc)) from None
    return diagram


def _loads_slow(data: bytes | str) -> Diagram:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LoadError(f"not UTF-8 text (bad byte at offset {exc.start})") from None
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        raise LoadError("file is empty")
    try:
        raw = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        # FILE:LINE: names the line (the documented form); the column follows the message.
        raise LoadError(f"not valid JSON: {json_problem(exc)}", exc.lineno) from None
    except RecursionError:
        raise LoadError("not valid JSON: nested too deeply") from None
    except ValueError as exc:  # NaN/Infinity, integers with thousands of digits
        message = str(exc)
        if "digits" in message:
            message = "a number has too many digits"
        raise LoadError(f"not valid JSON: {first_line(message)}") from None
    return diagram_from_dict(raw)


def diagram_from_dict(raw: Any) -> Diagram:
    """Check the envelope, migrate old versions and validate a parsed file."""
    if not isinstance(raw, dict):
        raise LoadError(f"expected a JSON object at the top level, found {json_type(raw)}")
    if raw.get("format") != FORMAT:
        if "format" not in raw:
            raise LoadError(f'not a cld-editor diagram (no "format": "{FORMAT}" key)')
        raise LoadError(f'not a cld-editor diagram ("format" is {short(raw["format"])})')
    version = raw.get("version")
    if "version" not in raw:
        raise LoadError('missing key "version"')
    if type(version) is not int or version < 1:
        raise LoadError(f'"version" must be a whole number >= 1, found {short(version)}')
    if version > VERSION:
        raise LoadError(
            f"written by a newer cld-editor (file version {short(version)}; this version reads "
            f"up to {VERSION}): please upgrade"
        )
    body = {key: value for key, value in raw.items() if key not in ("format", "version")}
    for old in range(version, VERSION):
        try:
            body = MIGRATIONS[old](body)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise LoadError(
                f"cannot upgrade from version {old}: {first_line(str(exc)) or type(exc).__name__}"
            ) from None
    try:
        return Diagram.model_validate(body, strict=True)
    except ValidationError as exc:
        raise LoadError(describe_validation_error(exc, body)) from None
    except RecursionError:
        raise LoadError("nested too deeply") from None


def dumps_diagram(diagram: Diagram) -> str:
    """The file text: stable key order, two-space indent, UTF-8 (not escaped), final newline."""
    version = VERSION if diagram.story else VERSION_WITHOUT_STORY
    document: dict[str, Any] = {"format": FORMAT, "version": version, "title": diagram.title}
    if diagram.description:
        document["description"] = diagram.description
    if diagram.waterline is not None:
        document["waterline"] = diagram.waterline
    document["variables"] = _records(Variable, diagram.variables)
    document["links"] = _records(Link, diagram.links, keep=("polarity", "delay"))
    if diagram.loop_labels:
        document["loop_labels"] = _records(LoopLabel, diagram.loop_labels)
    if diagram.story:
        document["story"] = diagram.story.model_dump(exclude_defaults=True)
    return _indented(document) + "\n"


#: Never in the JSON encoder's output, which escapes control characters inside strings.
_MARK = "\x00"
_FIELD = ",\n      "


def _indented(document: dict[str, Any]) -> str:
    """Exactly ``json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)``, about
    three times faster: with ``indent`` json uses its pure-Python encoder, so the long lists of
    flat records (variables, links) are encoded by the C encoder with a marker as separator,
    and the marker is then turned into the indentation."""
    items = []
    for key, value in document.items():
        if key in ("variables", "links") and value:
            text = _flat_records(value)
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
            text = text.replace("\n", "\n  ")
        items.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(items) + "\n}"


def _flat_records(records: list[dict[str, Any]]) -> str:
    """A non-empty list of dicts of scalars as json.dumps(indent=2) writes it at depth 1."""
    separators = ("," + _MARK, ": ")
    compact = json.dumps(records, ensure_ascii=False, allow_nan=False, separators=separators)
    # compact is [{...},<MARK>{...}]; a field value is a scalar, so "}," + MARK + "{" can only
    # be the boundary between two records, and every other "," + MARK separates two fields.
    body = compact[2:-2].replace("}," + _MARK + "{", "\n    },\n    {\n      ")
    return "[\n    {\n      " + body.replace("," + _MARK, _FIELD) + "\n    }\n  ]"


_ALWAYS = object()


def _records(
    model: type[BaseModel], records: list[Any], keep: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Records as dicts of their fields in declaration order, leaving out optional fields at
    their default (so files stay short and diffs small); ``keep`` fields are always written."""
    plan: list[tuple[str, Any]] = []
    for name, info in model.model_fields.items():
        # A default computed from other fields (label from id) is always written: the reader
        # would compute it again, but a reader of the file should not need to know the rule.
        if name in keep or info.is_required() or info.default_factory_takes_validated_data:
            plan.append((name, _ALWAYS))
        else:
            plan.append((name, info.get_default(call_default_factory=True)))
    out = []
    for record in records:
        values = record.__dict__
        out.append(
            {
                name: values[name]
                for name, default in plan
                if default is _ALWAYS or values[name] != default
            }
        )
    return out


def save_diagram(diagram: Diagram, path: str | os.PathLike[str]) -> None:
    """Write atomically (see :func:`cld_editor.formats.atomic.atomic_write`).

    The file keeps its permissions when it already exists. On any error the old file is intact
    and the temporary file is removed; the OSError propagates.
    """
    atomic_write(path, dumps_diagram(diagram).encode("utf-8"))


def _too_large(size: int) -> str:
    return too_large(size, MAX_FILE_BYTES)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")
