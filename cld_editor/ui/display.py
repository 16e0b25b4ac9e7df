"""Is there a display to open the editor window on? Checked before Qt starts.

Without one, Qt's xcb plugin aborts the process with a core dump (exit 134) and a message that
blames a missing library ("libxcb-cursor0 is needed ... Reinstalling the application may fix
this problem"). :func:`display_problem` looks at what Qt would look at, the platform asked for
in ``QT_QPA_PLATFORM`` or else ``WAYLAND_DISPLAY`` and ``DISPLAY``, and for an X display whether
its socket answers, and returns one line saying what is missing and what works instead, or
None when the window can open (or when it cannot tell: Qt then decides). Only X11/Wayland
systems are checked; Windows and macOS always have a display. Does not import Qt.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Mapping

#: Platform plugins that need no display server.
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"})

ADVICE = (
    "run it on a desktop, or without one with `xvfb-run -a cld-editor` or "
    "QT_QPA_PLATFORM=offscreen; `cld-editor analyze`, `export` and `report` need no display"
)


def display_problem(
    environ: Mapping[str, str] | None = None, platform: str = sys.platform
) -> str | None:
    """One line saying why the window cannot open here, or None when it can (or may)."""
    env = os.environ if environ is None else environ
    if platform in ("win32", "darwin", "cygwin"):
        return None
    wayland, x_display = env.get("WAYLAND_DISPLAY", ""), env.get("DISPLAY", "")
    asked = [name.split(":", 1)[0].strip() for name in env.get("QT_QPA_PLATFORM", "").split(";")]
    asked = [name for name in asked if name]
    if asked:
        if any(_platform_usable(name, wayland, x_display) for name in asked):
            return None
        return f"no display for the editor window (QT_QPA_PLATFORM={';'.join(asked)}); {ADVICE}"
    if wayland:
        return None
    if not x_display:
        return (
            "no display for the editor window (neither DISPLAY nor WAYLAND_DISPLAY is set); "
            + ADVICE
        )
    if not x_display_reachable(x_display):
        return f"cannot reach the X display {x_display} for the editor window; {ADVICE}"
    return None


def _platform_usable(name: str, wayland: str, x_display: str) -> bool:
    if name in HEADLESS_PLATFORMS:
        return True
    if name == "xcb":
        return bool(x_display) and x_display_reachable(x_display)
    if name.startswith("wayland"):
        return bool(wayland)
    return True  # a plugin this check does not know: Qt decides


_X_DISPLAY = re.compile(r"^(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?$")


def x_display_reachable(display: str, timeout: float = 1.0) -> bool:
    """Whether an X server answers at ``display`` (":0", "localhost:10.0", ...); True when
    the name is not understood (Qt will say)."""
    match = _X_DISPLAY.match(display)
    if match is None:
        return True
    host, number = match.group("host"), int(match.group("number"))
    if host.startswith("/"):  # a socket path (XQuartz's launchd sockets)
        return _unix_socket_answers([display.rsplit(":", 1)[0]], timeout)
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        # Linux X servers also listen on an abstract socket of that name.
        abstract = ["\0" + path] if sys.platform.startswith("linux") else []
        return _unix_socket_answers([*abstract, path], timeout)
    try:
        with socket.create_connection((host, 6000 + number), timeout=timeout):
            return True
    except OSError:
        return False


def _unix_socket_answers(addresses: list[str], timeout: float) -> bool:
    for address in addresses:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(timeout)
                sock.connect(address)
                return True
        except OSError:
            continue
    return False
