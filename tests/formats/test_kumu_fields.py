"""Kumu's own field names: a project backup (``_id`` and ``attributes``), the blueprint's
``type`` and ``tags``, and the sheets' ``Connection Type``/``Element Type``/``Tags`` columns
give signs and domains, with the precedence the reader documents; bad shapes are said or
refused in one line, never a traceback."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from cld_editor.cli import main
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.formats.conversion import ConversionReport, FormatError
from cld_editor.formats.kumu import read_kumu_csv, read_kumu_json
from cld_editor.formats.registry import LoadError, read_diagram, write_diagram

BACKUP = {
    "maps": [{"_id": "map-1", "name": "Main", "elements": [], "connections": []}],
    "elements": [
        {
            "_id": "elem-1",
            "attributes": {"label": "Staff morale", "element type": "EX", "tags": ["EX"]},
        },
        {"_id": "elem-2", "attributes": {"label": "Service quality", "element type": "CX"}},
        {"_id": "elem-3", "attributes": {"label": "Workload", "tags": ["employee experience"]}},
        {"_id": "elem-4", "attributes": {"label": "Budget"}},
    ],
    "connections": [
        {"_id": "conn-1", "from": "elem-1", "to": "elem-2", "attributes": {"connection type": "+"}},
        {"_id": "conn-2", "from": "elem-2", "to": "elem-3", "attributes": {"connection type": "+"}},
        {"_id": "conn-3", "from": "elem-3", "to": "elem-1", "attributes": {"connection type": "-"}},
        {"_id": "conn-4", "from": "elem-4", "to": "elem-3", "direction": "directed",
         "delayed": True, "attributes": {"connection type": "Negative"}},
    ],
    "loops": [{"_id": "loop-1", "attributes": {"label": "Burnout"},
               "connections": ["conn-1", "conn-2", "conn-3"]}],
}  # fmt: skip


def _read(raw: Any, report: ConversionReport | None = None) -> Diagram:
    return read_kumu_json(json.dumps(raw).encode(), report or ConversionReport("kumu"))


def _signs(diagram: Diagram) -> dict[tuple[str, str], str]:
    names = {v.id: v.label for v in diagram.variables}
    return {(names[lk.source], names[lk.target]): lk.polarity for lk in diagram.links}


def _domains(diagram: Diagram) -> dict[str, str | None]:
    return {v.label: v.domain for v in diagram.variables}


def test_a_project_backup_gives_signs_domains_and_delays(tmp_path: Path) -> None:
    path = tmp_path / "backup.json"  # a plain .json: the content says it is Kumu's
    path.write_text(json.dumps(BACKUP), encoding="utf-8")
    diagram, report = read_diagram(path)
    assert report.format == "kumu"
    assert _signs(diagram) == {
        ("Staff morale", "Service quality"): "+",
        ("Service quality", "Workload"): "+",
        ("Workload", "Staff morale"): "-",
        ("Budget", "Workload"): "-",
    }
    assert _domains(diagram) == {
        "Staff morale": "EX",
        "Service quality": "CX",
        "Workload": "EX",
        "Budget": None,
    }
    assert [lk.delay for lk in diagram.links] == [False, False, False, True]
    assert [v.id for v in diagram.variables] == ["elem-1", "elem-2", "elem-3", "elem-4"]
    (marker,) = diagram.loop_labels
    assert set(marker.loop) == {"elem-1", "elem-2", "elem-3"}
    assert not any("sign" in line for line in report.lines())


def test_analyze_reads_a_backup_without_question_marks(tmp_path: Path, capsys) -> None:
    path = tmp_path / "file.json"
    path.write_text(json.dumps(BACKUP), encoding="utf-8")
    assert main(["analyze", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "balancing" in out and "CX+EX" in out
    assert "were read as ?" not in err and "was read as ?" not in err


def test_a_blueprint_type_and_tags_give_domains() -> None:
    blueprint = {
        "elements": [
            {"label": "Wait time", "type": "CX"},
            {"label": "Staff", "type": "Variable", "tags": ["ex", "frontline"]},
            {"label": "Trust", "tags": "Customer Experience|survey"},  # Kumu's pipe form
            {"label": "Money", "type": "Variable", "tags": ["EXtra", "CXO"]},  # not domains
        ],
        "connections": [
            {"from": "Wait time", "to": "Staff", "type": "+"},
            {"from": "Staff", "to": "Trust", "Connection Type": "-"},
            {"from": "Trust", "to": "Money", "label": "s"},
        ],
    }
    diagram = _read(blueprint)
    assert _domains(diagram) == {"Wait time": "CX", "Staff": "EX", "Trust": "CX", "Money": None}
    assert sorted(_signs(diagram).values()) == ["+", "+", "-"]


@pytest.mark.parametrize(
    ("fields", "domain", "said"),
    [
        ({"domain": "CX", "element type": "EX", "tags": ["EX"]}, "CX", "disagree"),
        ({"element type": "EX", "tags": ["CX"]}, "EX", "disagree"),
        ({"type": "ex", "tags": ["EX"]}, "EX", None),
        ({"domain": "Operations", "tags": ["CX"]}, "CX", "not CX or EX"),
        ({"domain": "", "element type": "Customer experience"}, "CX", None),
        ({"tags": ["CX", "EX"]}, None, "both CX and EX"),
        ({"domain": "EX", "tags": ["CX", "EX"]}, "EX", "both CX and EX"),
        ({"element type": "Variable"}, None, None),
    ],
)
def test_domain_precedence(fields: dict[str, Any], domain: str | None, said: str | None) -> None:
    for element in ({"label": "A", **fields}, {"_id": "a", "attributes": {"label": "A", **fields}}):
        report = ConversionReport("kumu")
        diagram = _read({"elements": [element]}, report)
        assert diagram.variables[0].domain == domain
        lines = " ".join(report.lines())
        assert (said in lines) if said else ("domain" not in lines and "tag" not in lines)


def test_a_record_top_level_field_wins_over_its_attributes() -> None:
    raw = {
        "elements": [
            {"_id": "e1", "label": "Top", "attributes": {"label": "Nested", "domain": "EX"}},
            {"_id": "e2", "label": "", "attributes": {"label": "Filled"}},
            {"id": "kept", "_id": "ignored", "attributes": {"label": "Ids"}},
        ],
        "connections": [
            {"_id": "c1", "from": "e1", "to": "e2", "polarity": "?",
             "attributes": {"connection type": "-", "polarity": "+"}},
            {"_id": "c2", "from": "e2", "to": "kept", "TYPE": "o"},
        ],
    }  # fmt: skip
    diagram = _read(raw)
    assert [(v.id, v.label, v.domain) for v in diagram.variables] == [
        ("e1", "Top", "EX"),
        ("e2", "Filled", None),
        ("kept", "Ids", None),
    ]
    # polarity "?" is on top, but a + or - anywhere wins over ?: connection type comes next.
    assert [lk.polarity for lk in diagram.links] == ["-", "-"]


def test_the_sheets_columns_give_signs_and_domains() -> None:
    elements = (
        "ID,Label,Element Type,Tags\na,Queue,,CX|frontline\nb,Staff,EX,\nc,Money,Variable,finance\n"
    )
    connections = "From,To,Connection Type,Delayed\na,b,+,\nb,c,-,true\nc,a|b,Negative,\n"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("elements.csv", elements)
        out.writestr("connections.csv", connections)
    diagram = read_kumu_csv(archive.getvalue(), ConversionReport("kumu-csv"))
    assert _domains(diagram) == {"Queue": "CX", "Staff": "EX", "Money": None}
    assert _signs(diagram) == {
        ("Queue", "Staff"): "+",
        ("Staff", "Money"): "-",
        ("Money", "Queue"): "-",
        ("Money", "Staff"): "-",
    }
    assert [lk.delay for lk in diagram.links] == [False, True, False, False]
    typed = read_kumu_csv(b"From,To,Type\nA,B,+\n", ConversionReport("kumu-csv"))
    assert [lk.polarity for lk in typed.links] == ["+"]


def _sample() -> Diagram:
    return Diagram(
        title="Service",
        variables=[
            Variable(id="a", label="Queue", domain="CX", x=0, y=0, notes="how long"),
            Variable(id="b", label="Staff", domain="EX", x=240, y=0),
            Variable(id="c", label="Money", x=120, y=180),
        ],
        links=[
            Link(id="l1", source="a", target="b", polarity="+"),
            Link(id="l2", source="b", target="c", polarity="-", delay=True),
            Link(id="l3", source="c", target="a", polarity="?"),
        ],
    )


def _as_backup(blueprint: dict[str, Any]) -> dict[str, Any]:
    """What Kumu keeps of a blueprint, written the way its backups are: ``_id`` and every
    field under ``attributes``, the blueprint's ``type`` as Kumu's own field name."""

    def record(item: dict[str, Any], kind: str, top: tuple[str, ...]) -> dict[str, Any]:
        fields = {k: v for k, v in item.items() if k not in ("id", *top)}
        if "type" in fields:
            fields[f"{kind} type"] = fields.pop("type")
        return {"_id": item["id"], **{k: item[k] for k in top}, "attributes": fields}

    return {
        "elements": [record(e, "element", ()) for e in blueprint["elements"]],
        "connections": [
            record(c, "connection", ("from", "to", "direction")) for c in blueprint["connections"]
        ],
    }


@pytest.mark.parametrize("fmt", ["kumu", "kumu-csv"])
def test_what_cld_editor_writes_comes_back_whole(tmp_path: Path, fmt: str) -> None:
    original = _sample()
    path = tmp_path / ("out.kumu.json" if fmt == "kumu" else "out.zip")
    write_diagram(original, path, fmt)
    back, report = read_diagram(path)
    assert _domains(back) == _domains(original)
    assert _signs(back) == _signs(original)
    assert [lk.delay for lk in back.links] == [False, True, False]
    assert not any("disagree" in line or "ignored" in line for line in report.lines())


def test_a_written_map_restored_in_kumu_and_exported_again_keeps_its_fields(
    tmp_path: Path,
) -> None:
    path = tmp_path / "out.kumu.json"
    write_diagram(_sample(), path, "kumu")
    backup = _as_backup(json.loads(path.read_text(encoding="utf-8")))
    assert "domain" in backup["elements"][0]["attributes"]
    for element in backup["elements"]:  # only Kumu's own fields: type and tags
        element["attributes"].pop("domain", None)
    for connection in backup["connections"]:  # only Kumu's connection type
        for key in ("polarity", "label"):
            connection["attributes"].pop(key)
    back = _read(backup)
    assert _domains(back) == _domains(_sample())
    assert _signs(back) == _signs(_sample())
    assert [(v.x, v.y) for v in back.variables] == [(0, 0), (240, 0), (120, 180)]


@pytest.mark.parametrize(
    ("element", "said"),
    [
        ({"_id": "a", "label": "A", "attributes": "CX"}, "attributes were not"),
        ({"_id": "a", "label": "A", "attributes": ["CX"]}, "attributes were not"),
        ({"label": "A", "tags": {"CX": True}}, "tags were not a list or text"),
        ({"label": "A", "tags": 7}, "tags were not a list or text"),
        ({"label": "A", "tags": [None, 3, "EX"], "domain": ["CX"]}, "not CX or EX"),
    ],
)
def test_bad_shapes_are_ignored_and_said(element: dict[str, Any], said: str) -> None:
    report = ConversionReport("kumu")
    diagram = _read({"elements": [element, {"label": "B"}],
                     "connections": [{"from": "A", "to": "B", "attributes": 5, "type": "+"}]},
                    report)  # fmt: skip
    assert [v.label for v in diagram.variables] == ["A", "B"]
    assert [lk.polarity for lk in diagram.links] == ["+"]
    assert any(said in line for line in report.lines())
    tagged = element.get("tags")
    assert diagram.variables[0].domain == ("EX" if isinstance(tagged, list) else None)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'{"maps": []}', "not a Kumu blueprint"),
        (b'{"elements": {"a": 1}}', '"elements" is not a list'),
        (b'{"elements": [], "connections": 3}', '"connections" is not a list'),
        (b'{"elements": [{"_id": "", "attributes": {}}]}', "neither an id nor a label"),
    ],
)
def test_bad_structures_are_one_line_errors(data: bytes, words: str) -> None:
    with pytest.raises(FormatError, match=words):
        read_kumu_json(data, ConversionReport("kumu"))


def test_odd_loops_in_a_backup_are_passed_over(tmp_path: Path) -> None:
    raw = dict(BACKUP, loops=5)
    assert len(_read(raw).loop_labels) == 0
    whole = {"attributes": {"label": "Burnout"}, "connections": ["conn-1", "conn-2", "conn-3"]}
    raw = dict(BACKUP, loops=[{"connections": "conn-1"}, 7, whole])
    assert [label.name for label in _read(raw).loop_labels] == ["Burnout"]
    path = tmp_path / "bad.kumu.json"
    path.write_text('{"elements": {"x": 1}}', encoding="utf-8")
    with pytest.raises(LoadError, match="not a list"):
        read_diagram(path)


def test_a_backup_whose_elements_come_after_long_views_is_known_as_kumu(tmp_path: Path) -> None:
    views = [{"_id": f"view-{i}", "css": "@settings { layout: fixed; }" * 8} for i in range(40)]
    path = tmp_path / "project.json"
    path.write_text(json.dumps({"_id": "p1", "views": views, **BACKUP}), encoding="utf-8")
    assert path.read_bytes().index(b'"elements"') > 4096
    diagram, report = read_diagram(path)
    assert report.format == "kumu" and len(diagram.links) == 4
