"""What a client reads: money and weights are decimal strings, never floats. Applicants' email, date of birth and
attachments are always in the answer, and null unless the list's ``personal_data_visible`` flag (computed in SQL
by the selectors) admits the user."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.api.fields import AmountField, ChoiceLabelField, EnumChoiceField, related_with_label, who_and_when
from programs.scholarships.models import (
    SCORE_DIGITS,
    WEIGHT_DIGITS,
    ActivityKind,
    ApplicationSource,
    ApplicationStatus,
    CallStatus,
    EmploymentStatus,
    ExchangeStatus,
    Gender,
    Level,
    Milestone,
    ReportStatus,
    StipendFrequency,
    TrancheStatus,
)

CURRENCY_HELP = _("ISO 4217 code.")
COUNTRY_HELP = _("ISO 3166-1 alpha-2 code.")
PERSONAL_HELP = _("Null unless you may see the applicant's personal data (personal_data_visible).")


def _user_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _gender_field(**kwargs):
    return EnumChoiceField(Gender, enum_name="ScholarshipGenderEnum", **kwargs)


# --- Output -------------------------------------------------------------------------------------------------------


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    weight = serializers.DecimalField(**WEIGHT_DIGITS, read_only=True)
    position = serializers.IntegerField(read_only=True)


class StipendSerializer(serializers.Serializer):
    amount = AmountField(source="stipend_amount", currency="stipend_currency", help_text=_("Per period."))
    currency = serializers.CharField(source="stipend_currency_id", read_only=True, help_text=CURRENCY_HELP)
    frequency = EnumChoiceField(StipendFrequency, source="stipend_frequency", read_only=True)


class CallSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    programme, programme_code = related_with_label("programme", "code")
    host, host_name = related_with_label("host")
    fields_of_study = serializers.ListField(child=serializers.CharField(), read_only=True)
    eligible_countries = serializers.SerializerMethodField(help_text=_("Nationalities that may apply (ISO 3166-1)."))
    level = EnumChoiceField(Level, enum_name="ScholarshipLevelEnum", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    opens_on = serializers.DateField(read_only=True)
    closes_on = serializers.DateField(read_only=True)
    status = EnumChoiceField(
        CallStatus, read_only=True, help_text=_("Today's state, from the opening and closing dates.")
    )
    awards_available = serializers.IntegerField(read_only=True)
    awards_made = serializers.IntegerField(read_only=True, help_text=_("Awarded, accepted, enrolled or completed."))
    application_count = serializers.IntegerField(read_only=True)
    stipend = StipendSerializer(source="*", read_only=True)
    duration_months = serializers.IntegerField(read_only=True)
    responsible_officer = serializers.IntegerField(source="responsible_officer_id", read_only=True, allow_null=True)
    criteria = CriterionSerializer(many=True, read_only=True, help_text=_("The rubric reviewers score, 0–10 each."))
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_eligible_countries(self, call) -> list[str]:
        return [country.code for country in call.eligible_countries.all()]


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    size = serializers.IntegerField(read_only=True, help_text=_("Bytes."))
    uploaded_at = serializers.DateTimeField(read_only=True)
    url = serializers.SerializerMethodField(help_text=_("Where the PDF file is downloaded."))

    def get_url(self, attachment) -> str:
        path = reverse(
            "api:application-attachment",
            kwargs={"pk": attachment.application_id, "attachment_pk": attachment.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class EligibilityAnswerSerializer(serializers.Serializer):
    question = serializers.CharField(read_only=True)
    answer = serializers.BooleanField(read_only=True)


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    call, call_title = related_with_label("call", "title")
    host = serializers.IntegerField(source="call.host_id", read_only=True)
    applicant_name = serializers.CharField(read_only=True)
    nationality = serializers.CharField(source="nationality_id", read_only=True, help_text=COUNTRY_HELP)
    gender = _gender_field(read_only=True)
    current_institution = serializers.CharField(read_only=True)
    degree = serializers.CharField(read_only=True)
    field_of_study = serializers.CharField(read_only=True)
    motivation = serializers.CharField(read_only=True)
    status = EnumChoiceField(ApplicationStatus, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    status_note = serializers.CharField(
        read_only=True, help_text=_("Why it was found ineligible, withdrawn, terminated, or passed others over.")
    )
    submitted_on = serializers.DateField(read_only=True)
    source = EnumChoiceField(
        ApplicationSource,
        read_only=True,
        help_text=_("paper: recorded by an officer; online: sent by the applicant from the call's public page."),
    )
    submitted_by = serializers.IntegerField(
        source="submitted_by_id", read_only=True, allow_null=True, help_text=_("The officer who recorded it.")
    )
    eligibility_answers = EligibilityAnswerSerializer(
        many=True,
        read_only=True,
        help_text=_("The call's eligibility questions as asked, with the applicant's answers."),
    )
    award_pending = serializers.BooleanField(read_only=True, help_text=_("Proposed, awaiting a manager."))
    award_proposed_by, award_proposed_at = who_and_when("award_proposed")
    awarded_by, awarded_at = who_and_when("awarded")
    enrolled_on = serializers.DateField(read_only=True, allow_null=True)
    completed_on = serializers.DateField(read_only=True, allow_null=True)
    reviews_assigned = serializers.IntegerField(read_only=True)
    reviews_completed = serializers.IntegerField(read_only=True)
    personal_data_visible = serializers.BooleanField(
        read_only=True, help_text=_("Whether you may see the applicant's email, date of birth and attachments.")
    )
    email = serializers.SerializerMethodField(help_text=PERSONAL_HELP)
    date_of_birth = serializers.SerializerMethodField(help_text=PERSONAL_HELP)
    attachments = serializers.SerializerMethodField(help_text=PERSONAL_HELP)
    created_at = serializers.DateTimeField(read_only=True)

    def _visible(self, application) -> bool:
        return bool(getattr(application, "personal_data_visible", False))

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, application) -> str | None:
        return application.email if self._visible(application) else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_date_of_birth(self, application):
        return application.date_of_birth.isoformat() if self._visible(application) else None

    @extend_schema_field(AttachmentSerializer(many=True, allow_null=True))
    def get_attachments(self, application):
        if not self._visible(application):
            return None
        files = application.attachments.all()
        if not files:  # most applications: no serializer built for nothing
            return []
        return AttachmentSerializer(files, many=True, context=self.context).data


class ScoreSerializer(serializers.Serializer):
    criterion, criterion_name = related_with_label("criterion")
    weight = serializers.DecimalField(source="criterion.weight", **WEIGHT_DIGITS, read_only=True)
    score = serializers.DecimalField(**SCORE_DIGITS, read_only=True)


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    application, applicant_name = related_with_label("application", "applicant_name")
    call = serializers.IntegerField(source="application.call_id", read_only=True)
    call_title = serializers.CharField(source="application.call.title", read_only=True)
    reviewer = serializers.IntegerField(source="reviewer_id", read_only=True)
    reviewer_name = serializers.SerializerMethodField()
    assigned_by = serializers.IntegerField(source="assigned_by_id", read_only=True)
    state = serializers.ChoiceField(
        choices=[("pending", _("Pending")), ("recused", _("Recused")), ("completed", _("Scored"))], read_only=True
    )
    conflict_declared_at = serializers.DateTimeField(read_only=True, allow_null=True)
    conflict_note = serializers.CharField(read_only=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    comments = serializers.CharField(read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def get_reviewer_name(self, review) -> str:
        return _user_name(review.reviewer)


# A record of one scholar's scholarship: its id, then the scholar's application, name and call. (No docstring:
# the schema would take it as the description of every serializer built on it.)
class _ScholarRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    application, scholar_name = related_with_label("application", "applicant_name")
    call = serializers.IntegerField(source="application.call_id", read_only=True)


class StipendTrancheSerializer(_ScholarRecordSerializer):
    number = serializers.IntegerField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    amount = AmountField()
    currency = serializers.CharField(source="currency_id", read_only=True, help_text=CURRENCY_HELP)
    status = EnumChoiceField(TrancheStatus, enum_name="StipendTrancheStatusEnum", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    status_note = serializers.CharField(read_only=True, help_text=_("Why it was cancelled."))
    approved_by, approved_at = who_and_when("approved")
    paid_on = serializers.DateField(read_only=True, allow_null=True)
    payment_reference = serializers.CharField(read_only=True)


class ProgressReportSerializer(_ScholarRecordSerializer):
    term_label = serializers.CharField(read_only=True)
    period_end = serializers.DateField(read_only=True)
    result = serializers.CharField(read_only=True)
    remarks = serializers.CharField(read_only=True)
    status = EnumChoiceField(ReportStatus, enum_name="ProgressReportStatusEnum", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by = serializers.IntegerField(source="submitted_by_id", read_only=True)
    reviewed_by, reviewed_at = who_and_when("reviewed")
    return_reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class ParticipantSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    gender = _gender_field(read_only=True)
    organisation = serializers.CharField(read_only=True)
    country = serializers.CharField(source="country_id", read_only=True, allow_null=True, help_text=COUNTRY_HELP)


class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = EnumChoiceField(ActivityKind, read_only=True)
    kind_label = ChoiceLabelField("kind", read_only=True)
    description = serializers.CharField(read_only=True)
    programme, programme_code = related_with_label("programme", "code")
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)
    country = serializers.CharField(source="country_id", read_only=True, help_text=COUNTRY_HELP)
    city = serializers.CharField(read_only=True)
    host, host_name = related_with_label("host")
    partners = serializers.SerializerMethodField(help_text=_("Ids of the partners involved."))
    status = EnumChoiceField(ExchangeStatus, enum_name="ExchangeStatusEnum", read_only=True)
    women = serializers.IntegerField(read_only=True)
    men = serializers.IntegerField(read_only=True)
    other_gender = serializers.IntegerField(read_only=True, help_text=_("Other or not stated."))
    participants_count = serializers.IntegerField(read_only=True)
    listed_participants = serializers.IntegerField(read_only=True, help_text=_("Participants named in the list."))
    outcome_notes = serializers.CharField(read_only=True)
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_partners(self, activity) -> list[int]:
        return [partner.pk for partner in activity.partners.all()]


class ActivityDetailSerializer(ActivitySerializer):
    """An activity with its list of participants (read from ``context["participants"]``)."""

    participants = serializers.SerializerMethodField()

    @extend_schema_field(ParticipantSerializer(many=True))
    def get_participants(self, activity) -> list:
        return ParticipantSerializer(self.context.get("participants", []), many=True).data


class AlumniOutcomeSerializer(_ScholarRecordSerializer):
    milestone = serializers.ChoiceField(
        choices=Milestone.choices, read_only=True, help_text=_("Years after completion: 1, 3 or 5.")
    )
    milestone_label = serializers.CharField(source="get_milestone_display", read_only=True)
    nationality = serializers.CharField(source="application.nationality_id", read_only=True, help_text=COUNTRY_HELP)
    gender = _gender_field(source="application.gender", read_only=True)
    returned_home = serializers.BooleanField(read_only=True)
    employment_status = EnumChoiceField(EmploymentStatus, read_only=True)
    employment_status_label = serializers.CharField(source="get_employment_status_display", read_only=True)
    sector = serializers.CharField(
        source="sector_id", read_only=True, allow_null=True, help_text=_("OECD DAC 5-digit sector code.")
    )
    employer = serializers.CharField(read_only=True)
    works_with_partners = serializers.BooleanField(read_only=True)
    recorded_by = serializers.IntegerField(
        source="recorded_by_id", read_only=True, allow_null=True, help_text=_("Null when the alumnus recorded it.")
    )
    recorded_at = serializers.DateTimeField(read_only=True)
    locked_by, locked_at = who_and_when("locked")
