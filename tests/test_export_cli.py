"""``cld-editor export`` and ``cld-editor report``: files written, one image per loop, and every
bad input ending in one ``error: ...`` line with exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cld_editor import cli
from cld_editor.cli.export import use_offscreen_without_display

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "resources" / "examples" / "experience-loop.cld.json")
ICEBERG = str(ROOT / "resources" / "examples" / "experience-iceberg.cld.json")


def test_export_and_report_are_commands_of_the_program():
    assert {"export", "report"} <= set(cli.command_names(cli.build_parser()))


@pytest.fixture
def run(capsys):
    """Run ``cld-editor ARGS`` in this process through cli.main; (status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        status = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_export_png_svg_pdf(run, tmp_path):
    for name in ("d.png", "d.svg", "d.pdf"):
        status, _, err = run("export", EXAMPLE, tmp_path / name, "--legend", "--title")
        assert (status, err) == (0, "")
    one = _png_size(tmp_path / "d.png")
    ET.parse(tmp_path / "d.svg")
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")
    assert (
        run("export", EXAMPLE, tmp_path / "s1.png", "--scale", "1", "--title", "--legend")[0] == 0
    )
    scale_one = _png_size(tmp_path / "s1.png")
    # The default scale is 2; --dpi 96 is scale 1.
    assert one[0] == pytest.approx(2 * scale_one[0], abs=2)
    assert run("export", EXAMPLE, tmp_path / "d96.png", "--dpi", "96")[0] == 0
    assert run("export", EXAMPLE, tmp_path / "s1b.png", "--scale", "1")[0] == 0
    assert _png_size(tmp_path / "d96.png") == _png_size(tmp_path / "s1b.png")


def test_export_highlights_a_loop_and_writes_each_loop(run, tmp_path):
    status, out, err = run(
        "export", ICEBERG, tmp_path / "all.svg", "--loop", "B1", "--each-loop", tmp_path / "loops"
    )
    assert status == 0, err
    names = sorted(p.name for p in (tmp_path / "loops").iterdir())
    assert names == ["B1.svg", "R1.svg", "R2.svg", "R3.svg", "R4.svg"]
    assert sorted(Path(line).name for line in out.splitlines()) == names
    assert (tmp_path / "all.svg").read_bytes() == (tmp_path / "loops" / "B1.svg").read_bytes()
    status, _, _ = run("export", EXAMPLE, tmp_path / "x.pdf", "--each-loop", tmp_path / "pdfs")
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "pdfs").iterdir()) == ["B1.pdf", "R1.pdf", "R2.pdf"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", EXAMPLE, "{tmp}/x.jpg"], "x.jpg: unknown image type ('.jpg'): use .png"),
        (["export", EXAMPLE, "{tmp}/x"], "unknown image type (no extension)"),
        (["export", "{tmp}/missing.cld.json", "{tmp}/x.png"], "missing.cld.json: "),
        (["export", "{tmp}/bad.cld.json", "{tmp}/x.png"], "bad.cld.json:1: "),
        (["export", EXAMPLE, "{tmp}/x.png", "--loop", "R9"], "no loop named 'R9' (loops are R1"),
        (["export", EXAMPLE, "{tmp}/x.png", "--page", "a4"], "--page a4 applies to PDF only"),
        (["export", EXAMPLE, "{tmp}/x.png", "--scale", "0"], "expected a positive number"),
        (["export", EXAMPLE, "{tmp}/x.png", "--scale", "2", "--dpi", "300"], "not allowed with"),
        (["export", EXAMPLE, "{tmp}/no/such/dir/x.png"], "x.png: cannot write"),
        (["report", EXAMPLE, "{tmp}/r.txt"], "r.txt: unknown report type ('.txt'): use .html"),
        (["report", "{tmp}/bad.cld.json", "{tmp}/r.html"], "bad.cld.json:1: "),
    ],
)
def test_bad_input_exits_2_with_one_line(run, tmp_path, args, message):
    (tmp_path / "bad.cld.json").write_text("{not json", encoding="utf-8")
    status, out, err = run(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert (status, out) == (2, "")
    assert err.startswith("error: ") and err.count("\n") == 1
    assert message in err
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".png", ".html", ".jpg")]


def test_report_html_and_markdown(run, tmp_path):
    assert run("report", EXAMPLE, tmp_path / "r.html") == (0, "", "")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    for text in ("R1", "R2", "B1", "Virtuous cycle", "Staff turnover", "<svg"):
        assert text in html
    assert run("export", EXAMPLE, tmp_path / "r.svg", "--title")[0] == 0
    export = (tmp_path / "r.svg").read_bytes()
    assert run("report", EXAMPLE, tmp_path / "r.md")[0] == 0
    names = ["r.diagram.svg", "r.html", "r.md", "r.svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert "](r.diagram.svg)" in (tmp_path / "r.md").read_text(encoding="utf-8")
    assert (tmp_path / "r.svg").read_bytes() == export  # the user's export is left alone


def test_scale_and_dpi_of_a_vector_image_are_warned_about(run, tmp_path):
    for suffix in (".svg", ".pdf"):
        for option in (["--scale", "3"], ["--dpi", "300"]):
            status, out, err = run("export", EXAMPLE, tmp_path / f"d{suffix}", *option)
            assert (status, out) == (0, "")
            assert err.startswith("warning: ") and err.count("\n") == 1
            assert option[0] in err and "PNG only" in err
    assert run("export", EXAMPLE, tmp_path / "d.png", "--scale", "1") == (0, "", "")


def test_loop_by_name_in_any_case_or_by_its_label_name(run, tmp_path):
    lit = {}
    for name in ("R2", "r2", "Virtuous cycle", "virtuous CYCLE"):
        status, _, err = run("export", EXAMPLE, tmp_path / "x.svg", "--loop", name)
        assert status == 0, err
        lit[name] = (tmp_path / "x.svg").read_bytes()
    assert len(set(lit.values())) == 1
    assert run("export", EXAMPLE, tmp_path / "r1.svg", "--loop", "R1")[0] == 0
    assert (tmp_path / "r1.svg").read_bytes() != lit["R2"]


def test_offscreen_only_without_a_display():
    env: dict[str, str] = {}
    use_offscreen_without_display(env)
    expected = {} if sys.platform in ("win32", "darwin") else {"QT_QPA_PLATFORM": "offscreen"}
    assert env == expected
    for display in ({"DISPLAY": ":0"}, {"WAYLAND_DISPLAY": "wayland-0"}):
        env = dict(display)
        use_offscreen_without_display(env)
        assert env == display
    env = {"QT_QPA_PLATFORM": "xcb"}
    use_offscreen_without_display(env)
    assert env == {"QT_QPA_PLATFORM": "xcb"}


def test_export_as_a_separate_process_without_a_display(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the command must choose offscreen by itself
    command = [sys.executable, "-m", "cld_editor"]
    out = tmp_path / "d.svg"
    done = subprocess.run(
        [*command, "export", EXAMPLE, str(out), "--legend"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Employee" in out.read_text(encoding="utf-8")
    bad = subprocess.run(
        [*command, "export", EXAMPLE, str(tmp_path / "d.gif")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: ") and "unknown image type ('.gif')" in bad.stderr


def test_each_loop_on_a_diagram_without_loops(run, tmp_path):
    chain = tmp_path / "chain.cld.json"
    chain.write_text(
        '{"format": "cld", "version": 1, "variables": [{"id": "a", "x": 0, "y": 0},'
        ' {"id": "b", "x": 200, "y": 0}], "links": [{"source": "a", "target": "b"}]}',
        encoding="utf-8",
    )
    status, out, err = run("export", chain, tmp_path / "c.png", "--each-loop", tmp_path / "L")
    assert (status, out) == (0, "")
    assert "no loops, no loop images written" in err
    assert (tmp_path / "c.png").exists() and list((tmp_path / "L").iterdir()) == []


def test_report_of_an_untitled_file_is_titled_after_the_file(run, tmp_path: Path):
    source = tmp_path / "exp.cld.json"
    source.write_text(
        '{"format": "cld", "version": 1, "variables": [{"id": "a", "x": 0, "y": 0}]}',
        encoding="utf-8",
    )
    status, _out, err = run("report", source, tmp_path / "r.html")
    assert (status, err) == (0, "")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<h1>exp</h1>" in html and "Untitled" not in html
    titled = tmp_path / "titled.cld.json"
    titled.write_text(
        '{"format": "cld", "version": 1, "title": "Team", "variables": []}', encoding="utf-8"
    )
    assert run("report", titled, tmp_path / "t.html")[0] == 0
    assert "<h1>Team</h1>" in (tmp_path / "t.html").read_text(encoding="utf-8")


def test_report_census_counts_every_loop_of_a_listing_that_stopped(run, tmp_path, monkeypatch):
    """``report --census``: when the listing stops at a limit, every loop is counted too and
    the report gives that count and ranks by it; a count out of time is said and left out."""
    from cld_editor.analysis import census as census_module

    path = _k6(tmp_path)
    out = tmp_path / "k6.html"
    assert run("report", path, out, "--max-loops", "20", "--census") == (0, "", "")
    html = out.read_text(encoding="utf-8")
    assert "All loops counted: 409 loops" in html and '<th class="num">All loops</th>' in html
    assert run("report", path, out, "--max-loops", "20") == (0, "", "")
    assert "All loops counted" not in out.read_text(encoding="utf-8")
    real = census_module.count_loops
    monkeypatch.setattr(census_module, "count_loops", lambda d: real(d, cancelled=lambda: True))
    status, _, err = run("report", path, out, "--max-loops", "20", "--census")
    assert status == 0 and "the count of all loops stopped" in err
    assert "All loops counted" not in out.read_text(encoding="utf-8")


def test_a_loop_name_past_a_listing_that_stopped_says_the_listing_stopped(run, tmp_path):
    """--loop B60000 on a listing stopped at 100,000 loops: the loop may well exist past it;
    the message says so and how to list more."""
    path = _k6(tmp_path)
    out = tmp_path / "x.svg"
    assert run("export", path, out, "--loop", "R300", "--max-loops", "0")[0] == 0
    status, _, err = run("export", path, out, "--loop", "R300", "--max-loops", "20")
    assert status == 2 and err.count("\n") == 1
    assert "the 20 loops listed are R1" in err and "--max-loops 0 or --no-limits" in err


def _k6(folder: Path) -> Path:
    """The complete digraph of 6 variables (409 loops) as a file in ``folder``."""
    import json

    from tests.test_cli import complete_graph

    path = folder / "k6.cld.json"
    path.write_text(json.dumps(complete_graph(6)), encoding="utf-8")
    return path
