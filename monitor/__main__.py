"""``python -m monitor`` -> :func:`monitor.cli.main`."""

import sys

from monitor.cli import main

sys.exit(main())
