"""A filter on a reference table draws the same select as Django's model choice filter, its options read in one
query, and filters the same rows."""

import django_filters
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
