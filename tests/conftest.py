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
