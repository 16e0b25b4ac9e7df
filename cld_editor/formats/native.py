"""The native ``.cld.json`` format: read (with migrations), write (stable bytes), save atomically.

Reading is defensive: whatever the bytes, the only exception that leaves this module is
:class:`LoadError`, whose message is one line naming the problem (the caller adds the file
name). Writing is deterministic: the same diagram always gives the same bytes.
"""

from __future__ import annotations

import gc
import json
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.model import Diagram

FORMAT = "cld"
VERSION = 1
SUFFIX = ".cld.json"
#: Larger files are refused before they are read: 64 MiB holds about 500,000 variables.
MAX_FILE_BYTES = 64 * 1024 * 1024

#: Migrations from version N to N+1, pure dict -> dict functions (none yet: version 1 is the first).
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class LoadError(Exception):
    """A file that cannot be read as a diagram; the message is one line, without the file name."""


def load_diagram(path: str | os.PathLike[str]) -> Diagram:
    """Read a ``.cld.json`` file. Raises LoadError (with the file name in ``filename``)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadError(
                f"file is too large ({size / 1048576:.0f} MiB; the limit is "
                f"{MAX_FILE_BYTES // 1048576} MiB)"
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise LoadError("is a directory, not a file") from None
    except FileNotFoundError:
        raise LoadError("no such file") from None
    except PermissionError:
        raise LoadError("permission denied") from None
    except OSError as exc:
        raise LoadError(exc.strerror or str(exc)) from None
    return loads_diagram(data)


def loads_diagram(data: bytes | str) -> Diagram:
    """Parse the bytes of a ``.cld.json`` file."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise LoadError(f"file is too large (the limit is {MAX_FILE_BYTES // 1048576} MiB)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LoadError(f"not UTF-8 text (bad byte at offset {exc.start})") from None
    else:
        text = data
    if not text.strip():
        raise LoadError("file is empty")
    with _gc_paused():
        try:
            raw = json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            raise LoadError(f"not valid JSON: {exc.msg} ({where})") from None
        except RecursionError:
            raise LoadError("not valid JSON: nested too deeply") from None
        except ValueError as exc:  # NaN/Infinity, integers with thousands of digits
            message = str(exc)
            if "digits" in message:
                message = "a number has too many digits"
            raise LoadError(f"not valid JSON: {_first_line(message)}") from None
        return diagram_from_dict(raw)


def diagram_from_dict(raw: Any) -> Diagram:
    """Check the envelope, migrate old versions and validate a parsed file."""
    if not isinstance(raw, dict):
        raise LoadError(f"expected a JSON object at the top level, found {_json_type(raw)}")
    if raw.get("format") != FORMAT:
        if "format" not in raw:
            raise LoadError(f'not a cld-editor diagram (no "format": "{FORMAT}" key)')
        raise LoadError(f'not a cld-editor diagram ("format" is {_short(raw["format"])})')
    version = raw.get("version")
    if type(version) is not int or version < 1:
        raise LoadError(f'"version" must be a whole number >= 1, found {_short(version)}')
    if version > VERSION:
        raise LoadError(
            f"written by a newer cld-editor (file version {version}; this version reads up to "
            f"{VERSION}): please upgrade"
        )
    body = {key: value for key, value in raw.items() if key not in ("format", "version")}
    for old in range(version, VERSION):
        body = MIGRATIONS[old](body)
    try:
        return Diagram.model_validate(body)
    except ValidationError as exc:
        raise LoadError(describe_validation_error(exc, body)) from None
    except RecursionError:
        raise LoadError("nested too deeply") from None


def describe_validation_error(exc: ValidationError, body: Any) -> str:
    """One line for the first error, with a path such as ``variables[3] (id "sales").x``."""
    error = exc.errors(include_url=False)[0]
    loc = error["loc"]
    path = _describe_location(loc, body)
    kind = error["type"]
    if kind == "extra_forbidden":
        parent = _describe_location(loc[:-1], body)
        return f"unknown key {str(loc[-1])!r}" + (f" in {parent}" if parent else "")
    if kind == "missing":
        parent = _describe_location(loc[:-1], body)
        return f"missing key {str(loc[-1])!r}" + (f" in {parent}" if parent else "")
    message = _first_line(error["msg"]).removeprefix("Value error, ")
    return f"{path}: {message}" if path else message


def _describe_location(loc: tuple[Any, ...], body: Any) -> str:
    parts: list[str] = []
    node = body
    for part in loc:
        if isinstance(part, int):
            text = f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                text += f" (id {_short(node['id'])})"
            parts.append(text)
        else:
            node = node.get(part) if isinstance(node, dict) else None
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def dumps_diagram(diagram: Diagram) -> str:
    """The file text: stable key order, two-space indent, UTF-8 (not escaped), final newline."""
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION, "title": diagram.title}
    if diagram.description:
        document["description"] = diagram.description
    if diagram.waterline is not None:
        document["waterline"] = diagram.waterline
    document["variables"] = [_record_dict(v) for v in diagram.variables]
    document["links"] = [_record_dict(link, keep=("polarity", "delay")) for link in diagram.links]
    if diagram.loop_labels:
        document["loop_labels"] = [_record_dict(label) for label in diagram.loop_labels]
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _record_dict(record: BaseModel, keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """A record's fields in declaration order, leaving out optional ones at their default."""
    out: dict[str, Any] = {}
    for name, info in type(record).model_fields.items():
        value = getattr(record, name)
        if (
            name in keep
            or info.is_required()
            or value != info.get_default(call_default_factory=True)
        ):
            out[name] = value
    return out


def save_diagram(diagram: Diagram, path: str | os.PathLike[str]) -> None:
    """Write atomically: a temporary file beside the target, fsync, then ``os.replace``.

    The file keeps its permissions when it already exists. On any error the old file is intact
    and the temporary file is removed; the OSError propagates.
    """
    atomic_write(Path(path), dumps_diagram(diagram).encode("utf-8"))


def atomic_write(path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


@contextmanager
def _gc_paused():
    """Loading allocates many objects that are never garbage; Python's cyclic GC would rescan
    them again and again (most of the load time on 3.11), so it is paused for the load."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if _jsonable(value) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        return False
    return True


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text
