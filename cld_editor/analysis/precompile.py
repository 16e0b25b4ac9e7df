"""The first compile of the numba kernel on a machine, done in a child process.

numba compiles the loop search and the placing functions in a few seconds, the first time on a
machine, and holds the interpreter lock in long stretches meanwhile (LLVM's passes): another
thread of the same process, such as the window's, then stalls for hundreds of milliseconds at a
time, and Stop answered late. So when the per-user cache (``NUMBA_CACHE_DIR``) holds no compile
of the current sources, a child Python (``python -m cld_editor.analysis.precompile``) compiles
into it, and the program then only loads the cached code (stalls of tens of milliseconds). A
stamp file in the cache folder names what was compiled: the numba, Python and cld-editor
versions and the compiled source files' sizes and times, which numba's own cache keys on too.
Where the child cannot run or fails, the compile happens in the process, as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

#: Seconds the child may take (a compile takes 5-20 s on a slow machine).
CHILD_SECONDS = 300.0
#: The modules numba compiles functions of: a change to one makes numba recompile.
SOURCES = ("kernel.py", "placing.py")


def cache_dir() -> str:
    """The folder numba caches compiled code in: ``NUMBA_CACHE_DIR``, set here to the per-user
    cache folder when unset (it must be set before numba is imported)."""
    if "NUMBA_CACHE_DIR" not in os.environ:
        from platformdirs import user_cache_dir

        os.environ["NUMBA_CACHE_DIR"] = os.path.join(
            user_cache_dir("cld-editor", appauthor=False), "numba"
        )
    return os.environ["NUMBA_CACHE_DIR"]


def stamp_path() -> Path | None:
    """The stamp file of a compile of the current sources, or None where they cannot be read
    (the compile is then left to the process)."""
    import importlib.metadata

    parts = [sys.version, sys.executable]
    for dist in ("numba", "cld-editor"):
        try:
            parts.append(importlib.metadata.version(dist))
        except importlib.metadata.PackageNotFoundError:
            parts.append("-")
    here = Path(__file__).resolve().parent
    try:
        for name in SOURCES:
            stat = (here / name).stat()
            parts.append(f"{here / name}:{stat.st_size}:{stat.st_mtime_ns}")
    except OSError:
        return None
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]
    return Path(cache_dir()) / f"compiled-{digest}.stamp"


def compile_in_child() -> bool:
    """Compile into the disk cache in a child process unless a stamp says it is done; True
    when the cache holds the compile (the process then only loads it). The child goes on if
    this program ends first (its own session: Ctrl+C at the terminal does not reach it; its
    output goes to a file, not to a pipe that would break), and writes the stamp itself."""
    stamp = stamp_path()
    if stamp is None or getattr(sys, "frozen", False):
        return False
    if stamp.exists():
        return True
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir())
    try:
        with tempfile.TemporaryFile() as errors:
            done = subprocess.run(
                [sys.executable, "-m", __name__],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                timeout=CHILD_SECONDS,
                start_new_session=os.name == "posix",
                creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),  # Windows
                check=False,
            )
            errors.seek(0)
            tail = errors.read().decode(errors="replace").strip().splitlines()[-1:]
    except (OSError, subprocess.SubprocessError) as error:
        logging.getLogger(__name__).info("no child compile: %s", error)
        return False
    if done.returncode != 0:
        logging.getLogger(__name__).info("child compile failed: %s", " ".join(tail))
        return False
    return stamp.exists() or _stamped(stamp)


def _stamped(stamp: Path) -> bool:
    """Write ``stamp``; True (the cache holds the compile) even where it cannot be written:
    the next process then compiles in a child again, which only loads."""
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text("compiled\n", encoding="utf-8")
    except OSError:
        pass
    return True


#: Seconds the child waits before it compiles: for tests, which must see a compile outlast
#: the command that started it, on any machine.
TEST_DELAY_ENV = "CLD_EDITOR_TEST_CHILD_DELAY"


def main() -> int:
    """The child: compile (or load) every compiled function into the disk cache and write the
    stamp; 1 where numba is missing or fails."""
    from . import engine

    delay = os.environ.get(TEST_DELAY_ENV)
    if delay:
        import time

        time.sleep(float(delay))

    if not engine.compile_everything():
        return 1
    stamp = stamp_path()
    if stamp is not None:
        _stamped(stamp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
