"""``python -m geodata``: see geodata/cli.py."""

import sys

from geodata.cli import main

sys.exit(main())
