"""``cld-editor analyze`` of a diagram whose variables share a name lists its loops as they are
(the file is not changed) and says on stderr which names are shared, since its loops then name
two variables alike."""

from __future__ import annotations

import json
from pathlib import Path

from cld_editor.cli import main


def _ring(path: Path, labels: list[str]) -> Path:
    n = len(labels)
    path.write_text(
        json.dumps(
            {
                "format": "cld",
                "version": 1,
                "variables": [{"id": f"v{i}", "label": label} for i, label in enumerate(labels)],
                "links": [{"source": f"v{i}", "target": f"v{(i + 1) % n}"} for i in range(n)],
            }
        ),
        encoding="utf-8",
    )
    return path


def test_shared_names_are_pointed_out_on_stderr(tmp_path: Path, capsys) -> None:
    path = _ring(tmp_path / "shared.cld.json", ["Revenue", "Cost", "revenue "])
    assert main(["analyze", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)  # stdout is the JSON alone
    assert data["loops"][0]["variables"] == ["v0", "v1", "v2"]
    assert captured.err == (
        f"{path}: note: 2 variables share the name “Revenue”: rename one so loops read clearly\n"
    )


def test_unique_names_say_nothing(tmp_path: Path, capsys) -> None:
    path = _ring(tmp_path / "unique.cld.json", ["Revenue", "Cost", "Price"])
    assert main(["analyze", str(path)]) == 0
    assert capsys.readouterr().err == ""
