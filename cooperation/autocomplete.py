"""Choosing one record among many: a filter over a big table (partners, programmes) without a full dropdown.

A module registers a *kind* in its ``AppConfig.ready()``: the selector giving the records a user may choose (the
rows their own lists would show), the fields a match is searched in and the fields a typed value is looked up by::

    autocomplete.register("partners", "partners.selectors.organisation_choices", search=("name", "acronym"),
                          lookup=("name", "acronym", "iati_identifier"))

Then ``/autocomplete/<kind>/?q=…`` answers the first matches as JSON for the signed-in user, and a filter declared
with ``AutocompleteFilter("partners", queryset=…)`` draws a plain text input holding the chosen record's label
(static/js/autocomplete.js turns it into a combobox). Without JavaScript the input still filters: it takes a record's
id, or what its ``lookup`` fields hold exactly (a programme's code, a partner's name), or its whole label.
"""

from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_

import django_filters
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

LIMIT = 20  # matches answered at most: enough to pick from, small enough to travel on a slow link
MAX_TERM = 100  # characters of a typed value considered; anything longer matches nothing
MAX_ID_DIGITS = 18  # an id with more digits than a bigint holds is no record's


@dataclass(frozen=True)
class Kind:
    name: str
    choices: str  # dotted path of ``(user) -> QuerySet``: the records ``user`` may choose
    search: tuple[str, ...]  # fields a typed term is searched in (contains, any case)
    lookup: tuple[str, ...]  # fields a typed value names a record by (equal, any case)
    order: tuple[str, ...]

    @cached_property
    def choices_function(self):
        return import_string(self.choices)

    def records(self, user) -> QuerySet:
        return self.choices_function(user=user)


_kinds: dict[str, Kind] = {}


def register(name: str, choices: str, *, search: tuple[str, ...], lookup: tuple[str, ...], order=()) -> None:
    _kinds[name] = Kind(name, choices, tuple(search), tuple(lookup), tuple(order or search[:1]))


def kind_named(name: str) -> Kind | None:
    return _kinds.get(name)


def clean_term(value) -> str:
    """What was typed, trimmed; empty when it cannot name anything (too long, or holding a NUL character)."""
    text = str(value or "").strip()
    if len(text) > MAX_TERM or "\x00" in text:
        return ""
    return text


def matches(kind: Kind, *, user, term: str) -> list[dict]:
    """The first ``LIMIT`` records ``user`` may choose whose search fields contain ``term``, as value and label."""
    typed = str(term or "").strip()
    term = clean_term(typed)
    if typed and not term:
        return []
    records = kind.records(user)
    if term:
        condition = reduce(or_, (Q(**{f"{field}__icontains": term}) for field in kind.search))
        if term.isdigit() and len(term) <= MAX_ID_DIGITS:
            condition |= Q(pk=int(term))
        records = records.filter(condition)
    return [{"value": record.pk, "label": str(record)} for record in records.order_by(*kind.order, "pk")[:LIMIT]]


def find(records: QuerySet, kind: Kind, value) -> object | None:
    """The one record among ``records`` that ``value`` names: by id, by an exact lookup field or by its whole
    label; None when nothing or more than one record answers."""
    text = clean_term(value)
    if not text:
        return None
    if text.isdigit():
        if len(text) > MAX_ID_DIGITS:
            return None
        return records.filter(pk=int(text)).first()
    candidates = {text}
    if " — " in text:  # a label such as "CODE — Title": its first part is the lookup value
        candidates.add(text.split(" — ", 1)[0].strip())
    if text.endswith(")") and " (" in text:  # a label such as "Name (ACRONYM)": either part
        name, _, acronym = text[:-1].rpartition(" (")
        candidates |= {name.strip(), acronym.strip()}
    condition = reduce(or_, (Q(**{f"{field}__iexact": c}) for field in kind.lookup for c in candidates))
    found = list(records.filter(condition)[:2])
    if len(found) == 1:
        return found[0]
    return next((record for record in found if str(record) == text), None)


@require_GET
@login_required
def autocomplete(request, kind):
    """JSON matches of one kind for the signed-in user: ``{"results": [{"value": id, "label": text}, …]}``."""
    found = kind_named(kind)
    if found is None:
        raise Http404
    return JsonResponse({"results": matches(found, user=request.user, term=request.GET.get("q", ""))})


class AutocompleteInput(forms.TextInput):
    """A text input holding the chosen record's label, announced as a combobox whose list the script fills."""

    def __init__(self, kind: str, attrs=None):
        super().__init__(attrs)
        self.kind = kind
        self.label_of = None  # set by the field: value -> the label shown

    def format_value(self, value):
        if value in (None, ""):
            return None
        if self.label_of is not None:
            return self.label_of(value)
        return str(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "role": "combobox",
                "autocomplete": "off",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "data-autocomplete": reverse("autocomplete", args=[self.kind]),
                "aria-controls": f"{context['widget']['attrs'].get('id') or name}-listbox",
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {"id": f"id_{name}", **(attrs or {})}
        listbox = format_html(
            '<ul class="autocomplete-list" id="{}-listbox" role="listbox" aria-label="{}" hidden></ul>',
            attrs["id"],
            _("Matches"),
        )
        return super().render(name, value, attrs, renderer) + listbox


class AutocompleteChoiceField(forms.ModelChoiceField):
    """One record of a big table, named by its id, an exact lookup value or its label (see ``find``)."""

    def __init__(self, queryset, *, kind: str, gives_id: bool = False, **kwargs):
        kwargs.setdefault("widget", AutocompleteInput(kind))
        super().__init__(queryset, **kwargs)
        self.kind_name = kind
        self.gives_id = gives_id  # clean to the record's id, for a filter that compares ids
        self.widget.label_of = self.label_of
        if not self.help_text:
            self.help_text = _("Type a few letters to choose, or a code.")

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.widget.label_of = copied.label_of
        return copied

    @property
    def kind(self) -> Kind:
        kind = kind_named(self.kind_name)
        if kind is None:
            raise LookupError(f"No autocomplete kind named {self.kind_name!r} is registered.")
        return kind

    def label_of(self, value) -> str:
        if isinstance(value, self.queryset.model):
            return str(value)
        record = find(self.queryset, self.kind, value)
        return str(record) if record is not None else str(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            return value
        record = find(self.queryset, self.kind, value)
        if record is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return record

    def clean(self, value):
        record = super().clean(value)
        return record.pk if self.gives_id and record is not None else record

    def validate(self, value):
        forms.Field.validate(self, value)


def use_autocomplete(form, name: str, kind: str, records: QuerySet) -> None:
    """Draw the filter ``name`` of a list page's ``form`` (one that compares ids, such as ``borrower=12``) as a
    combobox of ``kind`` among ``records``: it still cleans to an id, and also takes a code or a label."""
    old = form.fields[name]
    form.fields[name] = AutocompleteChoiceField(
        records, kind=kind, gives_id=True, required=False, label=old.label, help_text=old.help_text
    )


@extend_schema_field(OpenApiTypes.INT)
class AutocompleteFilter(django_filters.ModelChoiceFilter):
    """A filter on one record of a big table: its id in the API, a combobox on the page (``kind`` registered)."""

    field_class = AutocompleteChoiceField

    def __init__(self, kind: str, *args, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            field_kwargs = self.extra.copy()
            field_kwargs["queryset"] = self.get_queryset(self.get_request())
            self._field = AutocompleteChoiceField(kind=self.kind, label=self.label, **field_kwargs)
        return self._field
