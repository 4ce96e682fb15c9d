"""Entry script for the PyInstaller bundle (the same ``main`` as ``ashare-monitor``)."""

import sys

from monitor.cli import main

if __name__ == "__main__":
    sys.exit(main())
