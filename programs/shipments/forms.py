"""Forms of the officers' shipment pages: they parse input into typed values for the shipment services."""

from decimal import Decimal
from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.dates import BoundedDateFormField, validate_date_in_range, validate_not_future
from cooperation.forms import RowFormSet, ServiceModelForm, active_or_current, past_date_field, row_formset
from cooperation.money import AmountFormField, quantize
from cooperation.reference.models import Country, Currency
from cooperation.risk import AcknowledgementField
from cooperation.workflow import move_refusal
from partners.models import Contact, Organisation
from programs.forms import ProgrammeChoiceField
from programs.selectors import programme_list
from programs.shipments.models import QUANTITY_DIGITS, WEIGHT_DIGITS, EventKind, ItemCategory, Shipment, ShipmentItem
from programs.shipments.services import CUSTOMS_KINDS, ITEM_FIELDS, SHIPMENT_FIELDS, SHIPMENT_MOVES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DECIMAL_WIDGET = forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"})
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


def plain_number(value: Decimal | None) -> Decimal | None:
    """A quantity as people type it: 12 or 12.5, never 12.000 (nor 1.2E+1)."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _organisations(*current_pks):
    return active_or_current(Organisation.objects.order_by("name"), *current_pks)


class ContactChoiceField(forms.ModelChoiceField):
    """Contacts grouped under their organisation, so the consignee's people are easy to find."""

    def label_from_instance(self, obj):
        return obj.name if not obj.position else f"{obj.name} ({obj.position})"

    def grouped_choices(self):
        contacts = self.queryset.select_related("organisation").order_by("organisation__name", "name")
        return [
            ("", self.empty_label),
            *(
                (organisation, [(contact.pk, self.label_from_instance(contact)) for contact in group])
                for organisation, group in groupby(contacts, key=lambda contact: contact.organisation.name)
            ),
        ]


# --- The shipment and its packing list ----------------------------------------------------------------------


class ShipmentForm(ServiceModelForm):
    """A shipment's parties, route and dates for ``shipment_create`` / ``shipment_update``.

    On a new shipment an officer may type the number of a pre-printed paper waybill; left empty, the next
    number is issued. The waybill never changes afterwards.
    """

    constraint_fields = {"shipment_expected_after_planned": "expected_arrival"}

    waybill = forms.CharField(
        label=_("Waybill number"),
        max_length=20,
        required=False,
        help_text=_("Leave empty to issue the next number; type one only from a pre-printed paper waybill."),
    )
    programme = ProgrammeChoiceField(label=_("Programme"), queryset=None)
    consignee_contact = ContactChoiceField(label=_("Consignee contact"), queryset=None, required=False)
    risk_acknowledged = AcknowledgementField()

    class Meta:
        model = Shipment
        fields = list(SHIPMENT_FIELDS)
        widgets = {
            "planned_dispatch": DATE_WIDGET,
            "expected_arrival": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = ["waybill", *SHIPMENT_FIELDS]
    RELATIONS = tuple(name for name in SHIPMENT_FIELDS if Shipment._meta.get_field(name).is_relation)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        shipment = self.instance
        editing = shipment.pk is not None
        if editing:
            del self.fields["waybill"]
            del self.fields["risk_acknowledged"]
        current = {name: getattr(shipment, f"{name}_id") if editing else None for name in self.RELATIONS}
        in_kind = Q(is_in_kind=True) | Q(pk=current["programme"])
        programmes = programme_list(user=user).prefetch_related(None).filter(in_kind)
        self.fields["programme"].queryset = programmes.order_by("code")
        self.fields["programme"].empty_label = _("Choose an in-kind programme")
        self.fields["programme"].help_text = _("Only programmes with in-kind cooperation.")
        for name, empty in (
            ("donor", _("Choose the donor")),
            ("consignor", _("Choose the consignor")),
            ("consignee", _("Choose the consignee")),
        ):
            self.fields[name].queryset = _organisations(current[name])
            self.fields[name].empty_label = empty
        self.fields["consignee"].help_text = _("A partner that takes part in the programme; it confirms the receipt.")
        contacts = Contact.objects.filter(
            Q(is_active=True, organisation__is_active=True) | Q(pk=current["consignee_contact"])
        )
        contact_field = self.fields["consignee_contact"]
        contact_field.queryset = contacts
        contact_field.empty_label = _("No contact")
        contact_field.help_text = _("One of the consignee's contacts; told by email when the goods leave.")
        contact_field.choices = contact_field.grouped_choices()
        chosen_countries = [current["origin_country"], current["destination_country"]]
        countries = Country.objects.filter(Q(is_active=True) | Q(pk__in=chosen_countries)).order_by("name")
        for name in ("origin_country", "destination_country"):
            self.fields[name].queryset = countries
            self.fields[name].empty_label = _("Choose a country")
        self.fields["mode"].choices = [("", _("Choose a mode")), *self.fields["mode"].choices[1:]]

    def clean(self):
        cleaned = super().clean()
        contact, consignee = cleaned.get("consignee_contact"), cleaned.get("consignee")
        if contact is not None and consignee is not None and contact.organisation_id != consignee.pk:
            self.add_error("consignee_contact", _("Choose a contact of the consignee."))
        return cleaned

    def shipment_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in SHIPMENT_FIELDS}

    @property
    def chosen_consignee(self) -> Organisation | None:
        """The consignee of a posted new shipment, whose risk flags the page then shows."""
        if "risk_acknowledged" not in self.fields or not self.is_bound:
            return None
        return getattr(self, "cleaned_data", {}).get("consignee")


class ItemForm(ServiceModelForm):
    """One line of the packing list; ``item`` holds the id of an item already on it."""

    item = forms.IntegerField(widget=forms.HiddenInput, required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        **QUANTITY_DIGITS,
        widget=DECIMAL_WIDGET,
    )
    unit_weight_kg = forms.DecimalField(
        label=_("Weight per unit (kg)"),
        **WEIGHT_DIGITS,
        min_value=0,
        required=False,
        widget=DECIMAL_WIDGET,
        error_messages={"min_value": _("The weight cannot be negative.")},
    )
    unit_value = AmountFormField(
        label=_("Value per unit"),
        min_value=0,
        required=False,
        widget=DECIMAL_WIDGET,
        error_messages={"min_value": _("The value cannot be negative.")},
    )

    class Meta:
        model = ShipmentItem
        fields = list(ITEM_FIELDS)
        widgets = {"expiry_date": DATE_WIDGET}

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity is not None and quantity <= 0:
            raise ValidationError(_("The quantity must be more than zero."))
        return quantity

    def clean(self):
        cleaned = super().clean()
        for name in ("unit_weight_kg", "unit_value"):
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = Decimal(0)
        return cleaned

    @property
    def removing(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get(DELETION_FIELD_NAME))

    def item_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ITEM_FIELDS}

    def changed_item_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ITEM_FIELDS if name in self.changed_data}


def _item_initial(item: ShipmentItem) -> dict:
    return {
        "item": item.pk,
        "category": item.category,
        "description": item.description,
        "unit": item.unit,
        "quantity": plain_number(item.quantity),
        "unit_weight_kg": plain_number(item.unit_weight_kg),
        "unit_value": quantize(item.unit_value, item.currency),
        "currency": item.currency_id,
        "expiry_date": item.expiry_date,
        "donor": item.donor_id,
    }


class BaseItemFormSet(RowFormSet):
    """The packing list, edited on the shipment's own page; one query lists each choice for every row."""

    def __init__(self, *args, items=(), **kwargs):
        self.items = {item.pk: item for item in items}
        if self.items:
            kwargs.setdefault("initial", [_item_initial(item) for item in self.items.values()])
        current_currencies = {item.currency_id for item in self.items.values()}
        current_donors = {item.donor_id for item in self.items.values()}
        currencies = Currency.objects.filter(Q(is_active=True) | Q(pk__in=current_currencies)).order_by("code")
        self._choices = {
            "currency": (currencies, [("", _("Currency")), *((c.pk, c.code) for c in currencies)]),
            "donor": self._donor_choices(_organisations(*current_donors)),
        }
        kwargs.setdefault("prefix", "items")
        super().__init__(*args, **kwargs)

    @staticmethod
    def _donor_choices(queryset):
        return queryset, [("", _("Same as the shipment")), *((org.pk, org.name) for org in queryset.only("id", "name"))]

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["category"].choices = [("", _("Choose a category")), *ItemCategory.choices]
        form.fields["description"].widget.attrs["placeholder"] = _("e.g. Rice, 25 kg bags")
        form.fields["unit"].widget.attrs["placeholder"] = _("bag")
        form.fields["unit"].widget.attrs["size"] = 8
        for name, (queryset, choices) in self._choices.items():
            form.fields[name].queryset = queryset
            form.fields[name].choices = choices

    def clean(self):
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            known = data.get("item")
            if known is not None and known not in self.items:
                form.add_error(None, _("This item is no longer on the packing list; reload the page."))

    def rows(self):
        """(form, item) for each row that asks for something: a new line (item None), a change or a removal."""
        for form in self.forms:
            if not form.has_changed():
                continue
            data = getattr(form, "cleaned_data", None) or {}
            item = self.items.get(data.get("item"))
            if data.get(DELETION_FIELD_NAME):
                if item is not None:
                    yield form, item
            elif not form.errors:
                yield form, item


ItemFormSet = row_formset(ItemForm, BaseItemFormSet, extra=2)


# --- Moves on the shipment's page ---------------------------------------------------------------------------


def _reason_field(label, required: str) -> forms.CharField:
    """Why a shipment is reopened, cancelled or lost: kept on its timeline."""
    return forms.CharField(label=label, max_length=2000, widget=SHORT_TEXT, error_messages={"required": required})


class ReasonForm(forms.Form):
    reason = _reason_field(_("Reason"), _("Give the reason; it is kept on the shipment's timeline."))


class DispatchForm(forms.Form):
    dispatched_on = BoundedDateFormField(label=_("Dispatched on"), widget=DATE_WIDGET, past=True)
    carrier = forms.CharField(label=_("Carrier"), max_length=200, required=False)
    transport_reference = forms.CharField(
        label=_("Transport reference"),
        max_length=100,
        required=False,
        help_text=_("Air waybill, bill of lading, truck plate…"),
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=SHORT_TEXT)

    def __init__(self, *args, shipment: Shipment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispatched_on"].initial = timezone.localdate
        if shipment is not None:
            self.fields["carrier"].initial = shipment.carrier
            self.fields["transport_reference"].initial = shipment.transport_reference


class InTransitForm(forms.Form):
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=SHORT_TEXT)


class ArriveForm(forms.Form):
    arrived_on = past_date_field(_("Arrived on"))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=SHORT_TEXT)


class RescheduleForm(forms.Form):
    expected_arrival = BoundedDateFormField(label=_("New expected arrival"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=SHORT_TEXT,
        help_text=_("Why it moved, e.g. the carrier's new estimate."),
    )

    def __init__(self, *args, shipment: Shipment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if shipment is not None:
            self.fields["expected_arrival"].initial = shipment.expected_arrival


class LostForm(forms.Form):
    reason = _reason_field(_("What happened"), _("Say what happened; it is kept on the shipment's timeline."))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class EventForm(forms.Form):
    """Customs entry, hold or release, or a note on the way; the status does not change."""

    kind = forms.ChoiceField(label=_("Event"))
    occurred_at = forms.DateTimeField(
        label=_("Time"),
        required=False,
        validators=[validate_date_in_range, validate_not_future],
        widget=DATETIME_WIDGET,
        help_text=_("Leave empty for now."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=SHORT_TEXT)

    def __init__(self, *args, shipment: Shipment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [kind for kind in EventKind if kind != EventKind.STATUS_CHANGE]
        if shipment is not None and move_refusal(shipment, SHIPMENT_MOVES, "customs") is not None:
            kinds = [kind for kind in kinds if kind not in CUSTOMS_KINDS]
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
