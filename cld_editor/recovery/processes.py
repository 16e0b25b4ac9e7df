"""Whether a process still runs, for the recovery store: :func:`pid_alive` (zombies count as
gone; on Windows asked of the kernel, since ``os.kill(pid, 0)`` would send Ctrl+C there) and
:func:`process_start_identity`, which tells a process from a later one that got the same pid
(its start time on Linux). A copy whose writer is gone is an orphan the next start offers back.
"""

from __future__ import annotations

import os
import sys


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (zombies count as gone)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return False
    return _linux_state(pid) != "Z"


def process_start_identity(pid: int) -> str | None:
    """Something that differs between two processes that had the same pid, when cheap to get:
    the start time in clock ticks since boot on Linux; None elsewhere."""
    fields = _linux_stat_fields(pid)
    if fields is None or len(fields) < 20:
        return None
    return fields[19]


def _linux_state(pid: int) -> str | None:
    fields = _linux_stat_fields(pid)
    return fields[0] if fields else None


def _linux_stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (which may contain spaces)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            text = handle.read().decode("ascii", "replace")
    except OSError:
        return None
    return text[text.rfind(")") + 1 :].split()


def _pid_alive_windows(pid: int) -> bool:  # pragma: no cover - exercised on Windows only
    # os.kill(pid, 0) on Windows would send CTRL_C_EVENT, so ask the kernel instead.
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    process_query_limited_information = 0x1000
    still_active = 259
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
