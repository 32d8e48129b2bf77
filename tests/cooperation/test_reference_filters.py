"""A filter on a reference table draws the same select as Django's model choice filter, its options read in one
query, and filters the same rows."""

import django_filters
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from cooperation.list_filters import ReferenceChoiceFilter
from cooperation.reference.models import Country, Currency
from partners.models import Organisation
from tests.factories import OrganisationFactory, country

pytestmark = pytest.mark.django_db


class ByDjango(django_filters.FilterSet):
    country = django_filters.ModelChoiceFilter(queryset=Country.objects.all(), to_field_name="code")
    currency = django_filters.ModelChoiceFilter(queryset=Currency.objects.all(), null_label="None", field_name="name")

    class Meta:
        model = Organisation
        fields = ["country"]


class ByReference(django_filters.FilterSet):
    country = ReferenceChoiceFilter(queryset=Country.objects.all(), to_field_name="code")
    currency = ReferenceChoiceFilter(queryset=Currency.objects.all(), null_label="None", field_name="name")

    class Meta:
        model = Organisation
        fields = ["country"]


@pytest.mark.parametrize("data", [None, {"country": "ID"}, {"country": "XX"}])
def test_the_select_is_the_one_django_draws(data):
    expected, drawn = ByDjango(data).form, ByReference(data).form
    assert str(drawn["country"]) == str(expected["country"])
    assert str(drawn["currency"]) == str(expected["currency"])


def test_the_options_are_read_in_one_query():
    form = ByReference().form
    with CaptureQueriesContext(connection) as queries:
        html = str(form["country"])
    assert len(queries) == 1 and "DECLARE" not in queries[0]["sql"]
    assert html.count("<option") == Country.objects.count() + 1


def test_a_country_added_later_is_offered_at_once():
    form = ByReference().form
    str(form["country"])
    Country.objects.create(code="QZ", name="Qazland")
    assert 'value="QZ"' in str(ByReference().form["country"])


def test_it_filters_the_same_rows():
    OrganisationFactory(name="Mitra Tani", country=country("ID"))
    OrganisationFactory(name="Pacific Relief", country=country("FJ"))
    rows = ByReference({"country": "FJ"}, queryset=Organisation.objects.all()).qs
    assert [organisation.name for organisation in rows] == ["Pacific Relief"]


def test_a_select_drawn_again_in_another_language_or_with_a_choice_reads_as_django_draws_it():
    with override("id"):
        str(ByReference().form["currency"])  # its options written once, in Bahasa Indonesia
    for language, data in (("en", None), ("id", {"country": "FJ"}), ("en", {"country": "ID"}), ("id", None)):
        with override(language):
            expected, drawn = ByDjango(data).form, ByReference(data).form
            assert str(drawn["country"]) == str(expected["country"])
            assert str(drawn["currency"]) == str(expected["currency"])
    with override("en"):
        assert 'value="ID" selected' in str(ByReference({"country": "ID"}).form["country"])


def test_a_renamed_country_shows_its_new_name_at_once():
    str(ByReference().form["country"])
    Country.objects.filter(code="FJ").update(name="Viti")
    html = str(ByReference().form["country"])
    assert ">Viti</option>" in html and str(ByDjango().form["country"]) == html
