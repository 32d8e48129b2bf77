"""Regenerate the reference data files from a folder of IATI codelist XML files.

A maintenance tool: the application itself only reads the JSON it writes,
under ``cooperation/reference/data/``.
"""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
ATTRIBUTION = "IATI Standard (http://iatistandard.org/), codelists version 2.03, CC BY 4.0"

# ISO 4217 minor units that differ from the usual two decimals.
MINOR_UNITS = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(["CLF", "UYW"], 4),
}


def _items(path: Path):
    root = ET.parse(path).getroot()  # noqa: S314 - the maintainers' own copy of the published codelists
    for item in root.iter("codelist-item"):
        english = next(
            (n.text for n in item.findall("name/narrative") if not n.attrib), item.findtext("name/narrative")
        )
        yield {
            "code": item.findtext("code").strip(),
            "name": (english or "").strip(),
            "active": item.get("status", "active") == "active",
            "category": (item.findtext("category") or "").strip(),
        }


class Command(BaseCommand):
    help = "Derive countries, currencies and DAC sectors from IATI codelist XML files."

    def add_arguments(self, parser):
        parser.add_argument("source", help="Folder holding Country.xml, Currency.xml, Sector.xml, SectorCategory.xml")

    def handle(self, *args, source, **options):
        folder = Path(source)
        if not (folder / "Country.xml").exists():
            raise CommandError(f"No IATI codelists in {folder}")
        countries = [
            {"code": i["code"], "name": i["name"], "is_active": i["active"]} for i in _items(folder / "Country.xml")
        ]
        currencies = [
            {
                "code": i["code"],
                "name": i["name"],
                "is_active": i["active"],
                "minor_unit": MINOR_UNITS.get(i["code"], 2),
            }
            for i in _items(folder / "Currency.xml")
        ]
        categories = {i["code"]: i["name"] for i in _items(folder / "SectorCategory.xml")}
        sectors = [
            {
                "code": i["code"],
                "name": i["name"],
                "is_active": i["active"],
                "category_code": i["category"],
                "category_name": categories.get(i["category"], ""),
            }
            for i in _items(folder / "Sector.xml")
        ]
        for name, rows in (("countries", countries), ("currencies", currencies), ("sectors", sectors)):
            payload = {"attribution": ATTRIBUTION, "items": rows}
            (DATA_DIR / f"{name}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
            self.stdout.write(f"{name}: {len(rows)}")
