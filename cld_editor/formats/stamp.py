"""What a file on disk looked like when the editor last read or wrote it, to notice when
another program, another window or a git checkout changed it before we overwrite it.

A :class:`FileStamp` holds the file's modification time, size and a SHA-256 of its bytes. The
time and size answer the common case without reading the file; when they differ the content
decides, so a checkout that rewrites the same bytes does not raise a false alarm. Qt-free.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class FileStamp:
    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> FileStamp | None:
        """The stamp of the file now, or None when it cannot be read (gone, a folder, ...)."""
        try:
            with open(path, "rb") as file:
                info = os.fstat(file.fileno())
                digest = hashlib.sha256(file.read()).hexdigest()
        except OSError:
            return None
        return cls(info.st_mtime_ns, info.st_size, digest)

    def matches(self, path: str | os.PathLike[str]) -> bool:
        """True when the file still holds what it held when this stamp was taken."""
        try:
            info = os.stat(path)
        except OSError:
            return False
        if (info.st_mtime_ns, info.st_size) == (self.mtime_ns, self.size):
            return True
        now = FileStamp.of(path)
        return now is not None and now.sha256 == self.sha256
