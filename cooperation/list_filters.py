"""Pieces the lists' FilterSets share, for the page and the API alike: the search box and the "Sort by"."""

from functools import reduce
from operator import or_

import django_filters
import django_filters.fields
from django import forms
from django.db.models import Q
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cooperation.form_rendering import as_string, html_attributes, shown_text


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
    records = None  # the rows already read, when the select has read them (``ListedSelect``)

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # A fresh copy, read whole: an edited country shows at once.
        for record in self.queryset.all() if self.records is None else self.records:
            yield self.choice(record)


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator, _OneQueryChoices):
    """A select's options read in one plain query: Django's ``iterator()`` would open a server-side cursor, three
    round trips for a list of a few hundred countries or currencies."""

    def rows(self) -> tuple:
        """The table's rows as plain values, every column (what the options are written from), in their order."""
        return tuple(self.queryset.values_list(*(field.attname for field in self.queryset.model._meta.concrete_fields)))

    def records_of(self, rows: tuple) -> list:
        fields = [field.attname for field in self.queryset.model._meta.concrete_fields]
        return [self.queryset.model.from_db(self.queryset.db, fields, row) for row in rows]


_written_options: dict = {}  # what a select's options are written from -> each option's value and its HTML
_MOST_WRITTEN = 64  # kinds of option lists kept (tables, languages, labels); past that the store starts again


class ListedSelect(forms.Select):
    """A select of a reference table's rows, drawn as Django draws it (``cooperation.form_rendering``), whose
    options are written once for the same rows in the same language: the rows are read on every page (an edited
    country shows at once), but hundreds of options are not written out again for each page."""

    def _options(self) -> list[tuple[str, str, str]]:
        iterator = self.choices
        field = iterator.field
        label = getattr(field.label_from_instance, "__func__", field.label_from_instance)
        rows = iterator.rows()
        key = (
            iterator.queryset.model._meta.label,
            field.to_field_name,
            label,
            str(field.empty_label),
            str(field.null_label),
            str(field.null_value),
            get_language(),
            rows,
        )
        options = _written_options.get(key)
        if options is None:
            iterator.records = iterator.records_of(rows)
            options = [
                (str(value), f'\n  <option value="{as_string(value)}"', f">{shown_text(text)}</option>\n")
                for value, text in iterator
            ]
            iterator.records = None
            if len(_written_options) >= _MOST_WRITTEN:
                _written_options.clear()
            _written_options[key] = options
        return options

    def render(self, name, value, attrs=None, renderer=None):
        if not isinstance(self.choices, ListedChoiceIterator) or self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen, has_selected, parts = widget["value"], False, [f'<select name="{shown_text(name)}"']
        parts.append(f"{html_attributes(widget['attrs'])}>")
        for option_value, start, end in self._options():
            selected = not has_selected and option_value in chosen
            has_selected |= selected
            parts.append(f"{start} selected{end}" if selected else f"{start}{end}")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped as the template does


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedChoiceIterator
    widget = ListedSelect


class ReferenceChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter on one record of a reference table (a country, a currency, a DAC sector): a select of its few
    hundred rows, read in one query when the page draws it."""

    field_class = ListedModelChoiceField
