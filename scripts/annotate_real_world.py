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
    # --- Second batch (see README: tuning rw_03..rw_09, held out rwh_03..rwh_11), annotated before any
    # change to the geoparser. Streets, roads and time-zone names ("Moscow Time") are not annotated.
    "rw_03_tass_airfields.txt": [
        ("MOSCOW", "gn:524901", "city", None),
        ("Russian", "country:RU", "demonym", None),
        ("Russia", "country:RU", "country", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Kazakh", "country:KZ", "demonym", None),
        # "the regions of Moscow, Ivanov and Ulyanovsk": a shared plural generic, so each name is its region
        ("Moscow", "region:RU-MOS", "region", None),
        ("Ivanov", "region:RU-IVA", "region", None),  # misspelling of Ivanovo
        # airfield ids: the gazetteer's once it held them (airportsdata UWLW, UUMU; Ivanovo Severny curated)
        ("Ulyanovsk-Vostochny", "landmark:airport-uwlw", "landmark", None),
        ("Ivanovo-Severny", "landmark:ivanovo-severny-airfield", "landmark", None),
        ("Chkalovsk", "landmark:airport-uumu", "landmark", None),  # "the Chkalovsk ... airports": Chkalovskiy airfield
        ("Ulyanovsk", "region:RU-ULY", "region", None),
        ("Mangistau region", "region:KZ-MAN", "region", None),
        ("Zhanaozen", "gn:607610", "city", None),
        ("Aktau", "gn:610612", "city", None),
        ("Almaty", "gn:1526384", "city", None),
        ("Atyrau", "gn:610529", "city", None),
        ("Aktobe", "gn:610611", "city", None),
        ("Uralsk", "gn:608668", "city", None),
        ("Taraz", "gn:1516905", "city", None),
        ("Shymkent", "gn:1518980", "city", None),
        ("Kyzylorda", "gn:1519922", "city", None),
        ("Karaganda", "gn:609655", "city", None),
        ("Nur-Sultan", "gn:1526273", "city", None),
    ],
    "rw_04_kursiv_jan5.txt": [
        ("Almaty international airport", "landmark:almaty-airport", "landmark", None),
        ("Almaty region", "region:KZ-ALM", "region", None),
        ("Republic of Kazakhstan", "country:KZ", "country", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Almaty", "gn:1526384", "city", None),
        ("Nur-Sultan", "gn:1526273", "city", None),
        ("Karagandy", "gn:609655", "city", None),
        ("Mangystau", "region:KZ-MAN", "region", None),  # "the region of Mangystau"
    ],
    "rw_05_meduza_dispatch.txt": [
        ("Astana Square", "landmark:astana-square-almaty", "landmark", None),
        ("Republic Square", "landmark:republic-square-almaty", "landmark", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Kazakh", "country:KZ", "demonym", None),
        ("Almaty", "gn:1526384", "city", None),
    ],
    "rw_06_nbc_csto.txt": [
        ("ALMATY", "gn:1526384", "city", None),
        ("Almaty", "gn:1526384", "city", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Kazakh", "country:KZ", "demonym", None),
        ("Russian", "country:RU", "demonym", None),
        ("Armenian", "country:AM", "demonym", None),
        ("Nur-Sultan", "gn:1526273", "city", None),
        ("Central Asia", "", "macroregion", None),
        ("Soviet Union", "", "historic", None),
    ],
    "rw_07_newsfront_csto_leave.txt": [
        ("Alma-Ata thermal power plant-1", "landmark:almaty-chpp-1", "landmark", None),
        ("Alma-Ata airport", "landmark:almaty-airport", "landmark", None),
        ("Aksai grain factory", "landmark:aksai-grain-factory-almaty", "landmark", None),
        ("Druzhba pumping station", "landmark:druzhba-pumping-station-almaty", "landmark", None),
        ("CHPP-2", "landmark:almaty-chpp-2", "landmark", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Armenia", "country:AM", "country", None),
        ("Armenian", "country:AM", "demonym", None),
        ("Tajikistan", "country:TJ", "country", None),
        ("Tajik", "country:TJ", "demonym", None),
        ("Russian", "country:RU", "demonym", None),
        ("Russia", "country:RU", "country", None),
        ("Belarus", "country:BY", "country", None),
        ("Kyrgyzstan", "country:KG", "country", None),
        ("Kyrgyz", "country:KG", "demonym", None),
    ],
    "rw_08_newizv_tv_tower.txt": [
        ("Republic Square", "landmark:republic-square-almaty", "landmark", None),
        ("Koktobe", "landmark:kok-tobe-tower", "landmark", None),
        ("Alma-Ata", "gn:1526384", "city", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Kazakh", "country:KZ", "demonym", None),
        ("Almaty", "gn:1526384", "city", [1]),  # 0 is the “Almaty” TV channel, not a place
    ],
    "rw_09_rg_city_hall.txt": [
        ("Republic Square", "landmark:republic-square-almaty", "landmark", None),
        ("Kazakh SSR", "", "historic", None),
        ("Almaty", "gn:1526384", "city", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Mangyshlak", "region:KZ-MAN", "region", None),  # "Mangyshlak limestone": the peninsula, Mangystau
    ],
    "rwh_03_kazinform_chronology.txt": [
        ("Mangistau region", "region:KZ-MAN", "region", None),
        ("Almaty city", "gn:1526384", "city", None),
        ("West Kazakhstan", "region:KZ-ZAP", "region", None),
        ("East Kazakhstan", "region:KZ-VOS", "region", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Zhanaozen", "gn:607610", "city", None),
        ("Mangistau", "region:KZ-MAN", "region", None),
        ("Aktau", "gn:610612", "city", None),
        # "Atyrau, Aktobe, West Kazakhstan, East Kazakhstan, Almaty regions": the regions
        ("Atyrau", "region:KZ-ATY", "region", None),
        ("Aktobe", "region:KZ-AKT", "region", None),
        ("Almaty", "region:KZ-ALM", "region", None),
    ],
    "rwh_04_interfax_riots.txt": [
        ("Republic Square", "landmark:republic-square-almaty", "landmark", None),
        ("Aksai microdistrict", "landmark:aksai-microdistrict-almaty", "landmark", None),
        ("Mangistau region", "region:KZ-MAN", "region", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Alma-Ata", "gn:1526384", "city", None),
        ("Almaty", "gn:1526384", "city", None),
    ],
    "rwh_05_smallcap_airport.txt": [
        ("Almaty International Airport", "landmark:almaty-airport", "landmark", None),
        ("Almaty airport", "landmark:almaty-airport", "landmark", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Moscow", "gn:524901", "city", None),
        ("Russian", "country:RU", "demonym", None),
        ("Almaty", "gn:1526384", "city", None),
        ("Atyrau", "gn:610529", "city", None),
        ("Aktau", "gn:610612", "city", None),
    ],
    "rwh_06_24kg_peacekeepers.txt": [
        ("Almaty TPP-2", "landmark:almaty-chpp-2", "landmark", None),
        ("TPP-2", "landmark:almaty-chpp-2", "landmark", None),
        ("Mangistau region", "region:KZ-MAN", "region", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Kyrgyzstan", "country:KG", "country", None),
        ("Zhanaozen", "gn:607610", "city", None),
        ("Aktau", "gn:610612", "city", None),
    ],
    "rwh_07_asiaplus_csto_summit.txt": [
        ("Armenian", "country:AM", "demonym", None),
        ("Armenia", "country:AM", "country", None),
        ("Belarusian", "country:BY", "demonym", None),
        ("Belarus", "country:BY", "country", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Kyrgyzstan", "country:KG", "country", None),
        ("Russian", "country:RU", "demonym", None),
        ("Russia", "country:RU", "country", None),
        ("Tajikistan", "country:TJ", "country", None),
        ("America", "country:US", "country", None),
    ],
    "rwh_08_tass_almaty_region.txt": [
        ("NUR-SULTAN", "gn:1526273", "city", None),
        ("Almaty Region", "region:KZ-ALM", "region", None),
        ("Mangistau region", "region:KZ-MAN", "region", None),
        ("Mangistau Province", "region:KZ-MAN", "region", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Zhanaozen", "gn:607610", "city", None),
        ("Aktau", "gn:610612", "city", None),
        ("Almaty", "gn:1526384", "city", None),
        ("Atyrau", "gn:610529", "city", None),
        ("Aktobe", "gn:610611", "city", None),
        ("Uralsk", "gn:608668", "city", None),
        ("Taraz", "gn:1516905", "city", None),
        ("Shymkent", "gn:1518980", "city", None),
        ("Kyzylorda", "gn:1519922", "city", None),
        ("Karaganda", "gn:609655", "city", None),
        ("Nur-Sultan", "gn:1526273", "city", None),
    ],
    "rwh_09_interfax_koktobe.txt": [
        ("Koktobe", "landmark:kok-tobe-tower", "landmark", None),
        ("Almaty", "gn:1526384", "city", None),
        ("Alma-Ata", "gn:1526384", "city", None),
        ("Kazakhstani", "country:KZ", "demonym", None),
        ("Russian", "country:RU", "demonym", None),
    ],
    "rwh_10_hrw_almaty.txt": [
        ("Kazakhstan", "country:KZ", "country", None),
        ("Kazakh", "country:KZ", "demonym", None),
        ("Almaty", "gn:1526384", "city", None),
        ("Berlin", "gn:2950159", "city", None),
        ("Zhanaozen", "gn:607610", "city", None),
    ],
    "rwh_11_sputnik_airport.txt": [
        ("Almaty airport", "landmark:almaty-airport", "landmark", None),
        ("Republic of Kazakhstan", "country:KZ", "country", None),
        ("Russian Federation", "country:RU", "country", None),
        ("MOSCOW", "gn:524901", "city", None),
        ("Almaty", "gn:1526384", "city", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Kazakh", "country:KZ", "demonym", None),
        ("Russian", "country:RU", "demonym", None),
    ],
    "rw_10_tass_putin_csto.txt": [
        ("MOSCOW", "gn:524901", "city", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Kazakh", "country:KZ", "demonym", None),
        ("Russian", "country:RU", "demonym", None),
        ("Armenian", "country:AM", "demonym", None),
    ],
    "rw_11_kazinform_turksib.txt": [
        ("Turksib region", "landmark:turksib-district-almaty", "landmark", None),  # a district of Almaty city
        ("Almaty city", "gn:1526384", "city", None),
        ("ALMATY", "gn:1526384", "city", None),
        ("Almaty", "gn:1526384", "city", None),
    ],
    "rw_12_qazaqtv_csto_leave.txt": [
        ("Almaty city", "gn:1526384", "city", None),  # "Almaty city and surrounding areas": the city
        ("Kazakhstan", "country:KZ", "country", None),
        ("Kazakh", "country:KZ", "demonym", None),
        ("Russia", "country:RU", "country", None),
        ("Belarus", "country:BY", "country", None),
        ("Kyrgyzstan", "country:KG", "country", None),
        ("Armenia", "country:AM", "country", None),
        ("Tajikistan", "country:TJ", "country", None),
    ],
    "rwh_12_republicworld_summit.txt": [
        ("Kazakhstan", "country:KZ", "country", None),
        ("Russian", "country:RU", "demonym", None),
        ("Russia", "country:RU", "country", None),
        ("Armenian", "country:AM", "demonym", None),
        ("Armenia", "country:AM", "country", None),
        ("Belarus", "country:BY", "country", None),
        ("Kyrgyzstan", "country:KG", "country", None),
        ("Tajikistan", "country:TJ", "country", None),
        ("Uzbekistan", "country:UZ", "country", None),
        ("US", "country:US", "country", None),
        ("Moscow", "gn:524901", "city", None),
        ("Washington", "gn:4140963", "city", None),
    ],
    "rwh_13_novichoktimes.txt": [
        ("Almaty", "gn:1526384", "city", None),
        ("Kazakhstan", "country:KZ", "country", [1, 2, 3]),  # 0 is the TV channel “Kazakhstan”
        ("Armenia", "country:AM", "country", None),
        ("Russia", "country:RU", "country", None),
        ("Kyrgyzstan", "country:KG", "country", None),
        ("Belarus", "country:BY", "country", None),
        ("Tajikistan", "country:TJ", "country", None),
    ],
    "rwh_14_trend_almaty_region.txt": [
        ("BAKU", "gn:587084", "city", None),
        ("Azerbaijan", "country:AZ", "country", None),
        ("Almaty region", "region:KZ-ALM", "region", None),
        ("Almaty", "gn:1526384", "city", None),
        ("Kazakhstan", "country:KZ", "country", None),
        ("Kazakhs", "country:KZ", "demonym", None),
    ],
    "rwh_15_pledgetimes_taldykorgan.txt": [
        ("Almaty region", "region:KZ-ALM", "region", None),
        ("Taldykorgan", "gn:1518542", "city", None),
        ("Kazakhstan", "country:KZ", "country", None),
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
