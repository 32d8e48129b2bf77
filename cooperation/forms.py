"""The pieces every service-backed form shares."""

from collections.abc import Callable, Iterable

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.dates import BoundedDateFormField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REASON_WIDGET = forms.Textarea(attrs={"rows": 2})


class ServiceModelForm(forms.ModelForm):
    """A ModelForm used only to parse input into typed values for a service.

    The service assigns, validates and saves, so the form neither touches its
    instance nor runs model validation; the service's ValidationError comes
    back through ``add_service_error``.
    """

    # Constraint name → form field that should show its message, for constraints that do not
    # name exactly one of the form's fields (check constraints, multi-column unique constraints).
    constraint_fields: dict[str, str] = {}

    def _post_clean(self):
        pass

    def save(self, commit=True):
        raise NotImplementedError("Call the service with form.cleaned_data instead.")

    def add_service_error(self, error: ValidationError) -> None:
        add_service_error(self, error)

    def field_for_message(self, message: str) -> str | None:
        """The field a constraint's violation message belongs next to, or None for the top of the form."""
        for constraint in self._meta.model._meta.constraints:
            if str(constraint.get_violation_error_message()) != message:
                continue
            if constraint.name in self.constraint_fields:
                return self.constraint_fields[constraint.name]
            named = [name for name in getattr(constraint, "fields", ()) if name in self.fields]
            if len(named) == 1:
                return named[0]
        return None


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on ``form``: next to the field it names, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        for single in errors:
            if key in form.fields:
                target = key
            elif key == NON_FIELD_ERRORS and hasattr(form, "field_for_message"):
                target = form.field_for_message(" ".join(single.messages))
            else:
                target = None
            form.add_error(target, single)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, of the types ``accept`` names (a hint to the browser; the service checks the
    content); ``clean`` returns the list (possibly empty)."""

    def __init__(self, *args, accept: str, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if not uploads:
            super().clean(None, initial)  # refuses an empty input when the field is required
            return []
        clean_one = super().clean
        return [clean_one(upload, initial) for upload in uploads]


def optional_text(label: str, rows: int, **kwargs) -> forms.CharField:
    """An optional text of several lines, the box ``rows`` high."""
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def optional_code_choice(label: str, empty_label: str, choices) -> forms.TypedChoiceField:
    """An optional choice among whole-number codes (an IATI codelist): None when left at ``empty_label``."""
    return forms.TypedChoiceField(
        label=label, choices=[("", empty_label), *choices], coerce=int, empty_value=None, required=False
    )


def active_or_current(queryset, *current_pks):
    """Active choices, plus those already chosen (None: nothing yet) so editing a record never loses its value."""
    chosen = [pk for pk in current_pks if pk is not None]
    if not chosen:
        return queryset.filter(is_active=True)
    return queryset.filter(Q(is_active=True) | Q(pk__in=chosen))


# --- Fields the moves on a record ask for ---------------------------------------------------------------------


def past_date_field(label) -> BoundedDateFormField:
    """The day something happened: not after today, and today until the user says otherwise."""
    return BoundedDateFormField(label=label, widget=DATE_WIDGET, past=True, initial=timezone.localdate)


def reason_field(required_message=None, *, label=None, **kwargs) -> forms.CharField:
    """A reason given for a move, kept with the record: required (with ``required_message``) or, without it,
    optional."""
    if required_message is None:
        kwargs["required"] = False
    else:
        kwargs["error_messages"] = {"required": required_message}
    return forms.CharField(label=label or _("Reason"), max_length=2000, widget=REASON_WIDGET, **kwargs)


class TranchePayForm(forms.Form):
    """Recording a tranche as paid: the day and the bank's reference."""

    paid_on = past_date_field(_("Paid on"))
    payment_reference = forms.CharField(label=_("Payment reference"), max_length=100, required=False)


# --- Filters as a list page shows them ------------------------------------------------------------------------
# A list page and its API share one FilterSet; the page shows some of its filters as simpler controls.


class OneOfSelect(forms.Select):
    """One choice of a select for a filter that takes several (``status=a&status=b`` in the API): the page sends
    a list of at most one value."""

    def format_value(self, value):
        return super().format_value(value) or [""]

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        return [value] if value else []


class YesNoSelect(forms.Select):
    """A yes/no filter (true/false in the API) as a select whose values read ``yes`` and ``no`` in the page's
    address."""

    VALUES = {"yes": True, "no": False}

    def __init__(self, yes: str, no: str):
        super().__init__(choices=any_choices([("yes", yes), ("no", no)]))

    def format_value(self, value):
        return [key for key, meaning in self.VALUES.items() if meaning is value] or [""]

    def value_from_datadict(self, data, files, name):
        return self.VALUES.get(data.get(name))


def any_choices(choices) -> list:
    """A select's choices with "Any" first, for an optional filter."""
    return [("", _("Any")), *choices]


def dress_filters(form, *, search_help: str = "", checkboxes=(), any_of=()) -> None:
    """A list page's filter form as people use it: "q" a search box (``search_help`` under it), ``checkboxes``
    ticked one by one, and "Any" as the empty choice of the ``any_of`` selects."""
    fields = form.fields
    fields["q"].widget = forms.TextInput(attrs={"type": "search"})
    if search_help:
        fields["q"].help_text = search_help
    for name in checkboxes:
        fields[name].widget = forms.CheckboxSelectMultiple(choices=fields[name].choices)
    for name in any_of:
        field = fields[name]
        field.empty_label = _("Any")
        if not isinstance(field, forms.ModelChoiceField):
            field.choices = any_choices(field.choices[1:])  # a fixed list: its first choice was the empty one


def id_select(records: Callable[[], Iterable], label: Callable = str) -> forms.Select:
    """A select of records for a filter that takes a record's id (``programme=12`` in the API), "Any" first;
    ``records()`` is read each time the page is drawn."""
    return forms.Select(choices=lambda: any_choices((record.pk, label(record)) for record in records()))


class RowFormSet(forms.BaseFormSet):
    """Editable rows under a record's form, each with its "Remove" box; a service's refusal about the rows shows
    above them."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = _("Remove")

    def add_service_error(self, error: ValidationError) -> None:
        self.non_form_errors().extend(error.messages)


def add_rows_service_error(form, formset: RowFormSet, error: ValidationError, row_keys) -> None:
    """Show a service's ValidationError about a record and its rows: what ``row_keys`` name above the rows
    (``formset``), the rest on the record's ``form``."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    own = {key: value for key, value in error.error_dict.items() if key not in row_keys}
    for key, value in error.error_dict.items():
        if key in row_keys:
            formset.add_service_error(ValidationError(value))
    if own:
        form.add_service_error(ValidationError(own))


def row_formset(form: type[forms.Form], formset: type[forms.BaseFormSet], *, extra: int, most: int = 100):
    """A formset of deletable rows with ``extra`` blank ones. The rows a posted form may claim are capped at
    ``most``: a forged row count must not make the server build thousands of forms."""
    return forms.formset_factory(
        form,
        formset=formset,
        extra=extra,
        can_delete=True,
        can_delete_extra=False,
        max_num=most,
        absolute_max=most,
        validate_max=True,
    )
