"""configure_logging: a rotating file in the chosen folder, verbose on request, never fatal."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cld_editor import logging_setup
from cld_editor.logging_setup import (
    ENV_DEBUG,
    ENV_LOG_DIR,
    LOG_FILE_NAME,
    configure_logging,
    current_log_file,
    debug_requested,
)


@pytest.fixture(autouse=True)
def restore_root_logger(monkeypatch) -> Iterator[None]:
    monkeypatch.delenv(ENV_DEBUG, raising=False)
    monkeypatch.delenv(ENV_LOG_DIR, raising=False)
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    logging.captureWarnings(False)


def flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_log_file_gets_tracebacks(tmp_path: Path) -> None:
    path = configure_logging(debug=False, folder=tmp_path)
    assert path == tmp_path / LOG_FILE_NAME
    assert current_log_file() == path
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        logging.getLogger("cld_editor.test").exception("unexpected error")
    flush()
    text = path.read_text(encoding="utf-8")
    assert "cld-editor starting" in text
    assert "unexpected error" in text
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: boom in a slot" in text


def test_debug_flag_and_environment_make_it_verbose(tmp_path: Path, monkeypatch) -> None:
    path = configure_logging(debug=False, folder=tmp_path / "quiet")
    assert path is not None
    logging.getLogger("cld_editor.test").debug("detail one")
    flush()
    assert "detail one" not in path.read_text()

    path = configure_logging(debug=True, folder=tmp_path / "loud")
    assert path is not None
    logging.getLogger("cld_editor.test").debug("detail two")
    flush()
    assert "detail two" in path.read_text()

    monkeypatch.setenv(ENV_DEBUG, "1")
    assert debug_requested() is True
    assert debug_requested(False) is False
    monkeypatch.setenv(ENV_DEBUG, "0")
    assert debug_requested() is False


def test_environment_chooses_the_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_LOG_DIR, str(tmp_path / "logs"))
    assert configure_logging() == tmp_path / "logs" / LOG_FILE_NAME
    monkeypatch.delenv(ENV_LOG_DIR)
    assert "cld-editor" in str(logging_setup.log_dir())


def test_calling_twice_does_not_duplicate_lines(tmp_path: Path) -> None:
    configure_logging(folder=tmp_path)
    path = configure_logging(folder=tmp_path)
    assert path is not None
    logging.getLogger("cld_editor.test").warning("only once")
    flush()
    assert path.read_text().count("only once") == 1


def test_unwritable_folder_falls_back_to_a_temporary_one(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    path = configure_logging(folder=blocker / "logs")
    assert path is not None and path.parent.parent == tmp_path / "tmp"
    logging.getLogger("cld_editor.test").error("still logged")
    flush()
    assert "still logged" in path.read_text()


def test_log_file_rotates(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(logging_setup, "MAX_LOG_BYTES", 2000)
    path = configure_logging(folder=tmp_path)
    assert path is not None
    for i in range(200):
        logging.getLogger("cld_editor.test").info("line %d %s", i, "x" * 50)
    flush()
    assert path.stat().st_size <= 2000
    assert (tmp_path / f"{LOG_FILE_NAME}.1").exists()
    assert not (tmp_path / f"{LOG_FILE_NAME}.{logging_setup.BACKUP_COUNT + 1}").exists()


def test_a_hard_crash_leaves_its_stacks_in_the_log_file(tmp_path: Path) -> None:
    """A segmentation fault (in Qt, say) kills the process before any handler runs; the
    editor started from a desktop menu has no terminal, so the dump goes to the log file."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(
        f"""
        import faulthandler
        from cld_editor.logging_setup import configure_logging, record_fatal_errors
        configure_logging(folder={str(tmp_path)!r})
        assert record_fatal_errors() is not None
        faulthandler._sigsegv()
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode != 0
    text = (tmp_path / "cld-editor.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in text
    assert "Current thread" in text or "Thread 0x" in text
