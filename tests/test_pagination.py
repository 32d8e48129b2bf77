"""List pages split long lists into pages a user can walk with Previous / Next."""

import datetime
import re

import pytest
from django.db.models import F
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone

from cooperation.api.pagination import FromEitherEndPaginator
from programs.models import Programme
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _next_link(html: str) -> str | None:
    match = re.search(r'<a [^>]*href="([^"]+)"[^>]*rel="next"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_next_link_leads_to_the_rest_of_the_programmes(client, officer):
    for number in range(30):
        ProgrammeFactory(code=f"PG-{number:03d}", title=f"Paged programme {number:03d}")
    client.force_login(officer)
    list_url = reverse("programs:list")

    first = client.get(list_url, {"ordering": "code", "q": "Paged"}).content.decode()
    assert "PG-000" in first and "PG-025" not in first
    next_href = _next_link(first)
    assert next_href and next_href.startswith("?") and not next_href.startswith("??")

    second = client.get(list_url + next_href).content.decode()
    assert "PG-025" in second and "PG-029" in second and "PG-000" not in second
    assert _next_link(second) is None


# --- deep pages read from the nearer end ----------------------------------------------------------------------------


def _programmes_with_ties(count=23):
    """Programmes whose titles and planned starts repeat (and some have none), created in the same instant."""
    for number in range(count):
        ProgrammeFactory(
            code=f"PD-{number:03d}",
            title=f"Title {number % 4}",
            planned_start=None if number % 5 == 0 else datetime.date(2026, 1 + number % 3, 1),
        )
    Programme.objects.update(created_at=timezone.now())  # one instant: only the key tells rows apart


ORDERINGS = [
    ("code",),
    ("-code",),
    ("title",),
    ("-title", "code"),
    ("-created_at",),
    (F("planned_start").asc(nulls_last=True),),
    (F("planned_start").desc(nulls_last=True), "title"),
]


def _offset_pages(queryset, ordering, per_page):
    """Every page as plain OFFSET reads it, the key breaking ties in the direction of the last key."""
    last = ordering[-1]
    descending = last.startswith("-") if isinstance(last, str) else last.descending
    rows = list(queryset.order_by(*ordering, "-pk" if descending else "pk").values_list("code", flat=True))
    return [rows[start : start + per_page] for start in range(0, len(rows), per_page)]


@pytest.mark.parametrize("ordering", ORDERINGS, ids=str)
def test_every_page_holds_the_rows_plain_offset_gives_in_every_order(ordering):
    _programmes_with_ties()
    queryset = Programme.objects.annotate(code_length=Length("code")).order_by(*ordering)
    paginator = FromEitherEndPaginator(queryset, 5)

    pages = [[programme.code for programme in paginator.page(number)] for number in paginator.page_range]

    assert pages == _offset_pages(Programme.objects.all(), ordering, 5)
    assert paginator.count == 23 and paginator.num_pages == 5


def test_the_default_order_of_the_model_is_kept_and_made_total():
    _programmes_with_ties(12)
    paginator = FromEitherEndPaginator(Programme.objects.all(), 5)
    pages = [[programme.code for programme in paginator.page(number)] for number in paginator.page_range]
    default = tuple(Programme._meta.ordering) or ("pk",)

    assert pages == _offset_pages(Programme.objects.all(), default, 5)


def test_a_deep_page_costs_the_queries_of_the_first(django_assert_num_queries):
    _programmes_with_ties(30)
    paginator = FromEitherEndPaginator(Programme.objects.order_by("code"), 5)
    assert paginator.count == 30  # counted once, before the pages

    for number in (1, 6):
        with django_assert_num_queries(1):
            assert len(list(paginator.page(number))) == 5


def test_lists_that_are_not_model_rows_are_paged_as_before():
    _programmes_with_ties(7)
    codes = list(Programme.objects.order_by("code").values_list("code", flat=True))

    assert list(FromEitherEndPaginator(codes, 5).page(2)) == codes[5:]
    values = Programme.objects.order_by("code").values_list("code", flat=True)
    assert list(FromEitherEndPaginator(values, 5).page(2)) == codes[5:]
    distinct = Programme.objects.order_by("code").distinct()
    assert [p.code for p in FromEitherEndPaginator(distinct, 5).page(2)] == codes[5:]


def test_the_list_page_walks_back_from_the_last_page(client, officer):
    for number in range(30):
        ProgrammeFactory(code=f"PG-{number:03d}", title=f"Paged programme {number:03d}")
    client.force_login(officer)

    last = client.get(reverse("programs:list"), {"ordering": "code", "q": "Paged", "page": 2})

    shown = re.findall(r"PG-\d{3}", last.content.decode())
    assert sorted(set(shown)) == [f"PG-{number:03d}" for number in range(25, 30)]
