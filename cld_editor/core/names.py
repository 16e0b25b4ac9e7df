"""Variable names: when two names are the same, which names are free, and what to say about it.

Loop listings, the report and What If captions name variables by their labels, so two variables
called "Revenue" make "Revenue -> Cost -> Revenue" ambiguous. As in Vensim, a name already held
by another variable is refused when the user names or renames one, and copies get free names
("Revenue 2"). Two names are the same when they match ignoring case and runs of white space
(line breaks included): "Staff\\nmorale" and "staff  Morale" are one name. Files that already
hold shared names load unchanged; :func:`shared_names_message` is the line that points them out.
Everything here is pure; the edits in :mod:`cld_editor.core.edits` and the editor use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .model import MAX_LABEL_LENGTH, Variable, remove_control_characters
from .text import one_line

#: The name a new variable is offered, numbered from 1 ("Variable 1", "Variable 2", ...).
NEW_VARIABLE_STEM = "Variable"
#: A name ending in a short number after white space: "Revenue 2" is the second "Revenue". A
#: longer one is part of the name, not a count: a copy of "Sales 2024" is "Sales 2024 2", never
#: "Sales 2025", which reads as another year.
_NUMBERED = re.compile(r"^(?P<stem>.*\S)\s+(?P<number>\d{1,3})$", re.DOTALL)


def name_key(name: str) -> str:
    """What two names are compared on: one line, single spaces, trimmed, case folded, without
    the control characters a stored name cannot hold (typed or pasted text may)."""
    return one_line(remove_control_characters(name)).casefold()


def name_keys(variables: Iterable[Variable]) -> set[str]:
    """The keys of the names the variables hold (to test many names against them)."""
    return {name_key(variable.label) for variable in variables}


def holder_of(variables: Iterable[Variable], name: str, own_id: str | None = None) -> str | None:
    """The id of a variable other than ``own_id`` already named ``name``, or None when the name
    is free for it (a variable may always keep its own name, in any case)."""
    key = name_key(name)
    if not key:
        return None
    for variable in variables:
        if variable.id != own_id and name_key(variable.label) == key:
            return variable.id
    return None


def is_taken(variables: Iterable[Variable], name: str, own_id: str | None = None) -> bool:
    """Whether another variable than ``own_id`` is already named ``name``."""
    return holder_of(variables, name, own_id) is not None


def free_name(wanted: str, taken: set[str]) -> str:
    """``wanted`` itself when its key is not in ``taken`` (keys as :func:`name_key` makes
    them), else the first free "wanted 2", "wanted 3", ... (see :class:`FreeNames`, which
    gives many names without probing the same numbers again). ``taken`` is not changed."""
    return FreeNames(taken).free(wanted)


class FreeNames:
    """Free names for many copies in turn (one paste), each unlike the names taken so far.

    A copy whose name is free keeps it. Otherwise a name ending in a short number counts on
    from it ("Revenue 2" -> "Revenue 3", "Step 09" -> "Step 10"), any other name gets " 2",
    " 3", ... ("Sales 2024" -> "Sales 2024 2"), and a name with nothing in it becomes the
    first free "Variable N", as a new variable is named. Line breaks inside the name stay.
    For each stem it remembers the run of numbers already found taken, so that copying "Variable
    1" ... "Variable 4000" onto themselves probes each number once, not from 2 every time.
    """

    def __init__(self, taken: set[str]) -> None:
        self._taken = taken  # keys; shared with the caller until :meth:`give` adds one
        self._given: set[str] = set()
        # (stem key, digits) -> [low, high): every number in it is taken for that stem.
        self._runs: dict[tuple[str, int], tuple[int, int]] = {}

    def _is_taken(self, key: str) -> bool:
        return key in self._taken or key in self._given

    def give(self, wanted: str) -> str:
        """A free name for ``wanted`` (as :meth:`free`), taken from now on."""
        name = self.free(wanted)
        self._given.add(name_key(name))
        return name

    def free(self, wanted: str) -> str:
        """``wanted`` when it is free, else the first free numbered name after it."""
        if not self._is_taken(name_key(wanted)):
            return wanted
        stem, number, digits = wanted.strip(), 2, 1
        numbered = _NUMBERED.match(stem)
        if numbered:
            stem, number = numbered["stem"], int(numbered["number"]) + 1
            if numbered["number"].startswith("0"):
                digits = len(numbered["number"])  # "Step 09" -> "Step 10", "Step 007" -> "Step 008"
        if not name_key(stem):
            stem, number, digits = NEW_VARIABLE_STEM, 1, 1
        key = (name_key(stem), digits)
        low, high = self._runs.get(key, (number, number))
        first = number
        while True:
            if low <= number < high:
                number = high  # known taken: skip the run
            suffix = f" {number:0{digits}d}"
            candidate = (stem[: MAX_LABEL_LENGTH - len(suffix)].rstrip() + suffix).strip()
            if not self._is_taken(name_key(candidate)):
                break
            number += 1
        # Every number from ``first`` to ``number - 1`` is taken: keep the run that holds the
        # most recent probes, joined with the old one when they touch.
        if first <= high and number >= low:
            self._runs[key] = (min(low, first), number)
        else:
            self._runs[key] = (first, number)
        return candidate


def new_variable_name(variables: Iterable[Variable]) -> str:
    """The name a new variable is offered: "Variable 1", or the first free number after it."""
    taken = name_keys(variables)
    number = 1
    while name_key(f"{NEW_VARIABLE_STEM} {number}") in taken:
        number += 1
    return f"{NEW_VARIABLE_STEM} {number}"


def shared_names(variables: Iterable[Variable]) -> list[tuple[str, int]]:
    """Names held by more than one variable: (the first holder's name on one line, how many
    hold it), in document order."""
    groups: dict[str, list[str]] = {}
    for variable in variables:
        groups.setdefault(name_key(variable.label), []).append(one_line(variable.label))
    return [(names[0], len(names)) for key, names in groups.items() if key and len(names) > 1]


def taken_message(name: str) -> str:
    """The one line that says why a name was refused."""
    return (
        f"“{one_line(name)}” is already the name of another variable: "
        "choose another so loops read clearly"
    )


def shared_names_message(variables: Iterable[Variable]) -> str | None:
    """One line pointing out names several variables share (None when every name is unique):
    "2 variables share the name “Revenue”: rename one so loops read clearly"."""
    shared = shared_names(variables)
    if not shared:
        return None
    if len(shared) == 1:
        name, count = shared[0]
        one = "one" if count == 2 else "them"
        return f"{count} variables share the name “{name}”: rename {one} so loops read clearly"
    shown = ", ".join(f"“{name}” ({count})" for name, count in shared[:3])
    more = f" and {len(shared) - 3} more" if len(shared) > 3 else ""
    return (
        f"{len(shared)} names are shared by several variables, {shown}{more}: "
        "rename them so loops read clearly"
    )
