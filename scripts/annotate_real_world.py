"""Write the gold TSVs of geodata/data/evaluation/real_world/ from hand-made annotation lists.

The annotations below were written by hand, by reading each text, under the rules in the header of
geodata/data/evaluation/seed_toponyms.tsv. This script only turns "every word-bounded occurrence of
this surface in this document is this place" (or the n-th occurrence) into offsets, and fails if a
listed surface does not occur; it never decides what is a toponym.

Run: python3 scripts/annotate_real_world.py
"""

from __future__ import annotations

import re
from pathlib import Path

DIR = Path(__file__).resolve().parent.parent / "geodata" / "data" / "evaluation" / "real_world"
HEADER = """# Gold for {doc}: real published text (see README.md in this folder for source, publisher, date and
# licence), annotated by hand under the rules of geodata/data/evaluation/seed_toponyms.tsv (same columns).
# Generated from the hand-made lists in scripts/annotate_real_world.py.
document\tstart\tend\ttext\tplace_id\tkind
"""

# (surface, place_id, kind, which): which = None for every word-bounded occurrence, or a list of
# 0-based occurrence numbers. Longer surfaces are placed first and shorter ones never overlap them.
GOLD: dict[str, list[tuple]] = {
    "rw_01_wikipedia_lead.txt": [
        ("Kazakh", "country:KZ", "demonym", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Zhanaozen", "gn:607610", "city", None),
        ("Almaty", "gn:1526384", "city", None),
    ],
    "rw_02_us_statements.txt": [
        ("United States", "country:US", "country", None),
        ("Kazakhstanis", "country:KZ", "demonym", None),
        ("Kazakhstani", "country:KZ", "demonym", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Europe", "", "macroregion", None),
        ("Ukraine", "country:UA", "country", None),
        ("Russian", "country:RU", "demonym", None),
    ],
    "rwh_01_vikidia_timeline.txt": [
        ("Republic of Kazakhstan", "country:KZ", "country", None),
        ("Kazakh", "country:KZ", "demonym", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Zhanaozen", "gn:607610", "city", None),
        ("Aktobe", "gn:610611", "city", None),
        ("Mangistau region", "region:KZ-MAN", "region", None),
    ],
    "rwh_02_voa_report.txt": [
        ("Kazakhstan", "country:KZ", "country", None),
        ("Kazakh", "country:KZ", "demonym", None),
        ("Russia", "country:RU", "country", None),
        ("Russian", "country:RU", "demonym", None),
        ("Almaty", "gn:1526384", "city", None),
        ("Moscow", "gn:524901", "city", None),
    ],
}


def spans(text: str, items: list[tuple]) -> list[tuple]:
    taken: list[tuple[int, int]] = []
    out = []
    for surface, pid, kind, which in items:
        found = [m for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text)]
        found = [m for m in found if not any(a < m.end() and m.start() < b for a, b in taken)]
        if not found:
            raise SystemExit(f"{surface!r} does not occur (outside longer spans)")
        for i, m in enumerate(found):
            if which is None or i in which:
                taken.append((m.start(), m.end()))
                out.append((m.start(), m.end(), surface, pid, kind))
    return sorted(out)


def main() -> None:
    for doc, items in GOLD.items():
        text = (DIR / doc).read_text(encoding="utf-8")
        rows = spans(text, items)
        body = "".join(f"{doc}\t{s}\t{e}\t{t}\t{p}\t{k}\n" for s, e, t, p, k in rows)
        (DIR / doc).with_suffix(".tsv").write_text(HEADER.format(doc=doc) + body, encoding="utf-8")
        print(doc, len(rows))


if __name__ == "__main__":
    main()
