"""The Qt desktop UI (PySide6 + pyqtgraph); depends on core and feed, never the reverse."""
