"""``cld-editor story``: a PDF with one 16:9 page per step (read back with pypdf), an HTML
player that is self-contained and escapes every text, one picture per step into a folder, and
one ``error:`` line with exit 2 for what the user can fix."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from cld_editor import cli
from cld_editor.analysis.story_gen import story_from_loops
from cld_editor.formats.native import load_diagram, save_diagram

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "experience-loop.cld.json"
NASTY = "<script>alert(\"x\")</script> & <b>bold</b> 'q'"


@pytest.fixture
def run(capsys):
    def run(*args: str) -> tuple[int, str, str]:
        status = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_story_is_a_command() -> None:
    assert "story" in cli.command_names(cli.build_parser())


def test_the_pdf_has_one_16_by_9_page_per_step(run, tmp_path: Path) -> None:
    out = tmp_path / "story.pdf"
    status, text, _ = run("story", EXAMPLE, out, "--from-loops")
    assert status == 0 and "Wrote 3 steps" in text
    reader = PdfReader(out)
    steps = story_from_loops(load_diagram(EXAMPLE)).steps
    assert len(reader.pages) == len(steps) == 3
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width / height - 16 / 9) < 1e-3
    first = " ".join(reader.pages[0].extract_text().split())
    assert "R1 Turnover spiral: reinforcing" in first and "Staff turnover" in first
    fonts = reader.pages[0]["/Resources"]["/Font"].values()
    for font in fonts:  # vector text in embedded fonts
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()
    assert not reader.pages[0].images, "no bitmap in the vector pages"


def test_the_saved_story_is_exported_and_none_is_an_error(run, tmp_path: Path) -> None:
    status, _, err = run("story", EXAMPLE, tmp_path / "s.pdf")
    assert status == 2 and "has no story (tell one with --from-loops)" in err
    diagram = load_diagram(EXAMPLE)
    story = story_from_loops(diagram)
    path = tmp_path / "with-story.cld.json"
    save_diagram(
        diagram.model_copy(update={"story": story.model_copy(update={"steps": story.steps[:2]})}),
        path,
    )
    status, _, _ = run("story", path, tmp_path / "s.pdf")
    assert status == 0 and len(PdfReader(tmp_path / "s.pdf").pages) == 2


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def nasty_diagram(tmp_path: Path) -> Path:
    raw = json.loads(EXAMPLE.read_text("utf-8"))
    raw["title"] = NASTY
    raw["variables"][0]["label"] = NASTY
    raw["loop_labels"][0]["name"] = NASTY
    path = tmp_path / "nasty.cld.json"
    path.write_text(json.dumps(raw), "utf-8")
    return path


def test_the_html_player_is_self_contained_and_escapes_every_text(run, tmp_path) -> None:
    out = tmp_path / "story.html"
    status, _, _ = run("story", nasty_diagram(tmp_path), out, "--from-loops")
    assert status == 0
    html = out.read_text("utf-8")
    parser = _Collect()
    parser.feed(html)
    parser.close()
    tags = [tag for tag, _ in parser.tags]
    assert tags.count("script") == 1, "one inline script, the player's own"
    assert tags.count("section") == 3 and tags.count("svg") == 3
    assert "b" not in tags and "iframe" not in tags and "link" not in tags
    for tag, attrs in parser.tags:
        assert "src" not in attrs, tag  # no script, image or frame from outside
        for name, value in attrs.items():
            if name in ("href", "xlink:href", "action"):
                assert (value or "").startswith("#"), (tag, name, value)
    assert not re.search(r"https?://(?!www\.w3\.org/)", html), "no outside address"
    assert "@import" not in html and "url(http" not in html
    text = "".join(parser.text)
    assert NASTY in text  # shown as text: in the header, the title and the pictures
    assert html.count(NASTY) == 0, "never as raw markup"
    csp = next(a["content"] for t, a in parser.tags if a.get("http-equiv"))
    assert "default-src 'none'" in csp


def test_a_folder_gets_one_picture_per_step(run, tmp_path: Path) -> None:
    status, _, _ = run("story", EXAMPLE, tmp_path / "svgs", "--from-loops")
    assert status == 0
    files = sorted(p.name for p in (tmp_path / "svgs").iterdir())
    assert files == ["step-01.svg", "step-02.svg", "step-03.svg"]
    assert "R2 Virtuous cycle: reinforcing" in (tmp_path / "svgs" / "step-02.svg").read_text()
    status, _, _ = run("story", EXAMPLE, tmp_path / "pngs", "--from-loops", "--format", "png")
    assert status == 0
    pngs = sorted((tmp_path / "pngs").iterdir())
    assert len(pngs) == 3 and all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)


@pytest.mark.parametrize(
    ("out", "extra", "message"),
    [
        ("x.docx", (), "unknown story export ('.docx')"),
        ("x.pdf", ("--format", "png"), "--format applies to a folder only"),
    ],
)
def test_bad_outputs_are_one_line_and_exit_2(run, tmp_path, out, extra, message) -> None:
    status, _, err = run("story", EXAMPLE, tmp_path / out, "--from-loops", *extra)
    assert status == 2 and message in err and err.count("\n") == 1


def test_a_file_in_the_way_of_a_folder_is_an_error(run, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    status, _, err = run("story", EXAMPLE, tmp_path / "taken", "--from-loops")
    assert status == 2 and "is a file, not a folder" in err


def test_an_unwritable_output_names_the_file_first(run, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "dir" / "s.pdf"
    status, _, err = run("story", EXAMPLE, out, "--from-loops")
    assert status == 2 and err.startswith(f"error: {out}: cannot write")
    assert err.count("\n") == 1
