"""Test setup: Qt runs offscreen (set before anything imports Qt), settings go to a temp folder."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
