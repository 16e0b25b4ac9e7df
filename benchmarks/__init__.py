"""Benchmarks: scripts run as ``python benchmarks/<name>.py`` that print ratios against a
baseline measured in the same run. Importable so they can share :mod:`benchmarks.diagrams`."""
