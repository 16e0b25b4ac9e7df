"""The registry: formats by extension and by content, one-line errors whatever the file, the
native loader's size limit, and the command line's convert."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cld_editor.cli import main
from cld_editor.formats.native import MAX_FILE_BYTES, LoadError
from cld_editor.formats.registry import READABLE, format_for_path, read_diagram

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "resources" / "examples" / "experience-loop.cld.json"
)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.cld.json", "cld"),
        ("a.MDL", "vensim"),
        ("a.stmx", "xmile"),
        ("a.kumu.json", "kumu"),
        ("a.loopy", "loopy"),
        ("a.zip", "kumu-csv"),
        ("a.gv", "dot"),
        ("a.drawio", "drawio"),
    ],
)
def test_format_by_extension(name: str, fmt: str) -> None:
    assert format_for_path(name).name == fmt


def test_format_by_content(tmp_path: Path) -> None:
    blueprint = tmp_path / "map.json"
    blueprint.write_text('{"elements": [{"label": "A"}], "connections": []}')
    assert read_diagram(blueprint)[1].format == "kumu"
    native = tmp_path / "plain.json"
    native.write_bytes(EXAMPLE.read_bytes())
    assert read_diagram(native)[1].format == "cld"


@pytest.mark.parametrize("fmt", [f.name for f in READABLE])
@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02garbage",
        b"\xff\xfe\xfa",
        b"[" * 100_000,
        b"{" + b'"a":' * 50_000,
        b"<" * 1000,
        "é".encode("latin-1"),
    ],
)
def test_garbage_is_one_line_error(fmt: str, content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bad.bin"
    path.write_bytes(content)
    with pytest.raises(LoadError) as caught:
        read_diagram(path, fmt)
    message = str(caught.value)
    assert message and "\n" not in message and "Traceback" not in message


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.mdl"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(LoadError, match="too large"):
        read_diagram(path)


def test_convert_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "diagram.loopy"
    assert main(["convert", str(EXAMPLE), str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{out}: " in err and "written as text labels" in err
    back = tmp_path / "back.cld.json"
    assert main(["convert", str(out), str(back)]) == 0
    assert read_diagram(back)[0].variables
    assert main(["convert", str(EXAMPLE), str(tmp_path / "x.txt"), "--to", "mermaid"]) == 0
    assert (tmp_path / "x.txt").read_text().find("flowchart LR") >= 0


def test_cli_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mdl"
    bad.write_text("A = 1\n~\n~\n|\n\\\\\\---///\nV300\n*View 1\n10,1,A,abc,1,1,1,8,3\n")
    result = subprocess.run(
        [sys.executable, "-m", "cld_editor", "analyze", str(bad)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {bad}:8: expected a number, found 'abc'"


def test_cli_unknown_output_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(EXAMPLE), str(tmp_path / "x.unknown")]) == 2
    assert "unknown file type" in capsys.readouterr().err


def test_a_report_names_the_one_thing_a_line_speaks_of_and_says_when_nothing_changed() -> None:
    from cld_editor.formats.conversion import ConversionReport

    report = ConversionReport("vensim")
    assert report.summary() == "Everything was read as it is: nothing was changed or left out."
    report.count("a loop marker was turned", "{n} loop markers were turned", "R3")
    report.count("Sales (a setting) was left out", "{n} settings were left out", "Sales")
    assert report.lines() == ["a loop marker was turned (R3)", "Sales (a setting) was left out"]


def test_reading_a_native_file_imports_no_other_format() -> None:
    import subprocess
    import sys

    example = Path(__file__).resolve().parents[2] / "resources/examples/experience-loop.cld.json"
    code = (
        "import sys; from cld_editor.formats.registry import read_diagram;"
        f"read_diagram({str(example)!r});"
        "others = ('vensim_read', 'xmile_read', 'kumu', 'loopy', 'graphml', 'drawio', 'dot');"
        "found = [m for m in others if 'cld_editor.formats.' + m in sys.modules];"
        "print(found); sys.exit(1 if found else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_analyze_leaves_out_what_an_import_did_to_the_drawing(tmp_path: Path, capsys) -> None:
    # A Kumu map without positions: laid out on import, links bent as the layout chose.
    path = tmp_path / "map.kumu.json"
    path.write_text(
        '{"elements":[{"_id":"e1","attributes":{"label":"A"}},'
        '{"_id":"e2","attributes":{"label":"B"}}],'
        '"connections":[{"_id":"c1","from":"e1","to":"e2","attributes":{}},'
        '{"_id":"c2","from":"e2","to":"e1","attributes":{}}]}',
        encoding="utf-8",
    )
    assert main(["convert", str(path), str(tmp_path / "map.cld.json")]) == 0
    told = capsys.readouterr().err
    assert "laid out automatically" in told and "usual bend" not in told
    assert main(["analyze", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "1 loop" in out
    assert "laid out" not in err and "bend" not in err
