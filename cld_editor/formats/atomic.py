"""Atomic file replacement: a file is either the old version or the new one, never half of each.

Write a temporary file in the same folder (so ``os.replace`` is a rename on one file system),
flush and fsync it, give it the old file's permissions, rename it over the target, then fsync
the folder so the rename itself survives a power cut. Used for saves and recovery copies.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, keeping the file's permission bits.

    A symbolic link is followed (the file it points to is replaced, the link stays). A file
    without write permission is refused rather than silently replaced. On any error the old
    file is intact, the temporary file is removed and the OSError propagates.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    try:
        info = target.stat()
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    else:
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        if not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, "the file is read-only", str(path))
        mode = stat.S_IMODE(info.st_mode)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    # Best effort: some file systems (and Windows) cannot open or fsync a folder.
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _umask() -> int:
    """The process umask, which Python can only read by setting it (and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
