"""Programmes, participations and progress notes in and out of the API.

Output serializers shape what a client reads; the `...Write` serializers only
check the shape and types of what it sends. Business rules stay in the services.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.api.fields import (
    AMOUNT_SCHEMA,
    NULLABLE_AMOUNT_SCHEMA,
    AmountInputField,
    BoundedDateField,
    ChoiceLabelField,
    amount_text,
    code_field,
    related_with_label,
)
from cooperation.reference.codes import ActivityStatus, OrganisationRole
from cooperation.reference.models import Country, Currency, Sector
from partners.models import DacCategory, Organisation
from programs.models import (
    CooperationForm,
    Objective,
    Participation,
    Programme,
    ProgrammeUpdate,
    programme_code_validator,
)
from programs.selectors import programme_list, responsible_officer_choices
from programs.services import ParticipantInput

AMOUNT_FIELD_OPTIONS = {"min_value": Decimal(0)}

# --- Output ---------------------------------------------------------------------------------------


class BudgetSerializer(serializers.Serializer):
    amount = serializers.SerializerMethodField()
    currency = serializers.CharField(source="budget_currency_id", help_text=_("ISO 4217 code."))

    @extend_schema_field(AMOUNT_SCHEMA)
    def get_amount(self, programme: Programme) -> str:
        return amount_text(programme.budget_amount, programme.budget_currency)


class ProgrammeParticipantSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation_id")
    name = serializers.CharField(source="organisation.name")
    role = serializers.ChoiceField(choices=OrganisationRole.choices)
    role_label = ChoiceLabelField("role")
    committed_amount = serializers.SerializerMethodField()

    @extend_schema_field(NULLABLE_AMOUNT_SCHEMA)
    def get_committed_amount(self, participation: Participation) -> str | None:
        return amount_text(participation.committed_amount, participation.programme.budget_currency)


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    title_indonesian = serializers.CharField(read_only=True)
    description_indonesian = serializers.CharField(read_only=True)
    forms = serializers.ListField(child=serializers.ChoiceField(choices=CooperationForm.choices), read_only=True)
    objectives = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=ActivityStatus.choices, read_only=True)
    status_label = ChoiceLabelField("status", read_only=True)
    planned_start = serializers.DateField(read_only=True, allow_null=True)
    planned_end = serializers.DateField(read_only=True, allow_null=True)
    actual_start = serializers.DateField(read_only=True, allow_null=True)
    actual_end = serializers.DateField(read_only=True, allow_null=True)
    recipient_countries = serializers.SerializerMethodField(help_text=_("ISO 3166-1 alpha-2 codes."))
    sectors = serializers.SerializerMethodField(help_text=_("OECD DAC 5-digit purpose codes."))
    country_percentages = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True),
        read_only=True,
        help_text=_("Each recipient country's share of the programme in percent, by country code."),
    )
    sector_percentages = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True),
        read_only=True,
        help_text=_("Each sector's share of the programme in percent, by sector code."),
    )
    publish_to_iati = serializers.BooleanField(read_only=True)
    dac_category = serializers.ChoiceField(
        choices=DacCategory.choices,
        read_only=True,
        allow_blank=True,
        help_text=_("Recipient category under the OECD DAC rules when it differs from the borrower's; else empty."),
    )
    area = serializers.CharField(
        read_only=True,
        help_text=_("Administrative area when it differs from the partner's (e.g. a province); else empty."),
    )
    budget = BudgetSerializer(source="*", read_only=True)
    responsible_officer = serializers.IntegerField(source="responsible_officer_id", read_only=True, allow_null=True)
    participants = ProgrammeParticipantSerializer(source="participations", many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Objective.choices)))
    def get_objectives(self, programme: Programme) -> list[str]:
        return [row.objective for row in programme.objectives.all()]

    # Codes are read from the prefetched rows (``.all()``), so a list costs no query per programme.
    def get_recipient_countries(self, programme: Programme) -> list[str]:
        return [country.code for country in programme.recipient_countries.all()]

    def get_sectors(self, programme: Programme) -> list[str]:
        return [sector.code for sector in programme.sectors.all()]


class ParticipationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    programme, programme_code = related_with_label("programme", "code")
    organisation, organisation_name = related_with_label("organisation")
    role = serializers.ChoiceField(choices=OrganisationRole.choices, read_only=True)
    role_label = ChoiceLabelField("role", read_only=True)
    committed_amount = serializers.SerializerMethodField()
    currency = serializers.CharField(
        source="programme.budget_currency_id", read_only=True, help_text=_("The programme's budget currency.")
    )

    @extend_schema_field(NULLABLE_AMOUNT_SCHEMA)
    def get_committed_amount(self, participation: Participation) -> str | None:
        return amount_text(participation.committed_amount, participation.programme.budget_currency)


class ProgrammeUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    programme, programme_code = related_with_label("programme", "code")
    author_name = serializers.SerializerMethodField()
    organisation = serializers.IntegerField(source="organisation_id", read_only=True, allow_null=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True, allow_null=True)
    reported_on = serializers.DateField(read_only=True)
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def get_author_name(self, update: ProgrammeUpdate) -> str:
        return update.author.get_full_name() or update.author.get_username()


# --- Input ----------------------------------------------------------------------------------------


def _code_field(model, unknown_message, **kwargs):
    """A reference-data code (country, currency, sector); unknown or retired codes are refused by name."""
    return code_field(model, unknown_message=unknown_message, active_only=True, **kwargs)


def _code_list_field(model, unknown_message, help_text):
    """A list of reference-data codes; on an update, an omitted list is left as it is."""
    return _code_field(model, unknown_message, many=True, required=False, help_text=help_text)


class BudgetWriteSerializer(serializers.Serializer):
    amount = AmountInputField(**AMOUNT_FIELD_OPTIONS)
    currency = _code_field(Currency, _("There is no currency with the code “{value}”."), help_text=_("ISO 4217 code."))


class ParticipantWriteSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    role = serializers.ChoiceField(choices=OrganisationRole.choices)
    committed_amount = AmountInputField(**AMOUNT_FIELD_OPTIONS, required=False, allow_null=True)

    def validate(self, attrs):
        # A PATCH makes every field optional, down to the rows of a list; a row still needs its partner and role.
        missing = {name: [_("This field is required.")] for name in ("organisation", "role") if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class ProgrammeWriteSerializer(serializers.Serializer):
    """A programme with its participants, as one payload. Omitted lists are left as they are on update."""

    code = serializers.CharField(max_length=40, validators=[programme_code_validator])
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    title_indonesian = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_indonesian = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    forms = serializers.ListField(child=serializers.ChoiceField(choices=CooperationForm.choices), allow_empty=False)
    objectives = serializers.ListField(child=serializers.ChoiceField(choices=Objective.choices), required=False)
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    planned_start = BoundedDateField(required=False, allow_null=True)
    planned_end = BoundedDateField(required=False, allow_null=True)
    actual_start = BoundedDateField(required=False, allow_null=True, past=True)
    actual_end = BoundedDateField(required=False, allow_null=True, past=True)
    recipient_countries = _code_list_field(
        Country, _("There is no country with the code “{value}”."), _("ISO 3166-1 alpha-2 codes.")
    )
    sectors = _code_list_field(
        Sector, _("There is no DAC sector with the code “{value}”."), _("OECD DAC 5-digit purpose codes.")
    )
    country_percentages = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100),
        required=False,
        help_text=_("Each recipient country's share of the programme in percent, by country code; adding up to 100."),
    )
    sector_percentages = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100),
        required=False,
        help_text=_("Each sector's share of the programme in percent, by sector code; adding up to 100."),
    )
    publish_to_iati = serializers.BooleanField(required=False)
    dac_category = serializers.ChoiceField(
        choices=DacCategory.choices,
        required=False,
        allow_blank=True,
        help_text=_("Recipient category under the OECD DAC rules when it differs from the borrower's; else empty."),
    )
    area = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=_("Administrative area when it differs from the partner's (e.g. a province); else empty."),
    )
    budget = BudgetWriteSerializer()
    responsible_officer = serializers.PrimaryKeyRelatedField(
        queryset=responsible_officer_choices(), required=False, allow_null=True
    )
    participants = ParticipantWriteSerializer(many=True, required=False)

    # The services (and database) refuse these too, but as errors of the whole record;
    # checking here puts the message next to the end date the client sent.
    DATE_RANGES = (
        ("planned_start", "planned_end", _("The planned end cannot be before the planned start.")),
        ("actual_start", "actual_end", _("The actual end cannot be before the actual start.")),
    )

    def validate(self, attrs):
        errors = {}
        for start_name, end_name, message in self.DATE_RANGES:
            start = attrs[start_name] if start_name in attrs else getattr(self.instance, start_name, None)
            end = attrs[end_name] if end_name in attrs else getattr(self.instance, end_name, None)
            if start and end and end < start:
                errors[end_name] = [message]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def validate_participants(self, rows):
        current = {p.organisation_id for p in self.instance.participations.all()} if self.instance else set()
        for row in rows:
            organisation = row["organisation"]
            if not organisation.is_active and organisation.pk not in current:
                raise serializers.ValidationError(
                    _("%(partner)s is inactive and cannot join a programme.") % {"partner": organisation}
                )
        return rows

    def service_arguments(self) -> dict:
        """The validated input as the keyword arguments of programme_create / programme_update."""
        arguments = dict(self.validated_data)
        budget = arguments.pop("budget", {})
        if "amount" in budget:
            arguments["budget_amount"] = budget["amount"]
        if "currency" in budget:
            arguments["budget_currency"] = budget["currency"]
        if "participants" in arguments:
            arguments["participants"] = [ParticipantInput(**row) for row in arguments["participants"]]
        for name in ("country_percentages", "sector_percentages"):
            if name in arguments:
                arguments[name] = {code: str(percentage) for code, percentage in arguments[name].items()}
        return arguments

    def to_representation(self, programme):
        """The stored programme in the shape this serializer accepts; the browsable API pre-fills its form with it."""
        shown = ProgrammeSerializer(programme, context=self.context).data
        data = {name: shown[name] for name in self.fields if name in shown}
        data["participants"] = [
            {key: row[key] for key in ("organisation", "role", "committed_amount")} for row in shown["participants"]
        ]
        return data

    # Service errors speak of model fields; the client sent them nested under `budget`.
    SERVICE_ERROR_FIELDS = {"budget_amount": ("budget", "amount"), "budget_currency": ("budget", "currency")}


class ParticipationWriteSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=OrganisationRole.choices)
    committed_amount = AmountInputField(**AMOUNT_FIELD_OPTIONS, required=False, allow_null=True)


class ParticipationCreateSerializer(ParticipationWriteSerializer):
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only a programme the user can see; any other id reads as "does not exist".
            self.fields["programme"].queryset = programme_list(user=request.user)


class ProgrammeUpdateWriteSerializer(serializers.Serializer):
    reported_on = BoundedDateField(past=True)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=5000)
