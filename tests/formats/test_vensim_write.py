"""Writing Vensim .mdl: names as Vensim quotes them."""

from __future__ import annotations


def test_quotes_in_labels_survive_a_round_trip_and_reserved_characters_are_said(
    tmp_path,
) -> None:
    """Vensim escapes a quote inside a quoted name as \\" (a comma may sit between two)."""
    from cld_editor.core.model import Diagram
    from cld_editor.formats.registry import export_bytes, read_diagram

    diagram = Diagram.model_validate(
        {
            "variables": [
                {"id": "a", "label": 'Staff "morale", high', "x": 0, "y": 0},
                {"id": "b", "label": "Pipe|and~tilde", "x": 300, "y": 0},
                {"id": "c", "label": 'Say "a, b" twice', "x": 150, "y": 200},
            ],
            "links": [
                {"source": "a", "target": "b"},
                {"source": "b", "target": "c"},
                {"source": "c", "target": "a"},
            ],
        }
    )
    report, data = export_bytes(diagram, tmp_path / "x.mdl", "vensim")
    (tmp_path / "x.mdl").write_bytes(data)
    back, _ = read_diagram(tmp_path / "x.mdl")
    assert [v.label for v in back.variables] == [
        'Staff "morale", high',
        "Pipe/and-tilde",
        'Say "a, b" twice',
    ]
    assert len(back.links) == 3
    assert any("| ~ or \\ became / or -" in line for line in report.lines())
