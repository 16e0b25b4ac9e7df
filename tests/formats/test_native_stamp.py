"""FileStamp notices every change that a save would overwrite: content (whatever the times
say), and a path that has become a symbolic link or leads elsewhere."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cld_editor.formats.stamp import FileStamp


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, FileStamp]:
    path = tmp_path / "team.cld.json"
    path.write_bytes(b'{"title": "ours"}')
    stamp = FileStamp.of(path)
    assert stamp is not None
    return path, stamp


def test_an_untouched_file_matches(saved) -> None:
    path, stamp = saved
    assert stamp.change(path) is None and stamp.matches(path)


@pytest.mark.parametrize("how", ["utime", "copy2", "touch -r"])
def test_a_same_size_rewrite_that_restores_the_time_is_a_change(saved, tmp_path, how) -> None:
    path, stamp = saved
    info = path.stat()
    theirs = tmp_path / "theirs"
    theirs.write_bytes(b'{"title": "them"}')  # same size
    if how == "copy2":  # cp -p
        os.utime(theirs, ns=(info.st_atime_ns, info.st_mtime_ns))
        shutil.copy2(theirs, path)
    else:
        path.write_bytes(theirs.read_bytes())
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # rsync -t, touch -r
    assert path.stat().st_mtime_ns == stamp.mtime_ns and path.stat().st_size == stamp.size
    assert stamp.change(path) == "content"


def test_the_same_bytes_with_a_new_time_or_inode_are_not_a_change(saved) -> None:
    path, stamp = saved
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
    assert stamp.change(path) is None


def test_a_path_that_became_a_symbolic_link_is_a_change_even_to_the_same_bytes(
    saved, tmp_path
) -> None:
    path, stamp = saved
    elsewhere = tmp_path / "someone-elses-file"
    elsewhere.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(elsewhere)
    assert stamp.change(path) == "link"


def test_a_link_opened_as_a_link_matches_until_it_leads_elsewhere(tmp_path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.write_bytes(b"same")
    second.write_bytes(b"same")
    link = tmp_path / "link.cld.json"
    link.symlink_to(first)
    stamp = FileStamp.of(link)
    assert stamp is not None and stamp.is_link and stamp.change(link) is None
    link.unlink()
    link.symlink_to(second)
    assert stamp.change(link) == "link"
    link.unlink()
    link.write_bytes(b"same")  # no longer a link
    assert stamp.change(link) == "link"


def test_gone_and_other_kinds_of_file(saved) -> None:
    path, stamp = saved
    path.unlink()
    assert stamp.change(path) == "gone"
    if hasattr(os, "mkfifo"):
        os.mkfifo(path)
        assert stamp.change(path) == "content"  # and does not wait for a writer
        assert FileStamp.of(path) is None
