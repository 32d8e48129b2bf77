"""The consignee's receipt form: the date and a note, and one block per item still to count.

The forms only parse what was typed into numbers and a date; ``receipt_confirm`` decides what may be counted
(nothing above what was sent, a reason for anything not good, no date before the dispatch) and its errors come
back next to the item and field they name.
"""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperation.dates import BoundedDateFormField
from cooperation.forms import MultipleFileField, add_service_error, optional_text
from programs.shipments.models import QUANTITY_DIGITS
from programs.shipments.services import MAX_PHOTOS, RECEIPT_QUANTITIES, ReceiptLinesInvalid

QUANTITY_WIDGET_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "class": "quantity-input"}


def _quantity_field(label) -> forms.DecimalField:
    # A text input with a decimal keypad: each language's own decimal mark is accepted (2.5 or 2,5).
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        localize=True,
        widget=forms.TextInput(attrs=QUANTITY_WIDGET_ATTRS),
        **QUANTITY_DIGITS,
    )


class ReceiptForm(forms.Form):
    received_on = BoundedDateFormField(
        past=True,
        label=_("Date received"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = optional_text(
        _("Note"), 3, max_length=2000, help_text=_("Anything the sender should know about this delivery.")
    )
    photos = MultipleFileField(
        label=_("Photos"),
        accept="image/jpeg,image/png,.jpg,.jpeg,.png",
        required=False,
    )
    # A new key each time the form is shown: the same submission sent twice carries the same key. Optional, so a
    # page shown before the key existed still posts (without the protection).
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = gettext(
            "Up to %(count)d photos (JPEG or PNG) of damaged goods or packaging."
        ) % {"count": MAX_PHOTOS}


class ReceiptLineForm(forms.Form):
    """What was counted of one item; blank quantities count as zero."""

    item = forms.IntegerField(widget=forms.HiddenInput)
    good = _quantity_field(_("Good condition"))
    damaged = _quantity_field(_("Damaged"))
    lost = _quantity_field(_("Lost"))
    reason = optional_text(_("Reason for damage or loss"), 2, max_length=2000)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        # Not ``self.item``: templates would find the bound ``item`` field first.
        self.shipment_item = item
        self.fields["item"].initial = item.pk

    def clean_item(self):
        # The blocks follow the items still to count; another receipt in the meantime can change that list.
        if self.cleaned_data["item"] != self.shipment_item.pk:
            raise ValidationError(_("The items still to count have changed: check this item again."))
        return self.shipment_item.pk

    def counts_something(self) -> bool:
        return any(self.cleaned_data.get(name) for name in RECEIPT_QUANTITIES)

    def as_line(self) -> dict:
        return {
            "item": self.shipment_item,
            **{name: self.cleaned_data.get(name) for name in (*RECEIPT_QUANTITIES, "reason")},
        }


class BaseReceiptLineFormSet(forms.BaseFormSet):
    """One form per item still to count, in packing-list order; never more forms than items."""

    def __init__(self, *args, items, **kwargs):
        self.items = list(items)
        self.extra = self.max_num = self.absolute_max = len(self.items)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"item": self.items[index]}

    def lines(self) -> tuple[list[dict], list[ReceiptLineForm]]:
        """The lines for ``receipt_confirm`` and, at the same positions, the forms they came from."""
        forms_with_counts = [form for form in self.forms if form.counts_something()]
        return [form.as_line() for form in forms_with_counts], forms_with_counts


ReceiptLineFormSet = forms.formset_factory(ReceiptLineForm, formset=BaseReceiptLineFormSet, extra=0)


def add_receipt_error(error: ValidationError, *, form: ReceiptForm, line_forms: list[ReceiptLineForm]) -> None:
    """Show ``receipt_confirm``'s refusal where it belongs: next to the item's field it names, else next to the
    date or note, else at the top of the form (nothing counted, a status that no longer allows a receipt)."""
    if isinstance(error, ReceiptLinesInvalid):
        for index, errors in error.line_errors.items():
            line_form = line_forms[index]
            for field, message in errors.items():
                line_form.add_error(field if field in RECEIPT_QUANTITIES or field == "reason" else None, message)
        return
    add_service_error(form, error)
