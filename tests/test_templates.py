"""Habits every template keeps, checked over the whole templates folder."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# ``{{ record.pk }}`` is localized like any number: record 1234 would become "1,234" (or "1.234" in Indonesian),
# breaking hidden form values, element ids and the links and scripts that look them up.
BARE_ID = re.compile(r"\{\{ ?[a-z_][a-z_.]*\.(?:pk|id) ?\}\}")


def test_record_ids_are_never_written_with_thousand_separators():
    bare = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if BARE_ID.search(line)
    ]
    assert bare == [], "write ids as {{ record.pk|unlocalize }} ({% load l10n %})"


@pytest.mark.django_db
def test_a_record_id_above_a_thousand_reaches_the_page_as_plain_digits(client, officer):
    from tests.programs.shipments.factories import ShipmentItemFactory

    item = ShipmentItemFactory(id=12345)
    client.force_login(officer)
    html = client.get(reverse("shipments:detail", args=[item.shipment.pk])).content.decode()
    assert 'data-item="12345"' in html
