"""Writing Vensim .mdl: names as Vensim quotes them."""

from __future__ import annotations


def test_quotes_in_labels_become_apostrophes_and_are_said(tmp_path) -> None:
    """Vensim reads \\" inside a quoted name, but simlin then drops the variable: a quote is
    written as an apostrophe, and the export says so (it used to say nothing)."""
    from cld_editor.core.model import Diagram
    from cld_editor.formats.registry import export_bytes, read_diagram

    diagram = Diagram.model_validate(
        {
            "variables": [
                {"id": "a", "label": 'Staff "morale", high', "x": 0, "y": 0},
                {"id": "b", "label": "Pipe|and~tilde", "x": 300, "y": 0},
                {"id": "c", "label": "Plain", "x": 150, "y": 200},
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
    assert [v.label for v in back.variables] == ["Staff 'morale', high", "Pipe/and-tilde", "Plain"]
    assert len(back.links) == 3
    assert any(
        "2 labels' \" | ~ or \\ became ' / or -" in line and "Staff" in line
        for line in report.lines()
    )


def test_an_escaped_quote_in_a_vensim_name_is_read(tmp_path) -> None:
    """Vensim itself writes \\" inside a quoted name; reading keeps the quote, commas between
    two included."""
    from cld_editor.formats.registry import read_diagram

    text = (
        "{UTF-8}\n"
        '"Say \\"a, b\\" twice"  = A FUNCTION OF( Other)\n\t~\t\n\t~\t\n\t|\n\n'
        "Other  = A FUNCTION OF( )\n\t~\t\n\t~\t\n\t|\n\n"
        "\\\\\\---/// Sketch information - do not modify anything except names\n"
        "V300  Do not put anything below this section - it will be ignored\n"
        "*View 1\n"
        "$192-192-192,0,Times New Roman|12||0-0-0|0-0-0|0-0-255|-1--1--1|-1--1--1|96,96,100,0\n"
        '10,1,"Say \\"a, b\\" twice",100,100,40,12,8,3,0,0,-1,0,0,0\n'
        "10,2,Other,300,100,40,12,8,3,0,0,-1,0,0,0\n"
        "1,3,2,1,0,0,0,0,0,64,0,-1--1--1,,1|(200,100)|\n"
        "///---\\\\\\\n"
    )
    (tmp_path / "q.mdl").write_text(text, encoding="utf-8")
    back, _ = read_diagram(tmp_path / "q.mdl")
    assert sorted(v.label for v in back.variables) == ["Other", 'Say "a, b" twice']
    assert len(back.links) == 1
