"""Installed as the ``monitor.resources`` package (see pyproject.toml); holds no code."""
