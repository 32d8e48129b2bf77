"""Load the derived reference data into the database (used by a data migration and by tests)."""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_reference_data(apps) -> None:
    for model_name, file_name in (("Country", "countries"), ("Currency", "currencies"), ("Sector", "sectors")):
        model = apps.get_model("reference", model_name)
        rows = json.loads((DATA_DIR / f"{file_name}.json").read_text())["items"]
        existing = set(model.objects.values_list("code", flat=True))
        model.objects.bulk_create([model(**row) for row in rows if row["code"] not in existing])
