"""Read a whole file that may be hostile: a regular file only, never more than a limit.

A path given by the user or found in a folder may name a FIFO (reading it waits for a writer
forever), a device such as ``/dev/zero`` (it never ends), a folder, or a symbolic link to any
of those. :func:`read_regular_file` looks before it reads: it checks the file type with
``stat`` (without opening anything that is not a regular file: opening some devices has side
effects), opens with ``O_NONBLOCK`` (so a FIFO swapped in after the check cannot block) and,
when asked, ``O_NOFOLLOW``, checks the opened file again with ``fstat``, and reads at most
``limit + 1`` bytes. Every failure is an :class:`UnreadableFile` with a short message (without
the file name). Qt-free.
"""

from __future__ import annotations

import errno
import os
import stat


class UnreadableFile(Exception):
    """The file cannot be read safely; the message is one short line without the file name."""


def read_regular_file(
    path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = True
) -> bytes:
    """The bytes of the regular file at ``path``; refuses anything else, or more than ``limit``
    bytes. With ``follow_symlinks=False`` a symbolic link is refused too."""
    if not os.fspath(path):
        raise UnreadableFile("no file name given")
    try:
        _check(os.stat(path, follow_symlinks=follow_symlinks), limit)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        flags |= getattr(os, "O_BINARY", 0)
        if not follow_symlinks:
            flags |= getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
        try:
            info = os.fstat(fd)
            _check(info, limit)  # the file may have been swapped since the stat
            return _read_at_most(fd, info.st_size, limit)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise UnreadableFile("no such file") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise UnreadableFile("is a symbolic link") from None
        raise UnreadableFile(exc.strerror or str(exc).strip().split("\n")[0]) from None
    except ValueError:  # a NUL character in the path
        raise UnreadableFile("not a valid file name") from None


def _check(info: os.stat_result, limit: int) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise UnreadableFile("is a symbolic link")
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile("not a regular file")
    if info.st_size > limit:
        raise UnreadableFile(too_large(info.st_size, limit))


def _read_at_most(fd: int, expected: int, limit: int) -> bytes:
    """The file's bytes: the size ``fstat`` gave, and on past it if the file grew, but never
    past the limit (a single read of the limit would allocate it for every small file)."""
    chunks: list[bytes] = []
    total = 0
    want = min(expected + 1, limit + 1)
    while total <= limit:
        chunk = os.read(fd, max(want - total, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = limit + 1
    if total > limit:
        raise UnreadableFile(too_large(total, limit))
    return b"".join(chunks)


def too_large(size: int, limit: int) -> str:
    if limit >= 1 << 20:
        return f"file is too large ({size / 1048576:.1f} MiB; the limit is {limit // 1048576} MiB)"
    return f"file is too large ({size:,} bytes; the limit is {limit:,} bytes)"
