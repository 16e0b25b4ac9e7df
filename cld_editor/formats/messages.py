"""One-line, human-readable descriptions of why a file's contents are not a valid diagram.

pydantic reports errors as (location, type, message) triples written for programmers; the
people who hand-edit ``.cld.json`` files need to hear which record, which key and what was
expected, e.g. ``variables[3] (id "sales").x: expected a number, found a string``.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

#: What a "wrong type" error expected, in JSON words.
_EXPECTED = {
    "model_type": "an object",
    "model_attributes_type": "an object",
    "dict_type": "an object",
    "list_type": "an array",
    "string_type": "a string",
    "float_type": "a number",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "none_required": "null",
}


def describe_validation_error(exc: ValidationError, body: Any) -> str:
    """One line for the first error, with a path such as ``variables[3] (id "sales").x``."""
    error = exc.errors(include_url=False)[0]
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind in ("extra_forbidden", "missing"):
        parent = describe_location(loc[:-1], body)
        what = "unknown key" if kind == "extra_forbidden" else "missing key"
        return f"{what} {short(str(loc[-1]))}" + (f" in {parent}" if parent else "")
    path = describe_location(loc, body)
    message = _describe_problem(kind, error)
    return f"{path}: {message}" if path else message


def _describe_problem(kind: str, error: Any) -> str:
    value = error.get("input")
    if kind == "float_type" and type(value) is int:
        return "number is out of range"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, found {json_type(value)}"
    if kind == "literal_error":
        return f"expected {error['ctx']['expected']}, found {short(value)}"
    if kind == "string_unicode":
        return "not valid Unicode text (an unpaired surrogate escape such as \\ud800)"
    if kind == "string_pattern_mismatch":
        return _describe_control_character(value, (error.get("ctx") or {}).get("pattern", ""))
    ctx = error.get("ctx") or {}
    if kind == "too_long":
        return f"too many items ({ctx['actual_length']:,}; at most {ctx['max_length']:,})"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']:,} item(s), found {ctx['actual_length']:,}"
    if kind == "string_too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else "is too short"
    if kind == "string_too_long" and isinstance(value, str):
        return f"too long ({len(value):,} characters; at most {ctx['max_length']:,})"
    if kind == "finite_number":
        return "must be a finite number (not NaN or Infinity)"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = f"at least {ctx['ge']:g}" if "ge" in ctx else f"at most {ctx['le']:g}"
        return f"must be {bound}, found {short(value)}"
    return first_line(error["msg"]).removeprefix("Value error, ")


def _describe_control_character(value: Any, pattern: str) -> str:
    """Which control character a string holds, and where (ids allow none, text tab and LF)."""
    text_allows = "\\x0b" in pattern  # the Label/Text class skips tab and line feed
    allowed = "\t\n" if text_allows else ""
    rule = (
        "must not contain control characters other than line breaks and tabs"
        if text_allows
        else "must not contain control characters (line breaks, tabs, ...)"
    )
    if isinstance(value, str):
        for index, char in enumerate(value):
            code = ord(char)
            if (code < 0x20 or 0x7F <= code <= 0x9F) and char not in allowed:
                return f"{rule}: found U+{code:04X} at character {index + 1}"
    return rule


def describe_location(loc: tuple[Any, ...], body: Any) -> str:
    """``("variables", 3, "x")`` as ``variables[3] (id "sales").x``, ids taken from ``body``."""
    parts: list[str] = []
    node = body
    for part in loc:
        if isinstance(part, int):
            text = f"[{part}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                text += f" (id {short(node['id'])})"
            parts.append(text)
        else:
            node = node.get(part) if isinstance(node, dict) else None
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def json_type(value: Any) -> str:
    """What a parsed JSON value is, in JSON words ("a string", "an array", ...)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    names = {list: "an array", dict: "an object", str: "a string", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def short(value: Any) -> str:
    """A value as JSON, cut to 40 characters, for quoting in a message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = json_type(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= 40 else text[:37] + "..."


def first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0] if lines else text


def json_problem(exc: json.JSONDecodeError) -> str:
    """What is wrong in a JSON text, as the end of a sentence: "unterminated string starting
    at column 51" (the line goes with the error separately)."""
    text = exc.msg.removesuffix(" at").strip()
    return f"{text[:1].lower()}{text[1:]} at column {exc.colno}"
