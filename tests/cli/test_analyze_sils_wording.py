"""``analyze --sils`` says "1 of them is beyond the listing's limits" for one loop, and "are"
for more."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cld_editor.cli import main


def write(tmp_path: Path, links: list[tuple[str, str]]) -> Path:
    names = sorted({v for link in links for v in link})
    data = {
        "format": "cld",
        "version": 1,
        "variables": [{"id": v, "label": v.upper(), "x": 0, "y": 0} for v in names],
        "links": [{"id": f"{s}{t}", "source": s, "target": t} for s, t in links],
    }
    path = tmp_path / "d.cld.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def sils(capsys: pytest.CaptureFixture[str], path: Path, *argv: str) -> str:
    assert main(["analyze", str(path), "--sils", *argv]) == 0
    return capsys.readouterr().out


def test_one_loop_beyond_the_listing_reads_in_the_singular(tmp_path, capsys) -> None:
    # A two-link loop and a three-link one: a one-loop listing holds the shorter only.
    path = write(tmp_path, [("a", "b"), ("b", "a"), ("b", "c"), ("c", "d"), ("d", "b")])
    text = sils(capsys, path, "--max-loops", "1")
    assert "shortest independent loop set: 2 loops" in text
    assert "1 of them is beyond the listing's limits; its starred name" in text
    assert "of them are" not in text
    assert "beyond" not in sils(capsys, path, "--no-limits")


def test_a_set_of_one_loop_is_one_loop(tmp_path, capsys) -> None:
    path = write(tmp_path, [("a", "b"), ("b", "a")])
    assert "shortest independent loop set: 1 loop (cyclomatic number 1)" in sils(capsys, path)
