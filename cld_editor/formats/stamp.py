"""What a file on disk looked like when the editor last read or wrote it, to notice when
another program, another window or a git checkout changed it before we overwrite it.

A :class:`FileStamp` holds the file's content hash (SHA-256), size and modification time,
whether the path itself was a symbolic link and where it led. :meth:`FileStamp.change` says
what is different now. The content decides whenever the file is there: a size that differs
proves a change, but an equal size and time prove nothing (``cp -p``, ``rsync -t`` and
``touch -r`` restore the time of a rewritten file), so the file is hashed again. A path that
has become a symbolic link, or now leads somewhere else, is a change even with the same
bytes, since a save would write through the link into another file. A new inode with the
same bytes (a checkout that rewrote the file) is not: saving replaces the directory entry
and touches no other file. Qt-free.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from typing import Literal

#: What :meth:`FileStamp.change` reports: the file is gone, the path is now (or no longer) a
#: symbolic link or leads to another file, or the content differs.
Change = Literal["gone", "link", "content"]

_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileStamp:
    mtime_ns: int
    size: int
    sha256: str
    #: Whether the path itself was a symbolic link, and the file it led to.
    is_link: bool = False
    target: str = ""

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> FileStamp | None:
        """The stamp of the file now, or None when it cannot be read (gone, a folder, a FIFO)."""
        try:
            is_link = stat.S_ISLNK(os.lstat(path).st_mode)
            info, digest = _hash_regular_file(path)
        except OSError:
            return None
        if info is None:
            return None
        return cls(
            info.st_mtime_ns,
            info.st_size,
            digest,
            is_link,
            os.path.realpath(path) if is_link else "",
        )

    def change(self, path: str | os.PathLike[str]) -> Change | None:
        """None when ``path`` still names what this stamp saw, with the same bytes; otherwise
        what is different (see :data:`Change`)."""
        try:
            link = os.lstat(path)
        except OSError:
            return "gone"
        is_link = stat.S_ISLNK(link.st_mode)
        if is_link != self.is_link or (is_link and os.path.realpath(path) != self.target):
            return "link"
        try:
            info = os.stat(path)
        except OSError:
            return "gone"  # a dangling link
        if info.st_size != self.size:
            return "content"
        # Same size, and maybe the same time: only the bytes can tell.
        try:
            now, digest = _hash_regular_file(path)
        except OSError:
            return "content"
        if now is None or digest != self.sha256:
            return "content"
        return None

    def matches(self, path: str | os.PathLike[str]) -> bool:
        """True when the file still holds what it held when this stamp was taken."""
        return self.change(path) is None


def _hash_regular_file(path: str | os.PathLike[str]) -> tuple[os.stat_result | None, str]:
    """(fstat, SHA-256) of a regular file, read in chunks; (None, "") for anything else. Opened
    non-blocking, so a FIFO in its place cannot hang the save."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, ""
        digest = hashlib.sha256()
        while chunk := os.read(fd, _CHUNK):
            digest.update(chunk)
        return info, digest.hexdigest()
    finally:
        os.close(fd)
