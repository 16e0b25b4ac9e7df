"""Cheap structural limits checked on JSON text before it is parsed.

Parsing builds a Python object for every value, array and object of a file, so what a hostile
file costs is set by how many of them it holds, not by its size: 59 MB of ``[[[[...]]]]`` is
30 million lists (gigabytes) with hardly a comma in it. :func:`check_json_size` counts the
values (commas) and the containers (``[`` and ``{``) that lie outside strings and refuses text
with more than a diagram at the record limits can hold, before anything is parsed.

The count first runs over the raw text (two ``bytes.count`` calls, tens of milliseconds for the
largest file). Only when that is over a limit, which also happens when strings hold many
commas or brackets, is the text scanned again with strings left out: in chunks, split at the
quotes, stopping as soon as a limit is passed. Every string is a value or a key, and values and
keys are separated by commas, so a file cannot make that scan long without passing the comma
limit early. Qt-free.
"""

from __future__ import annotations

from typing import Final

from ..core.model import MAX_LINKS, MAX_LOOP_LABELS, MAX_VARIABLES

#: More commas than this (JSON values, less one per array or object) are refused: a diagram at
#: the record limits with every optional field written has 1.3 million plus its loop labels'
#: members, while 60 MiB of ``0,0,...`` would be 30 million. Parsing costs up to about 130 bytes
#: per value (benchmarks/bench_loader_guards.py), so this also bounds the memory of a refusal.
MAX_JSON_VALUES: Final = 1_500_000
#: More arrays and objects than this are refused: a diagram at the record limits has one object
#: per record, one array per loop label and up to four containers per story step (260,006).
MAX_JSON_CONTAINERS: Final = 270_000

_CHUNK = 1 << 20


class JsonTooLarge(ValueError):
    """The text holds more values or containers than any diagram; the message says which."""


def check_json_size(data: bytes | str) -> None:
    """Raise :class:`JsonTooLarge` when ``data`` holds too many values or containers."""
    if isinstance(data, str):
        comma, quote, opens = ",", '"', ("[", "{")
    else:
        comma, quote, opens = b",", b'"', (b"[", b"{")
    commas = data.count(comma)  # type: ignore[arg-type]
    containers = data.count(opens[0]) + data.count(opens[1])  # type: ignore[arg-type]
    if commas <= MAX_JSON_VALUES and containers <= MAX_JSON_CONTAINERS:
        return
    # Some of them may be inside strings: count again without the strings.
    commas = containers = 0
    text = _without_escapes(data)
    empty = text[:0]
    inside = False
    for start in range(0, len(text), _CHUNK):
        pieces = text[start : start + _CHUNK].split(quote)  # type: ignore[arg-type]
        outside = pieces[1::2] if inside else pieces[0::2]
        if len(pieces) % 2 == 0:  # an odd number of quotes in this chunk
            inside = not inside
        joined = empty.join(outside)  # type: ignore[arg-type]
        commas += joined.count(comma)
        containers += joined.count(opens[0]) + joined.count(opens[1])
        if commas > MAX_JSON_VALUES:
            raise JsonTooLarge(
                f"too many values for a diagram (more than {MAX_JSON_VALUES:,}; a diagram holds "
                f"at most {MAX_VARIABLES:,} variables, {MAX_LINKS:,} links and "
                f"{MAX_LOOP_LABELS:,} loop labels)"
            )
        if containers > MAX_JSON_CONTAINERS:
            raise JsonTooLarge(
                f"too many arrays and objects for a diagram (more than {MAX_JSON_CONTAINERS:,}; "
                f"a diagram holds at most {MAX_VARIABLES:,} variables, {MAX_LINKS:,} links and "
                f"{MAX_LOOP_LABELS:,} loop labels)"
            )


def _without_escapes(data: bytes | str) -> bytes | str:
    """The text with escaped backslashes and escaped quotes removed, so that every quote left
    starts or ends a string. (Outside strings JSON has no backslashes.)"""
    if isinstance(data, str):
        return data.replace("\\\\", "").replace('\\"', "")
    return data.replace(b"\\\\", b"").replace(b'\\"', b"")
