"""read_regular_file (and load_diagram through it) reads regular files only, within a limit:
FIFOs, devices, folders and (when asked) symbolic links are refused without blocking."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cld_editor.formats import reading
from cld_editor.formats.native import LoadError, load_diagram
from cld_editor.formats.reading import UnreadableFile, read_regular_file

VALID = json.dumps({"format": "cld", "version": 1, "title": "ok"}).encode()
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")


def test_a_regular_file_is_read_and_a_symlink_to_it_only_when_followed(tmp_path: Path) -> None:
    target = tmp_path / "real.cld.json"
    target.write_bytes(VALID)
    link = tmp_path / "link.cld.json"
    link.symlink_to(target)
    assert read_regular_file(target, 1000) == VALID
    assert read_regular_file(link, 1000) == VALID
    assert load_diagram(link).title == "ok"
    with pytest.raises(UnreadableFile, match="is a symbolic link"):
        read_regular_file(link, 1000, follow_symlinks=False)
    with pytest.raises(LoadError, match="is a symbolic link"):
        load_diagram(link, follow_symlinks=False)


@posix_only
def test_devices_and_fifos_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero, Path("/dev/zero")):
        with pytest.raises(UnreadableFile, match="not a regular file"):
            read_regular_file(path, 1000)
    with pytest.raises(UnreadableFile, match="is a symbolic link"):
        read_regular_file(zero, 1000, follow_symlinks=False)


@posix_only
def test_a_fifo_swapped_in_after_the_check_does_not_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between stat() and open() the file becomes a FIFO: the non-blocking open returns at
    once and fstat() refuses it."""
    path = tmp_path / "swapped"
    path.write_bytes(VALID)
    real_check = reading._check
    calls = []

    def check_then_swap(info: os.stat_result, limit: int) -> None:
        real_check(info, limit)
        if not calls:
            calls.append(1)
            path.unlink()
            os.mkfifo(path)

    monkeypatch.setattr(reading, "_check", check_then_swap)
    with pytest.raises(UnreadableFile, match="not a regular file"):
        read_regular_file(path, 1000)


def test_the_limit_holds_for_what_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_bytes(b"x" * 5000)
    assert read_regular_file(path, 5000) == b"x" * 5000
    with pytest.raises(UnreadableFile, match=r"too large \(5,000 bytes; the limit is 4,999"):
        read_regular_file(path, 4999)
    with pytest.raises(UnreadableFile, match="is a folder"):
        read_regular_file(tmp_path, 4999)
    with pytest.raises(UnreadableFile, match="no such file"):
        read_regular_file(tmp_path / "nope", 10)
    with pytest.raises(UnreadableFile, match="no file name"):
        read_regular_file("", 10)
