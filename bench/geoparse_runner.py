"""What ``python3 -m geodata geoparse FILE`` does, for timing whole processes: JSON Lines to stdout."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geodata.geoparse import parse_to_records, read_text_input  # noqa: E402

out = sys.stdout
for rec in parse_to_records(read_text_input(sys.argv[1])):
    out.write(json.dumps(rec, sort_keys=True, ensure_ascii=False) + "\n")
