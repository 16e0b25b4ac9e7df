"""Cut, copy and paste of variables with the links among them, as Ops.

A copied *fragment* is plain JSON: the selected variables and every link whose two ends are both
selected. On the clipboard it travels as our own MIME type, with a readable plain-text version
beside it ("Staff morale -> Service quality (+)") for mail and notes. Pasting makes one
undoable Op that adds the records under fresh ids and free names ("Revenue 2" beside "Revenue",
see :func:`cld_editor.core.edits.paste`), offset from where they were copied; plain
text from elsewhere pastes as one new variable per line, and lines in the form above become
links again. Only :func:`mime_data_for` and :func:`fragment_from_mime` touch Qt.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QMimeData

from cld_editor.core import edits
from cld_editor.core.document import Document
from cld_editor.core.model import MAX_LABEL_LENGTH, Link, Variable
from cld_editor.core.ops import Op
from cld_editor.ui.mime import qt_allocated_mime_data

MIME_TYPE = "application/x-cld-editor-fragment+json"
FRAGMENT_FORMAT = "cld-fragment"
#: Each paste of the same fragment lands this much further down and right: clear of the
#: originals (a variable is 30 high, two lines about 50) so copies never sit on them.
PASTE_OFFSET = 60.0
#: Plain text with more lines than this is not turned into variables.
MAX_TEXT_VARIABLES = 200
TEXT_GRID_SPACING = (180.0, 90.0)

Fragment = dict[str, Any]
_LINK_LINE = re.compile(
    r"^(?P<source>.+?) -> (?P<target>.+?) \((?P<polarity>[+?-])(?P<delay>, delayed)?\)$"
)


class FragmentError(ValueError):
    """Clipboard content that is not a usable fragment."""


def fragment_of(document: Document, variable_ids: Iterable[str]) -> Fragment:
    """The selected variables (document order) and the links among them."""
    chosen = set(variable_ids)
    variables = [v for v in document.variables.values() if v.id in chosen]
    links = [
        link for link in document.links.values() if link.source in chosen and link.target in chosen
    ]
    return {
        "format": FRAGMENT_FORMAT,
        "version": 1,
        "variables": [v.model_dump(mode="json") for v in variables],
        "links": [link.model_dump(mode="json") for link in links],
    }


def fragment_text(fragment: Fragment) -> str:
    """A readable plain-text version: one variable per line, then one link per line."""
    labels = {v["id"]: " ".join(str(v["label"]).split()) for v in fragment["variables"]}
    lines = list(labels.values())
    for link in fragment["links"]:
        delay = ", delayed" if link.get("delay") else ""
        lines.append(
            f"{labels[link['source']]} -> {labels[link['target']]} ({link['polarity']}{delay})"
        )
    return "\n".join(lines)


def cut_op(document: Document, variable_ids: Iterable[str]) -> Op | None:
    """Delete the variables (and all their links) as one step named "Cut"."""
    return edits.cut(document, variable_ids)


def parse_fragment(data: Any) -> tuple[list[Variable], list[Link]]:
    """Validate a fragment; links whose ends are not in it are left out."""
    if not isinstance(data, dict) or data.get("format") != FRAGMENT_FORMAT:
        raise FragmentError("not a cld-editor fragment")
    try:
        variables = [Variable.model_validate(v) for v in data.get("variables", [])]
        ids = {v.id for v in variables}
        links = [
            link
            for link in (Link.model_validate(item) for item in data.get("links", []))
            if link.source in ids and link.target in ids
        ]
    except (ValidationError, TypeError) as exc:
        raise FragmentError(f"invalid fragment: {exc}") from None
    if not variables:
        raise FragmentError("the fragment holds no variables")
    return variables, links


def paste_op(
    document: Document, fragment: Fragment, offset: tuple[float, float]
) -> tuple[Op | None, list[str]]:
    """One "Paste" op adding the fragment's records under fresh ids, moved by ``offset``;
    also returns the new variable ids (to select them after the paste)."""
    variables, links = parse_fragment(fragment)
    op = edits.paste(document, variables, links, offset)
    return op, edits.added_ids(op)


def fragment_middle(fragment: Fragment) -> tuple[float, float]:
    """The middle of the box around the fragment's variables (their centres)."""
    variables, _links = parse_fragment(fragment)
    if not variables:
        return 0.0, 0.0
    xs = [v.x for v in variables]
    ys = [v.y for v in variables]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def fragment_from_text(text: str, at: tuple[float, float] = (0.0, 0.0)) -> Fragment | None:
    """Plain text from another program: a fragment JSON, or one variable per non-empty line
    laid out in a grid from ``at``; None when there is nothing usable."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
        if isinstance(data, dict) and data.get("format") == FRAGMENT_FORMAT:
            return data
    lines = [" ".join(line.split()) for line in stripped.splitlines()]
    labels: dict[str, str] = {}  # label -> id, in order of appearance
    links: list[dict[str, Any]] = []
    for line in (line for line in lines if line):
        match = _LINK_LINE.match(line)
        ends = [match["source"], match["target"]] if match else [line]
        for label in ends:
            labels.setdefault(label[:MAX_LABEL_LENGTH], f"t{len(labels) + 1}")
        if match:
            source, target = (labels[end[:MAX_LABEL_LENGTH]] for end in ends)
            if all((k["source"], k["target"]) != (source, target) for k in links):
                links.append(
                    {
                        "id": f"tl{len(links) + 1}",
                        "source": source,
                        "target": target,
                        "polarity": match["polarity"],
                        "delay": bool(match["delay"]),
                    }
                )
    if not labels or len(labels) > MAX_TEXT_VARIABLES:
        return None
    columns = max(1, math.ceil(math.sqrt(len(labels))))
    sx, sy = TEXT_GRID_SPACING
    variables = [
        {
            "id": variable_id,
            "label": label,
            "x": round(at[0] + (i % columns) * sx, 2),
            "y": round(at[1] + (i // columns) * sy, 2),
        }
        for i, (label, variable_id) in enumerate(labels.items())
    ]
    return {"format": FRAGMENT_FORMAT, "version": 1, "variables": variables, "links": links}


# -- Qt clipboard ------------------------------------------------------------------------------


def mime_data_for(fragment: Fragment) -> QMimeData:
    """The fragment as clipboard data: our MIME type plus the plain-text version."""
    mime = qt_allocated_mime_data()
    mime.setData(MIME_TYPE, json.dumps(fragment, ensure_ascii=False).encode("utf-8"))
    mime.setText(fragment_text(fragment))
    return mime


def fragment_from_mime(
    mime: QMimeData | None, at: tuple[float, float] = (0.0, 0.0)
) -> tuple[Fragment | None, bool]:
    """(fragment, is_ours): our MIME type first, else the plain-text fallback."""
    if mime is None:
        return None, False
    if mime.hasFormat(MIME_TYPE):
        try:
            data = json.loads(bytes(mime.data(MIME_TYPE).data()).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            data = None
        if isinstance(data, dict):
            return data, True
    if mime.hasText():
        return fragment_from_text(mime.text(), at), False
    return None, False
