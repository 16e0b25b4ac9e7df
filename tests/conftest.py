"""Test setup: Qt runs offscreen (set before anything imports Qt); log files and recovery copies
go to a temporary folder (QSettings are pointed at one by the window tests' helpers)."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Log files and recovery copies of the program under test never land in the user's folders.
_state = tempfile.mkdtemp(prefix="cld-editor-tests-")
atexit.register(shutil.rmtree, _state, ignore_errors=True)
os.environ["CLD_EDITOR_LOG_DIR"] = os.path.join(_state, "logs")
os.environ["CLD_EDITOR_STATE_DIR"] = os.path.join(_state, "state")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import gc  # noqa: E402

import pytest  # noqa: E402

from cld_editor.core.memory import collect_due  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _collect_on_the_main_thread_only():
    """As the editor does (ui/gc_thread.py): the cyclic collector never runs on a worker
    thread, where collecting garbage that holds Qt objects of earlier tests crashed a
    shuffled run; it runs after each test instead, on this thread."""
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


@pytest.fixture(autouse=True)
def _collect_after_each_test():
    yield
    collect_due()
