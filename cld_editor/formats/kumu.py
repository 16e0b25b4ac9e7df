"""Kumu, read and write: the JSON blueprint and the two-sheet CSV form (elements, connections).

A blueprint is ``{"elements": [...], "connections": [...], "loops": [...]}``; connections name
their ends by element id or, without ids, by label. Kumu's own exports (a project backup) name
records by ``_id`` and nest their fields under ``attributes``, and may hold ``maps``, views and
more beside them (not read): a field is read at the top of a record or in its ``attributes``, by
any case (``kumu_fields`` knows the names). The sign is the first ``+`` or ``-`` in
``polarity``, ``connection type``, ``type`` (the blueprint's name for Kumu's "connection type"),
then ``label``. A variable's domain is, in this order: a ``domain`` field, the element type
(``element type`` or ``type``), then a tag (``tags``: a list, or ``A|B`` as Kumu's sheets write
it); each source counts only if it says exactly CX, EX, "customer experience" or "employee
experience" (any case), and tags naming both CX and EX give none. cld-editor writes the sign in
``type``, ``label`` and ``polarity``, the domain as ``domain`` and a tag, and ``delay``,
``curvature`` and the position ``x``/``y`` as custom fields, so its own diagrams come back
whole; Kumu itself lays maps out automatically, so a blueprint without positions is laid out on
import. The CSV form is a ``.zip`` of ``elements.csv`` (``Label`` first) and ``connections.csv``
(``From``, ``To``; ``A|B|C`` fans out), or one of those sheets alone, read with the same field
names (``Type``, ``Connection Type``, ``Element Type``, ``Tags``...).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from ..analysis.loops import Budget, find_loops
from ..core.model import Diagram
from .conversion import ConversionReport, FormatError
from .importing import DiagramBuilder
from .kumu_fields import SIGN_FIELDS, domain, flat, note_unread_sign, number, sign, truthy
from .messages import json_problem

MAX_ZIP_MEMBER = 64 * 1024 * 1024


# -- reading -------------------------------------------------------------------------------
def read_kumu_json(data: bytes, report: ConversionReport, title: str = "Untitled") -> Diagram:
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FormatError("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise FormatError(f"not valid JSON: {json_problem(exc)}", exc.lineno) from None
    except RecursionError:
        raise FormatError("not valid JSON: nested too deeply") from None
    if not isinstance(raw, dict) or not ("elements" in raw or "connections" in raw):
        raise FormatError('not a Kumu blueprint (expected {"elements": [...], ...})', 1)
    elements = raw.get("elements") or []
    if not isinstance(elements, list):
        raise FormatError('"elements" is not a list')
    builder = DiagramBuilder(report)
    by_label: dict[str, str] = {}
    for index, element in enumerate(elements):
        if not isinstance(element, dict):
            raise FormatError(f"elements[{index}] is not an object")
        element = flat(element, report)
        label = str(element.get("label") or element.get("id") or "").strip()
        key = str(element.get("id") or label)
        if not key:
            raise FormatError(f"elements[{index}] has neither an id nor a label")
        x, y = number(element.get("x")), number(element.get("y"))
        builder.add_variable(
            key,
            label,
            x if y is not None else None,
            y if x is not None else None,
            domain=domain(element, report),
            notes=str(element.get("description") or ""),
            preferred_id=str(element["id"]) if element.get("id") else None,
        )
        by_label.setdefault(label.lower(), key)
    connections = raw.get("connections") or []
    if not isinstance(connections, list):
        raise FormatError('"connections" is not a list')
    link_ends: dict[str, tuple[str, str]] = {}
    for index, connection in enumerate(connections):
        if not isinstance(connection, dict):
            raise FormatError(f"connections[{index}] is not an object")
        connection = flat(connection, report)
        ends = [_end(builder, by_label, connection.get(side), report) for side in ("from", "to")]
        given = [connection.get(key) for key in SIGN_FIELDS]
        polarity = sign(*given)
        if polarity == "?":
            note_unread_sign(given, report)
        curvature = number(connection.get("curvature"))
        pair = (ends[0], ends[1])
        _connect(builder, pair, polarity, connection, curvature, report)
        if connection.get("id") is not None:
            link_ends[str(connection["id"])] = pair
    loops = raw.get("loops")
    for loop in loops if isinstance(loops, list) else []:
        if not isinstance(loop, dict):
            continue
        loop = flat(loop, report)
        listed = loop.get("connections")
        members = [
            link_ends[str(c)][0]
            for c in (listed if isinstance(listed, list) else [])
            if str(c) in link_ends
        ]
        text = str(loop.get("label") or "")
        x, y = number(loop.get("x")), number(loop.get("y"))
        if x is None or y is None:
            report.count(
                "a loop without a position was placed at its variables' centre",
                "{n} loops without positions were placed at their variables' centres",
            )
        name = loop.get("name")
        builder.add_loop_marker(
            text,
            x if x is not None else float("nan"),
            y if y is not None else float("nan"),
            name=name if isinstance(name, str) and name else None,
            members=members or None,
        )
    description = raw.get("description")
    diagram = builder.build(
        str(raw.get("title") or title), description if isinstance(description, str) else ""
    )
    unbent = any(not isinstance(c, dict) or "curvature" not in c for c in connections)
    if unbent and not builder.bent_by_layout:  # (a map laid out here: the layout bent them)
        report.note(
            "Kumu draws its own curves: links were given cld-editor's usual bend.", drawing=True
        )
    return diagram


def _end(
    builder: DiagramBuilder, by_label: dict[str, str], value: Any, report: ConversionReport
) -> str:
    text = str(value or "").strip()
    if not text:
        raise FormatError("a connection has no from or to")
    if builder.has(text):
        return text
    if text.lower() in by_label:
        return by_label[text.lower()]
    report.count(
        "a connection named an element that is not listed; it was added",
        "{n} connections named elements that are not listed; they were added",
        text,
    )
    builder.add_variable(text, text)
    by_label[text.lower()] = text
    return text


def _connect(
    builder: DiagramBuilder,
    pair: tuple[str, str],
    polarity: str,
    connection: dict[str, Any],
    curvature: float | None,
    report: ConversionReport,
) -> None:
    direction = str(connection.get("direction") or "directed").strip().lower()
    delay = truthy(connection.get("delay")) or truthy(connection.get("delayed"))
    builder.add_link(*pair, polarity, delay=delay, curvature=curvature)
    if direction == "mutual":
        builder.add_link(pair[1], pair[0], polarity, delay=delay, curvature=curvature)
        report.count(
            "a mutual connection became two links",
            "{n} mutual connections became two links each",
        )
    elif direction == "undirected":
        report.count(
            "an undirected connection was read as pointing from its first element",
            "{n} undirected connections were read as pointing from their first element",
        )


def read_kumu_csv(data: bytes, report: ConversionReport, title: str = "Untitled") -> Diagram:
    """A ``.zip`` of the two sheets, or one sheet (elements or connections) as a ``.csv``."""
    sheets: list[str] = []
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for info in archive.infolist():
                    if info.filename.lower().endswith(".csv") and "(ignore)" not in info.filename:
                        if info.file_size > MAX_ZIP_MEMBER:
                            raise FormatError(f"{info.filename} in the archive is too large")
                        sheets.append(_decode(archive.read(info)))
        except zipfile.BadZipFile:
            raise FormatError("not a valid .zip archive") from None
    else:
        sheets.append(_decode(data))
    elements: list[dict[str, str]] = []
    connections: list[dict[str, str]] = []
    for text in sheets:
        reader = csv.DictReader(io.StringIO(text))
        try:
            rows = list(reader)
        except csv.Error as exc:
            raise FormatError(f"not a valid CSV sheet: {exc}", reader.line_num or 1) from None
        fields = {f.strip().lower() for f in (rows[0].keys() if rows else _header(text))}
        if {"from", "to"} <= fields:
            connections.extend({k.strip().lower(): v for k, v in r.items() if k} for r in rows)
        elif "label" in fields or "id" in fields:
            elements.extend({k.strip().lower(): v for k, v in r.items() if k} for r in rows)
        else:
            raise FormatError(
                "a sheet has neither Label (elements) nor From and To (connections)", 1
            )
    blueprint = {
        "elements": [
            {**e, "id": e.get("id") or e.get("label"), "label": e.get("label") or e.get("id")}
            for e in elements
        ],
        "connections": [
            {**c, "from": source.strip(), "to": target.strip()}
            for c in connections
            for source in (c.get("from") or "").split("|")
            for target in (c.get("to") or "").split("|")
            if source.strip() and target.strip()
        ],
    }
    return read_kumu_json(json.dumps(blueprint).encode(), report, title)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError("not UTF-8 text") from None


def _header(text: str) -> list[str]:
    first = next(csv.reader(io.StringIO(text)), [])
    return first


# -- writing -------------------------------------------------------------------------------
def kumu_blueprint(diagram: Diagram, report: ConversionReport) -> dict[str, Any]:
    elements = []
    for v in diagram.variables:
        element: dict[str, Any] = {"id": v.id, "label": v.label, "type": "Variable"}
        if v.notes:
            element["description"] = v.notes
        if v.domain:
            element["domain"] = v.domain
            element["tags"] = [v.domain]
        element["x"], element["y"] = v.x, v.y
        elements.append(element)
    connections = []
    for link in diagram.links:
        connection: dict[str, Any] = {
            "id": link.id,
            "from": link.source,
            "to": link.target,
            "type": link.polarity,
            "direction": "directed",
            "label": link.polarity,
            "polarity": link.polarity,
        }
        if link.delay:
            connection["delay"] = True
        connection["curvature"] = link.curvature
        connections.append(connection)
    blueprint: dict[str, Any] = {"elements": elements, "connections": connections}
    if diagram.loop_labels:
        blueprint["loops"] = _loops(diagram)
    report.note(
        "Positions, curvature, domain and delay are written as Kumu custom fields; Kumu lays "
        "its maps out itself."
    )
    return blueprint


def _loops(diagram: Diagram) -> list[dict[str, Any]]:
    ids = {(link.source, link.target): link.id for link in diagram.links}
    names = {loop.key: loop.name for loop in find_loops(diagram, Budget(time_limit=5.0)).loops}
    out = []
    for label in diagram.loop_labels:
        members = label.loop
        connections = [ids.get((a, members[(i + 1) % len(members)])) for i, a in enumerate(members)]
        loop: dict[str, Any] = {
            "label": label.name or names.get(label.loop_key, "Loop"),
            "connections": [c for c in connections if c],
            "x": label.x,
            "y": label.y,
        }
        if label.name:
            loop["name"] = label.name
        out.append(loop)
    return out


def write_kumu_json(diagram: Diagram, report: ConversionReport) -> bytes:
    blueprint = {"title": diagram.title, **kumu_blueprint(diagram, report)}
    if diagram.description:
        blueprint["description"] = diagram.description
    return (json.dumps(blueprint, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_kumu_csv(diagram: Diagram, report: ConversionReport) -> bytes:
    labels = {v.id: v.label for v in diagram.variables}
    counts: dict[str, int] = {}
    for v in diagram.variables:
        counts[v.label] = counts.get(v.label, 0) + 1
    if any(n > 1 for n in counts.values()):
        report.note("Several variables share a label: the CSV names ends by ID, not Label.")
    elements = io.StringIO()
    writer = csv.writer(elements, lineterminator="\n")
    writer.writerow(["ID", "Label", "Type", "Description", "Tags", "Domain", "X", "Y"])
    for v in diagram.variables:
        writer.writerow(
            ["" + v.id, v.label, "Variable", v.notes, v.domain or "", v.domain or "", v.x, v.y]
        )
    connections = io.StringIO()
    writer = csv.writer(connections, lineterminator="\n")
    writer.writerow(["From", "To", "Type", "Direction", "Polarity", "Delay", "Curvature"])
    for link in diagram.links:
        writer.writerow(
            [
                link.source,
                link.target,
                link.polarity,
                "directed",
                link.polarity,
                "true" if link.delay else "",
                link.curvature,
            ]
        )
    del labels
    if diagram.loop_labels:
        report.note(
            f"{len(diagram.loop_labels)} loop label(s) left out: Kumu's spreadsheets hold no "
            "loops (the JSON blueprint does)."
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, sheet in (("elements.csv", elements), ("connections.csv", connections)):
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, sheet.getvalue().encode("utf-8"))
    return out.getvalue()
