"""Saving is atomic: the old file survives any failure, no temporary file is left behind, the
file keeps its permissions, and a symbolic link keeps pointing at the saved file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cld_editor.core.model import Diagram, Variable
from cld_editor.formats import atomic
from cld_editor.formats.atomic import atomic_write
from cld_editor.formats.native import dumps_diagram, load_diagram, save_diagram

OLD = Diagram(title="old", variables=[Variable(id="a", x=0, y=0)])
NEW = Diagram(title="new", variables=[Variable(id="b", x=1, y=1)])


def only_file_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "diagram.cld.json"
    save_diagram(OLD, path)
    return path


def test_save_replaces_the_file(saved: Path) -> None:
    save_diagram(NEW, saved)
    assert load_diagram(saved) == NEW
    assert only_file_in(saved.parent) == ["diagram.cld.json"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_save_keeps_the_permissions(saved: Path) -> None:
    saved.chmod(0o640)
    save_diagram(NEW, saved)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o640
    saved.chmod(0o604)
    save_diagram(OLD, saved)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o604


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    old_mask = os.umask(0o027)
    try:
        save_diagram(NEW, tmp_path / "fresh.cld.json")
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE((tmp_path / "fresh.cld.json").stat().st_mode) == 0o640


def test_a_failing_rename_leaves_the_old_file_and_no_temporary(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        save_diagram(NEW, saved)
    assert saved.read_bytes() == before
    assert only_file_in(saved.parent) == ["diagram.cld.json"]


def test_a_failing_write_leaves_the_old_file_and_no_temporary(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output error"):
        save_diagram(NEW, saved)
    assert saved.read_bytes() == before
    assert only_file_in(saved.parent) == ["diagram.cld.json"]


def test_an_interrupted_save_leaves_the_old_file(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even Ctrl+C in the middle of a save (a BaseException) cleans up."""
    before = saved.read_bytes()

    def interrupted(path: str, mode: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "chmod", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_diagram(NEW, saved)
    assert saved.read_bytes() == before
    assert only_file_in(saved.parent) == ["diagram.cld.json"]


def test_saving_into_a_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        save_diagram(NEW, tmp_path / "gone" / "d.cld.json")
    assert only_file_in(tmp_path) == []


def test_saving_over_a_folder_fails_cleanly(tmp_path: Path) -> None:
    (tmp_path / "d.cld.json").mkdir()
    with pytest.raises(IsADirectoryError):
        save_diagram(NEW, tmp_path / "d.cld.json")
    assert only_file_in(tmp_path) == ["d.cld.json"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_file_and_folder_are_refused(saved: Path) -> None:
    before = saved.read_bytes()
    saved.chmod(0o444)
    with pytest.raises(PermissionError):
        save_diagram(NEW, saved)
    saved.chmod(0o644)
    saved.parent.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            save_diagram(NEW, saved)
    finally:
        saved.parent.chmod(0o755)
    assert saved.read_bytes() == before
    assert only_file_in(saved.parent) == ["diagram.cld.json"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_saving_through_a_symlink_replaces_its_target(saved: Path) -> None:
    link = saved.parent / "link.cld.json"
    link.symlink_to(saved.name)
    save_diagram(NEW, link)
    assert link.is_symlink()
    assert load_diagram(saved) == NEW
    assert only_file_in(saved.parent) == ["diagram.cld.json", "link.cld.json"]


def test_atomic_write_accepts_str_paths_and_writes_exact_bytes(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    atomic_write(str(target), b"\x00\xffdata")
    assert target.read_bytes() == b"\x00\xffdata"
    assert atomic._umask() == atomic._umask()  # reading the umask leaves it unchanged


def test_saved_bytes_are_the_dumped_text(saved: Path) -> None:
    assert saved.read_bytes() == dumps_diagram(OLD).encode("utf-8")


def test_a_file_we_may_not_write_is_not_replaced(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read-only check itself, also when the tests run as root (who may write anything)."""
    before = saved.read_bytes()
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(PermissionError, match="read-only"):
        save_diagram(NEW, saved)
    assert saved.read_bytes() == before
    assert only_file_in(saved.parent) == ["diagram.cld.json"]
