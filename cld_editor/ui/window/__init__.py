"""The main window and what hangs off it: actions and menus, dock panels, dialogs, file handling,
autosave and recovery, exports, and the background loop analysis runner."""
