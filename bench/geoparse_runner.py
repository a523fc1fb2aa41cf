"""What ``python3 -m geodata geoparse FILE`` does once the CLI calls write_json_lines: JSON Lines to stdout."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geodata.geoparse import read_text_input, write_json_lines  # noqa: E402

write_json_lines(read_text_input(sys.argv[1]), sys.stdout)
