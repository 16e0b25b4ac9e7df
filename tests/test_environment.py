"""Guards for the machine-level pitfalls: the PySide6 pin and the Qt-free core."""

import subprocess
import sys
import textwrap


def test_core_and_cli_analysis_path_never_import_qt():
    code = textwrap.dedent(
        """
        import sys
        import cld_editor.cli, cld_editor.core, cld_editor.analysis, cld_editor.formats
        from cld_editor.cli import main
        main(["analyze", "--help"])
        assert not any(m.startswith("PySide6") for m in sys.modules), "PySide6 was imported"
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_pyside_version_is_safe_for_this_python():
    import PySide6

    version = tuple(int(part) for part in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert version < (6, 12), f"PySide6 {PySide6.__version__} aborts on Python 3.11"


def test_many_void_calls_do_not_corrupt_none():
    """PySide6 6.12.0 on 3.11 drops a reference to None on each void call and aborts after a
    few thousand; run far more than that in a subprocess so an abort fails this test."""
    code = textwrap.dedent(
        """
        from PySide6.QtCore import QObject, QRectF
        from PySide6.QtGui import QGuiApplication
        import sys
        app = QGuiApplication([])
        obj = QObject()
        rect = QRectF()
        for i in range(100_000):
            obj.setObjectName("x")
            rect.setWidth(i)
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-2000:]


def test_tests_need_no_program_the_readme_does_not_install():
    """The README's install commands set up Python packages only: a test that shells out to a
    program (pdftotext from poppler was one) fails or skips on a fresh machine. PDF text comes
    from pypdf, which the test extra declares."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    extra = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    test_extra = extra["optional-dependencies"]["test"]
    assert any(requirement.startswith("pypdf") for requirement in test_extra)
    import pypdf  # noqa: F401  (installed by pip install -e '.[test]')

    offenders = [
        str(path.relative_to(root))
        for path in (root / "tests").rglob("*.py")
        if path.name != "test_environment.py" and "pdftotext" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
