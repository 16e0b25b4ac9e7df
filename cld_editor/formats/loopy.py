"""LOOPY (ncase.me/loopy v1.1), read and write: ``[nodes, edges, labels, nextId]``.

A node is ``[id, x, y, init, label, hue]`` (centre in canvas pixels), an edge
``[from, to, arc, strength, rotation]`` (``arc`` is the apex's offset in pixels to the left of
the direction, which is our curvature times the chord; the sign of ``strength`` is the
polarity), a label ``[x, y, text]``. Texts are URI-encoded once in a ``.loopy`` file and twice in
a ``?data=`` link, whose query is itself escaped; both are read, from a file or a pasted link.
LOOPY has no ``?`` sign, delay marks, notes or domains: writing says what became of them.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any
from urllib.parse import quote, unquote

from ..analysis.loops import Budget, find_loops
from ..core.model import Diagram
from .arcs import chord_length
from .conversion import ConversionReport, FormatError
from .importing import AUTO_LOOP_NAME, DiagramBuilder
from .messages import json_problem

URL = "https://ncase.me/loopy/v1.1/?data="
#: LOOPY's six hues are red 0, orange 1, yellow 2, green 3, blue 4, purple 5: the nearest to the
#: editor's colours (:mod:`.palette`, CX blue, EX orange) are written; red (0) for the rest.
HUES = {"CX": 4, "EX": 1}
#: Read too: EX was green (3) in files cld-editor wrote before it used the editor's colours.
OLD_EX_HUE = 3
#: The arc LOOPY stores for a straight edge (it nudges 0 to this).
STRAIGHT_ARC = 0.1
_SAFE = "-_.!~*'()"  # what encodeURIComponent leaves alone


def loopy_array(data: bytes | str) -> list[Any]:
    """The data array from a ``.loopy`` file's text or a LOOPY link."""
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    text = text.strip()
    linked = False
    match = re.search(r"[?&]data=([^&#\s]*)", text)
    if match:
        text, linked = unquote(match.group(1)), True
    try:
        array = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"not LOOPY data: {json_problem(exc)}", exc.lineno) from None
    except RecursionError:
        raise FormatError("not LOOPY data: nested too deeply") from None
    if (
        not isinstance(array, list)
        or len(array) < 2
        or not all(isinstance(part, list) for part in array[:2])
    ):
        raise FormatError("not LOOPY data (expected [nodes, edges, labels, next id])", 1)
    del linked
    return array


def read_loopy(data: bytes | str, report: ConversionReport, title: str = "Untitled") -> Diagram:
    array = loopy_array(data)
    nodes, edges = array[0], array[1]
    labels = array[2] if len(array) > 2 and isinstance(array[2], list) else []
    builder = DiagramBuilder(report)
    positions: dict[str, tuple[float, float]] = {}
    for index, node in enumerate(nodes):
        if not isinstance(node, list) or len(node) < 5:
            raise FormatError(f"node {index + 1} is not [id, x, y, init, label, hue]")
    node_hues = [node[5] if len(node) > 5 else 0 for node in nodes]
    # Only the colours cld-editor writes (blue, orange or the green of older files, and red):
    # they are the domains.
    used = set(node_hues)
    as_domains = (
        used <= {0, None, OLD_EX_HUE, *HUES.values()}
        and any(node_hues)
        and not {OLD_EX_HUE, HUES["EX"]} <= used
    )
    by_hue = {hue: domain for domain, hue in HUES.items()} | {OLD_EX_HUE: "EX"}
    by_hue = by_hue if as_domains else {}
    for index, node in enumerate(nodes):
        key = str(node[0])
        x, y = _number(node[1], f"node {index + 1}"), _number(node[2], f"node {index + 1}")
        domain = by_hue.get(node_hues[index])
        builder.add_variable(key, unquote(str(node[4])), x, y, domain=domain)
        positions[key] = (x, y)
    if as_domains:
        ex = "green" if OLD_EX_HUE in used else "orange"
        report.note(f"Blue and {ex} nodes were read as the CX and EX domains.")
    elif any(hue not in (None, 0) for hue in node_hues):
        report.note(
            "Node colours (hue) are not kept: cld-editor colours variables by domain, and "
            "reads blue and orange nodes as CX and EX only in a file with no other colour "
            "but red."
        )
    if nodes:
        report.note("Initial amounts of LOOPY nodes are not kept (cld-editor does not simulate).")
    for index, edge in enumerate(edges):
        if not isinstance(edge, list) or len(edge) < 4:
            raise FormatError(f"edge {index + 1} is not [from, to, arc, strength, rotation]")
        source, target = str(edge[0]), str(edge[1])
        if source not in positions or target not in positions:
            raise FormatError(f"edge {index + 1} connects a node that does not exist")
        strength = _number(edge[3], f"edge {index + 1}")
        polarity = "+" if strength > 0 else "-" if strength < 0 else "?"
        if abs(strength) not in (1.0, 0.0):
            report.count(
                "an edge of strength other than ±1 kept only its sign",
                "{n} edges of strength other than ±1 kept only their sign",
            )
        arc = _number(edge[2], f"edge {index + 1}")
        chord = chord_length(positions[source], positions[target])
        # LOOPY saves arcs rounded to whole pixels (0 for a straight edge) and nudges 0 to 0.1
        # in memory; cld-editor writes a straight edge as 0.1, and any other arc, however
        # small, as the bulge it is (half a pixel between boxes one pixel apart reads back).
        straight = arc == 0 or math.isclose(arc, STRAIGHT_ARC)
        curvature = arc / chord if chord > 1e-9 and not straight else 0.0
        builder.add_link(source, target, polarity, curvature=curvature if source != target else 0.0)
    kept: list[str] = []
    for label in labels:
        if not isinstance(label, list) or len(label) < 3:
            continue
        text = unquote(str(label[2])).strip()
        x, y = _number(label[0], "a label"), _number(label[1], "a label")
        marker = loop_marker(text)
        if marker is not None:
            builder.add_loop_marker(marker[0], x, y, name=marker[1])
        elif text:
            kept.append(text)
            report.count(
                "a text label was kept in the diagram's description (cld-editor has no free "
                "text on the canvas)",
                "{n} text labels were kept in the diagram's description (cld-editor has no "
                "free text on the canvas)",
                repr(text[:30]),
            )
    description = "Text labels from LOOPY:\n" + "\n".join(kept) if kept else ""
    return builder.build(title, description)


#: A loop's letter (and number), then its name: "R: Growth", "B - Burnout", "R1 Virtuous
#: cycle", "B2-Limits". A bare letter needs a colon or a spaced dash ("U-turn" is no marker).
_NAMED_MARKERS = tuple(
    re.compile(pattern, re.S)
    for pattern in (
        r"^([RBU]\d*)\s*:\s*(\S.*)$",
        r"^([RBU]\d*)\s+[-\u2013\u2014]\s+(\S.*)$",
        r"^([RBU]\d+)(?:\s*[-\u2013\u2014]\s*|\s+)(\S.*)$",
    )
)


def loop_marker(text: str) -> tuple[str, str | None] | None:
    """(letter and number, name or None) when a LOOPY text label reads as a loop marker ("R1",
    "B", "R1 Virtuous cycle", "B2: Burnout", "R - Growth"); None for any other text."""
    if AUTO_LOOP_NAME.match(text):
        return text, None
    for pattern in _NAMED_MARKERS:
        match = pattern.match(text)
        if match is not None:
            return match.group(1), " ".join(match.group(2).split())
    return None


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FormatError(f"{where}: expected a number, found {json.dumps(value)[:20]}")
    return float(value)


def loopy_data(diagram: Diagram, report: ConversionReport, *, twice: bool = False) -> str:
    """The data array as LOOPY writes it (texts encoded once, or twice for a link)."""

    def text(value: str) -> str:
        encoded = quote(value, safe=_SAFE)
        return quote(encoded, safe=_SAFE) if twice else encoded

    number = {v.id: i + 1 for i, v in enumerate(diagram.variables)}
    where = {v.id: (v.x, v.y) for v in diagram.variables}
    nodes = [
        [
            number[v.id],
            _px(v.x),
            _px(v.y),
            0.5,
            text(v.label.replace("\n", " ")),
            HUES.get(v.domain or "", 0),
        ]
        for v in diagram.variables
    ]
    edges = []
    unknown = delays = 0
    for link in diagram.links:
        chord = chord_length(where[link.source], where[link.target])
        arc = round(link.curvature * chord, 2) if link.source != link.target else 100
        if arc == 0:
            arc = STRAIGHT_ARC  # LOOPY nudges an exactly straight edge itself
        elif math.isclose(arc, STRAIGHT_ARC):
            arc = STRAIGHT_ARC + 0.01  # a bulge of 0.1 px would read back as straight
        strength = -1 if link.polarity == "-" else 1
        unknown += link.polarity == "?"
        delays += link.delay
        edges.append([number[link.source], number[link.target], arc, strength, 0])
    labels = []
    if diagram.loop_labels:
        names = {lk.key: lk.name for lk in find_loops(diagram, Budget(time_limit=5.0)).loops}
        for label in diagram.loop_labels:
            auto = names.get(label.loop_key, "R")
            shown = f"{auto[:1]}: {label.name}" if label.name else auto
            labels.append([_px(label.x), _px(label.y), text(shown)])
        report.note("Loop labels were written as text labels (LOOPY does not know loops).")
    if unknown:
        report.note(f"{unknown:,} link(s) of sign ? were written as + (LOOPY has only + and −).")
    if delays:
        report.note(f"{delays:,} delay mark(s) left out (LOOPY has none).")
    if any(v.notes for v in diagram.variables):
        report.note("Variables' notes left out (LOOPY has none).")
    if any(v.domain for v in diagram.variables):
        report.note("Domains shown as node colours: CX blue, EX orange.")
    if any("\n" in v.label for v in diagram.variables):
        report.note("Line breaks in labels became spaces.")
    array = [nodes, edges, labels, len(diagram.variables) + 1]
    return json.dumps(array, separators=(",", ":"), ensure_ascii=False)


def write_loopy(diagram: Diagram, report: ConversionReport) -> bytes:
    return loopy_data(diagram, report).encode("utf-8")


def loopy_link(diagram: Diagram, report: ConversionReport) -> str:
    """A link that opens the diagram in LOOPY in a browser."""
    data = loopy_data(diagram, report, twice=True)
    return URL + data.replace('"', "%22").replace("]", "%5D")


def _px(value: float) -> float:
    return int(value) if float(value).is_integer() else round(value, 2)
