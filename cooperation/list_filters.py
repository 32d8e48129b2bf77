"""Pieces the lists' FilterSets share, for the page and the API alike: the search box and the "Sort by"."""

from functools import reduce
from operator import or_

import django_filters
import django_filters.fields
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def search_filter(*fields: str, label=None) -> django_filters.CharFilter:
    """The rows where any of ``fields`` contains what was typed (spaces around it ignored; nothing typed: every
    row), under ``label`` ("Search" unless given)."""

    def search(queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": value}) for field in fields)))

    return django_filters.CharFilter(method=search, label=label or _("Search"))


def sort_filter(fields: tuple, labels: dict) -> django_filters.OrderingFilter:
    """A list's "Sort by": ``fields`` (model field, parameter) and, last, the date created, which every list offers.

    ``labels`` names a parameter's model field, or a descending ``-parameter``: django-filter formats the
    descending labels once, at import, so they would stay in English; each is written out instead.
    """
    return django_filters.OrderingFilter(
        fields=(*fields, ("created_at", "created")),
        field_labels={**labels, "created_at": _("Created"), "-created": _("Created (descending)")},
        label=_("Sort by"),
    )


class _OneQueryChoices(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for record in self.queryset.all():  # a fresh copy, read whole: an edited country shows at once
            yield self.choice(record)


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator, _OneQueryChoices):
    """A select's options read in one plain query: Django's ``iterator()`` would open a server-side cursor, three
    round trips for a list of a few hundred countries or currencies."""


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedChoiceIterator


class ReferenceChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter on one record of a reference table (a country, a currency, a DAC sector): a select of its few
    hundred rows, read in one query when the page draws it."""

    field_class = ListedModelChoiceField
