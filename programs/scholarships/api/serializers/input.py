"""What a client sends: the ``...Write`` and action serializers only check its shape and types; business rules
stay in the services."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperation.api.fields import AmountInputField, BoundedDateField, EnumChoiceField, UserScopedRelations, code_field
from cooperation.reference.models import Country, Currency
from partners.models import Organisation
from partners.selectors import organisation_list
from programs.models import Programme
from programs.scholarships.api.serializers.output import (
    COUNTRY_HELP,
    CURRENCY_HELP,
    CallSerializer,
    _gender_field,
)
from programs.scholarships.models import (
    ActivityKind,
    Application,
    Call,
    ExchangeStatus,
    Level,
    StipendFrequency,
)
from programs.scholarships.selectors import application_list, call_list
from programs.scholarships.services.activities import MAX_PARTICIPANTS
from programs.selectors import programme_list

# --- Input --------------------------------------------------------------------------------------------------------


def _technical_programmes(*, user):
    return programme_list(user=user).filter(is_technical=True)


def _exchange_programmes(*, user):
    return programme_list(user=user).filter(Q(is_technical=True) | Q(is_cultural=True))


def _officers(*, user):
    return get_user_model().objects.filter(is_active=True, is_staff=True)


class CriterionWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    weight = serializers.CharField(help_text=_("A decimal number above zero, at most 2 decimals."))


class StipendWriteSerializer(serializers.Serializer):
    amount = AmountInputField(help_text=_("Per period, in the currency's minor unit."))
    currency = code_field(Currency, help_text=CURRENCY_HELP)
    frequency = EnumChoiceField(StipendFrequency)


class CallUpdateSerializer(UserScopedRelations, serializers.Serializer):
    """A call's details; omitted fields stay as they are on a partial update. ``criteria`` replaces the rubric,
    which is refused once a reviewer has scored against it."""

    scoped_fields = {"programme": _technical_programmes, "host": organisation_list, "responsible_officer": _officers}

    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.none(), help_text=_("A technical programme the host takes part in.")
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    host = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(), help_text=_("The host institution: a partner.")
    )
    fields_of_study = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    eligible_countries = code_field(Country, many=True, help_text=_("Nationalities that may apply (ISO 3166-1)."))
    level = EnumChoiceField(Level, enum_name="ScholarshipLevelEnum")
    opens_on = BoundedDateField()
    closes_on = BoundedDateField()
    awards_available = serializers.IntegerField(min_value=1, max_value=32767)
    stipend = StipendWriteSerializer()
    duration_months = serializers.IntegerField(min_value=1, max_value=120)
    responsible_officer = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.none(), required=False, allow_null=True
    )
    criteria = CriterionWriteSerializer(many=True, help_text=_("The rubric: name and weight of each criterion."))

    def to_representation(self, call):
        """The stored call in the shape this serializer accepts; the browsable API pre-fills its edit form with it."""
        shown = CallSerializer(call, context=self.context).data
        data = {name: shown[name] for name in self.fields if name in shown}
        data["criteria"] = [{key: row[key] for key in ("name", "weight")} for row in shown["criteria"]]
        return data


class CallCreateSerializer(CallUpdateSerializer):
    pass


class ApplicationCreateSerializer(UserScopedRelations, serializers.Serializer):
    """An application received, recorded by an officer; attachments follow at /applications/{id}/attachments/."""

    scoped_fields = {"call": call_list}

    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.none(), help_text=_("An open call."))
    applicant_name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    nationality = code_field(Country, help_text=COUNTRY_HELP)
    gender = _gender_field()
    date_of_birth = BoundedDateField(past=True)
    current_institution = serializers.CharField(max_length=200)
    degree = serializers.CharField(max_length=200)
    field_of_study = serializers.CharField(max_length=200)
    motivation = serializers.CharField(max_length=10000)


class AttachmentWriteSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("A PDF file within the size limit."))


class MoveReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, help_text=_("Why."))


class PassOverReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text=_("Needed only when better-ranked applications are passed over."),
    )


class ProposeAwardSerializer(PassOverReasonSerializer):
    risk_acknowledged = serializers.BooleanField(
        required=False, default=False, help_text=_("Needed when the host institution has risk flags.")
    )


class EnrolmentSerializer(serializers.Serializer):
    enrolled_on = BoundedDateField(past=True)


class CompletionSerializer(serializers.Serializer):
    completed_on = BoundedDateField(past=True)


class ReviewAssignSerializer(UserScopedRelations, serializers.Serializer):
    scoped_fields = {"application": application_list, "reviewer": _officers}

    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.none())
    reviewer = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.none(), help_text=_("An active officer or manager.")
    )


class ScoresSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text=_("Criterion id → score from 0 to 10, at most one decimal, for every criterion of the rubric."),
    )
    comments = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ConflictSerializer(serializers.Serializer):
    conflict_note = serializers.CharField(
        source="note", max_length=2000, allow_blank=True, help_text=_("The conflict of interest.")
    )


class PaymentSerializer(serializers.Serializer):
    paid_on = BoundedDateField(past=True)
    payment_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ProgressReportWriteSerializer(serializers.Serializer):
    application = serializers.IntegerField(help_text=_("A scholar your institution hosts."))
    term_label = serializers.CharField(max_length=100)
    period_end = BoundedDateField(past=True)
    result = serializers.CharField(max_length=200)
    remarks = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ActivityUpdateSerializer(UserScopedRelations, serializers.Serializer):
    """An activity's details; omitted fields stay as they are on a partial update."""

    scoped_fields = {"programme": _exchange_programmes, "host": organisation_list, "partners": organisation_list}

    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.none(), help_text=_("A technical or cultural programme.")
    )
    title = serializers.CharField(max_length=200)
    kind = EnumChoiceField(ActivityKind)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    starts_on = BoundedDateField()
    ends_on = BoundedDateField()
    country = code_field(Country, help_text=COUNTRY_HELP)
    city = serializers.CharField(max_length=120)
    host = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    partners = serializers.PrimaryKeyRelatedField(many=True, queryset=Organisation.objects.none(), required=False)
    status = EnumChoiceField(ExchangeStatus, enum_name="ExchangeStatusEnum", required=False)


class ActivityCreateSerializer(ActivityUpdateSerializer):
    pass


class ActivityParticipantWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True)
    gender = serializers.CharField(allow_blank=True, help_text=_("female, male or other."))
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    country = code_field(Country, required=False, allow_null=True, help_text=COUNTRY_HELP)


class ActivityReportSerializer(serializers.Serializer):
    women = serializers.IntegerField(min_value=0, max_value=MAX_PARTICIPANTS)
    men = serializers.IntegerField(min_value=0, max_value=MAX_PARTICIPANTS)
    other_gender = serializers.IntegerField(min_value=0, max_value=MAX_PARTICIPANTS)
    outcome_notes = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    participants = ActivityParticipantWriteSerializer(
        many=True,
        required=False,
        help_text=_("Replaces the list of names when given; never more people of a gender than its count."),
    )

    def validate_participants(self, participants):
        return [dict(line) for line in participants]  # the service takes each name as a plain dict
