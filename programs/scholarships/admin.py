"""Admin for calls, applications, reviews, stipends, progress reports, reminders and exchange activities.

Every screen is read-only: records change only through the services, used from the scholarship pages.
Lists come from the selectors, so a user sees here what they see everywhere else. Applicants' personal data
(email, date of birth, files) follows the one privacy rule through ``PersonalDataAdminMixin``: left out for
anyone who may not see it (auditors, and whoever is recused from the application), in the change history too,
and never filtered, searched or sorted on where that would answer questions about it.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cooperation.admin import (
    PersonalDataAdminMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    ScopedHistoryAdmin,
    ordered,
)
from cooperation.roles import Perm
from programs.admin import money_display
from programs.scholarships import selectors
from programs.scholarships.models import (
    AlumniInvitation,
    AlumniOutcome,
    Application,
    Attachment,
    Call,
    CallStatus,
    Criterion,
    ExchangeActivity,
    Participant,
    ProgressReport,
    ReminderLog,
    Review,
    Score,
    StipendTranche,
)


def _visible_application_ids(request):
    return selectors.application_list(user=request.user).values("pk")


def _sees_personal_data(request) -> bool:
    return request.user.has_perm(Perm.SEE_PERSONAL_DATA)


class _Admin(PersonalDataAdminMixin, ReadOnlyAdminMixin):
    """Read-only, and guarded wherever a lookup could reach an applicant's personal data."""


# --- calls --------------------------------------------------------------------------------------------------------


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ("position", "name", "weight")
    show_change_link = False


@admin.register(Call)
class CallAdmin(_Admin, ScopedHistoryAdmin):
    list_display = ("title", "programme", "host", "level", "opens_on", "closes_on", "status_display", "awards")
    list_filter = ("level", "stipend_frequency", ("host", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "programme__code", "host__name", "host__acronym")
    date_hierarchy = "closes_on"
    inlines = (CriterionInline,)

    list_selector = selectors.call_list

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, call):
        return CallStatus(call.status).label

    @admin.display(description=_("awards made / available"))
    def awards(self, call):
        return f"{call.awards_made} / {call.awards_available}"


# --- applications -------------------------------------------------------------------------------------------------


@admin.register(Application)
class ApplicationAdmin(_Admin, ScopedHistoryAdmin):
    list_display = ("applicant_name", "call", "nationality", "gender", "field_of_study", "status", "submitted_on")
    list_filter = ("status", "gender", ("call", admin.RelatedOnlyFieldListFilter), "nationality")
    list_select_related = ("call", "nationality")
    date_hierarchy = "submitted_on"

    list_selector = selectors.application_list

    # Email: searched only by those who may see emails, and only on the applications whose data they may see.
    search_fields = ("applicant_name", "call__title", "field_of_study", "current_institution", "email")
    exclude = ("email_key",)

    def get_history_list_display(self, request):
        return ["status"]


@admin.register(Attachment)
class AttachmentAdmin(_Admin, admin.ModelAdmin):
    list_display = ("original_name", "application", "size", "uploaded_at")
    search_fields = ("original_name", "application__applicant_name")
    list_select_related = ("application__call",)
    exclude = ("file",)  # the file is streamed by the pages to those allowed, never linked from here

    def get_queryset(self, request):
        visible = selectors.application_list(user=request.user).values("pk")
        files = Attachment.objects.filter(application__in=visible).filter(selectors.attachment_condition(request.user))
        return ordered(self, request, files)


# --- reviews ------------------------------------------------------------------------------------------------------


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ("criterion", "score")
    show_change_link = False


@admin.register(Review)
class ReviewAdmin(_Admin, ScopedHistoryAdmin):
    list_display = ("application", "reviewer", "assigned_by", "completed_at", "conflict_declared_at")
    list_filter = (("reviewer", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("application__applicant_name", "reviewer__username", "application__call__title")
    list_select_related = ("application__call", "reviewer", "assigned_by")
    inlines = (ScoreInline,)

    def get_queryset(self, request):
        return ordered(self, request, Review.objects.filter(application__in=_visible_application_ids(request)))


@admin.register(Score)
class ScoreAdmin(_Admin, admin.ModelAdmin):
    list_display = ("review", "criterion", "score")
    search_fields = ("criterion__name", "review__application__applicant_name")
    list_select_related = ("review__application__call", "review__reviewer", "criterion")

    def get_queryset(self, request):
        scores = Score.objects.filter(review__application__in=_visible_application_ids(request))
        return ordered(self, request, scores)


@admin.register(Criterion)
class CriterionAdmin(_Admin, admin.ModelAdmin):
    list_display = ("name", "call", "weight", "position")
    search_fields = ("name", "call__title")
    list_select_related = ("call",)

    def get_queryset(self, request):
        calls = selectors.call_list(user=request.user).values("pk")
        return ordered(self, request, Criterion.objects.filter(call__in=calls))


# --- after the award ----------------------------------------------------------------------------------------------


@admin.register(StipendTranche)
class StipendTrancheAdmin(_Admin, ScopedHistoryAdmin):
    list_display = ("application", "number", "due_on", "amount_display", "status", "paid_on")
    list_filter = ("status", ("currency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("application__applicant_name", "payment_reference")
    date_hierarchy = "due_on"
    fields = (
        "application",
        "number",
        "due_on",
        "amount",
        "currency",
        "status",
        "approved_by",
        "approved_at",
        "paid_on",
        "payment_reference",
        "status_note",
    )

    list_selector = selectors.tranche_list

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, tranche):
        return money_display(tranche.amount, tranche.currency)


@admin.register(ProgressReport)
class ProgressReportAdmin(_Admin, ScopedHistoryAdmin):
    list_display = ("application", "term_label", "period_end", "result", "status", "reviewed_by")
    list_filter = ("status",)
    search_fields = ("application__applicant_name", "term_label", "result")
    date_hierarchy = "period_end"

    list_selector = selectors.progress_report_list


@admin.register(ReminderLog)
class ReminderLogAdmin(_Admin, admin.ModelAdmin):
    # Its emails, their state and errors, are in the outbox ("outgoing messages").
    list_display = ("kind", "application", "due_on", "created_at")
    list_filter = ("kind",)
    search_fields = ("application__applicant_name",)
    list_select_related = ("application__call",)

    def get_queryset(self, request):
        logs = ReminderLog.objects.filter(application__in=_visible_application_ids(request))
        return ordered(self, request, logs)

    fields = ["kind", "application", "tranche", "due_on", "created_at"]


@admin.register(AlumniOutcome)
class AlumniOutcomeAdmin(_Admin, ScopedHistoryAdmin):
    list_display = ("application", "milestone", "returned_home", "employment_status", "sector", "recorded_at")
    list_filter = ("milestone", "returned_home", "employment_status", "application__gender")
    search_fields = ("application__applicant_name", "employer")
    date_hierarchy = "recorded_at"
    fields = (
        "application",
        "milestone",
        "returned_home",
        "employment_status",
        "sector",
        "employer",
        "works_with_partners",
        "recorded_by",
        "recorded_at",
        "locked_by",
        "locked_at",
    )

    list_selector = selectors.outcome_list


@admin.register(AlumniInvitation)
class AlumniInvitationAdmin(_Admin, admin.ModelAdmin):
    # Only the link's digest is kept; its emails, their state and errors, are in the outbox.
    list_display = ("application", "milestone", "due_on", "expires_at", "used_at", "created_at")
    list_filter = ("milestone",)
    search_fields = ("application__applicant_name",)
    list_select_related = ("application__call",)
    fields = ["application", "milestone", "due_on", "expires_at", "used_at", "created_at"]

    def get_queryset(self, request):
        invitations = AlumniInvitation.objects.filter(application__in=_visible_application_ids(request))
        return ordered(self, request, invitations)


# --- exchange activities ------------------------------------------------------------------------------------------


class ParticipantInline(ReadOnlyInline):
    model = Participant
    fields = ("name", "gender", "organisation", "country")
    show_change_link = False


@admin.register(ExchangeActivity)
class ExchangeActivityAdmin(_Admin, ScopedHistoryAdmin):
    list_display = ("title", "kind", "programme", "host", "starts_on", "ends_on", "status", "participants_display")
    list_filter = ("kind", "status", ("country", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "city", "programme__code", "host__name")
    date_hierarchy = "starts_on"
    inlines = (ParticipantInline,)

    list_selector = selectors.activity_list

    @admin.display(description=_("participants"), ordering="participants_count")
    def participants_display(self, activity):
        return activity.participants_count


@admin.register(Participant)
class ParticipantAdmin(_Admin, admin.ModelAdmin):
    list_display = ("name", "activity", "gender", "organisation", "country")
    list_filter = ("gender",)
    search_fields = ("name", "organisation", "activity__title")
    list_select_related = ("activity", "country")

    def get_queryset(self, request):
        activities = selectors.activity_list(user=request.user).values("pk")
        return ordered(self, request, Participant.objects.filter(activity__in=activities))
