"""Scholarships from call to completion, and exchange activities (trainings, internships, research, culture).

A call's status (upcoming, open, closed) is derived from its dates, never stored. An application's
status moves only through the services (the allowed moves are declared in ``services.applications``);
ranking numbers, report due dates and stipend totals are derived, not stored.
"""

import os
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation import personal_data
from cooperation.dates import BoundedDateField
from cooperation.models import TimeStampedModel
from cooperation.money import AmountField, amount_fits

SCORE_DIGITS = {"max_digits": 3, "decimal_places": 1}
WEIGHT_DIGITS = {"max_digits": 5, "decimal_places": 2}
MIN_SCORE, MAX_SCORE = Decimal(0), Decimal(10)


class PrivateStorage(FileSystemStorage):
    """Applicants' files live in PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT and static: no URL serves them; a view
    streams them to those allowed to see them. The folder is read from the settings at each use."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Applicants' files have no public URL.")


def private_storage() -> FileSystemStorage:
    return PrivateStorage()


def attachment_path(instance, filename: str) -> str:
    # The stored name tells nothing about the applicant; the name they gave is kept in ``original_name``.
    return f"scholarships/applications/{uuid.uuid4().hex}.pdf"


class Level(models.TextChoices):
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTORAL = "doctoral", _("Doctoral")
    SHORT_COURSE = "short_course", _("Short course")


class StipendFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMI_ANNUAL = "semi_annual", _("Semi-annual")
    ANNUAL = "annual", _("Annual")
    ONCE = "once", _("Once")


# Months between two stipend payments; a stipend paid once has no period.
MONTHS_PER_PERIOD = {
    StipendFrequency.MONTHLY: 1,
    StipendFrequency.QUARTERLY: 3,
    StipendFrequency.SEMI_ANNUAL: 6,
    StipendFrequency.ANNUAL: 12,
    StipendFrequency.ONCE: None,
}


class CallStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Call(TimeStampedModel):
    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.PROTECT, related_name="scholarship_calls", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    host = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="hosted_calls",
        verbose_name=_("host institution"),
    )
    fields_of_study = models.JSONField(_("fields of study"), default=list, blank=True)
    eligible_countries = models.ManyToManyField(
        "reference.Country", related_name="+", verbose_name=_("eligible nationalities")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    opens_on = BoundedDateField(_("opens on"))
    closes_on = BoundedDateField(_("closes on"))
    awards_available = models.PositiveSmallIntegerField(
        _("number of awards"), validators=[MinValueValidator(1)], default=1
    )
    stipend_amount = AmountField(_("stipend per period"), validators=[MinValueValidator(Decimal("0.01"))])
    stipend_currency = models.ForeignKey(
        "reference.Currency", on_delete=models.PROTECT, related_name="+", verbose_name=_("stipend currency")
    )
    stipend_frequency = models.CharField(_("stipend frequency"), max_length=20, choices=StipendFrequency.choices)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scholarship_calls",
        verbose_name=_("responsible officer"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[eligible_countries])

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("scholarship call")
        verbose_name_plural = _("scholarship calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="call_closes_after_opening",
                violation_error_message=_("The closing date cannot be before the opening date."),
            ),
            models.CheckConstraint(condition=Q(awards_available__gte=1), name="call_at_least_one_award"),
            models.CheckConstraint(condition=Q(stipend_amount__gt=0), name="call_stipend_positive"),
            amount_fits("stipend_amount", name="call_stipend_fits"),
            models.CheckConstraint(condition=Q(duration_months__gte=1), name="call_duration_positive"),
            models.CheckConstraint(
                condition=Q(stipend_frequency__in=StipendFrequency.values), name="call_frequency_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def status_on(self, day) -> CallStatus:
        if day < self.opens_on:
            return CallStatus.UPCOMING
        if day > self.closes_on:
            return CallStatus.CLOSED
        return CallStatus.OPEN


class Criterion(models.Model):
    """One line of a call's rubric; reviewers score it 0–10 and the weights make the weighted average."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.DecimalField(_("weight"), **WEIGHT_DIGITS, validators=[MinValueValidator(Decimal("0.01"))])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["call", "position", "pk"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "name"],
                name="criterion_name_unique_per_call",
                violation_error_message=_("This call already has a criterion with this name."),
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other / prefer not to say")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    AWARDED = "awarded", _("Awarded")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TERMINATED = "terminated", _("Terminated")


A = ApplicationStatus
FINAL_STATUSES = frozenset({A.INELIGIBLE, A.DECLINED, A.COMPLETED, A.WITHDRAWN, A.TERMINATED})
# An award holds one of the call's places while the scholar is in one of these statuses.
HOLDS_AN_AWARD = frozenset({A.AWARDED, A.ACCEPTED, A.ENROLLED, A.COMPLETED})
UNDER_REVIEW = frozenset({A.SUBMITTED, A.ELIGIBLE, A.SHORTLISTED})


class Application(TimeStampedModel):
    # Shown, filtered, searched and sorted on only where the privacy rule admits the user
    # (``selectors.personal_data_condition``, registered with ``cooperation.personal_data``).
    PERSONAL_FIELDS = ("email", "email_key", "date_of_birth")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    applicant_name = models.CharField(_("applicant's name"), max_length=200)
    email = models.EmailField(_("email"))
    # The email as compared for duplicates: trimmed and lower-cased, unique per call in the database.
    email_key = models.CharField(max_length=254, editable=False)
    nationality = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("nationality")
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    date_of_birth = BoundedDateField(_("date of birth"), past=True)
    current_institution = models.CharField(_("current institution"), max_length=200)
    degree = models.CharField(_("current degree"), max_length=200)
    field_of_study = models.CharField(_("field of study"), max_length=200)
    motivation = models.TextField(_("motivation"), max_length=10000)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    status_note = models.TextField(_("reason"), max_length=2000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    submitted_on = models.DateField(_("submitted on"))
    award_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("award proposed by"),
    )
    award_proposed_at = models.DateTimeField(_("award proposed"), null=True, blank=True)
    award_proposal_note = models.TextField(_("reason for the proposal"), max_length=2000, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("award approved by"),
    )
    awarded_at = models.DateTimeField(_("awarded"), null=True, blank=True)
    enrolled_on = BoundedDateField(_("enrolled on"), null=True, blank=True, past=True)
    enrolment_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enrolment confirmed by"),
    )
    completed_on = BoundedDateField(_("completed on"), null=True, blank=True, past=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "email_key"])

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("scholarship application")
        verbose_name_plural = _("scholarship applications")
        permissions = [
            ("see_personal_data", _("Can see applicants' email, date of birth and attachments")),
            ("approve_award", _("Can approve scholarship awards")),
            ("confirm_enrolment", _("Can confirm a scholar's enrolment")),
            ("record_award_response", _("Can record a scholar accepting or declining an award")),
        ]
        indexes = [models.Index(fields=["call", "status"], name="application_call_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "email_key"],
                name="application_once_per_email_and_call",
                violation_error_message=_("Someone with this email has already applied to this call."),
            ),
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values), name="application_status_known"),
            models.CheckConstraint(
                condition=Q(awarded_at__isnull=True) | Q(award_proposed_by__isnull=False),
                name="application_award_was_proposed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_name} — {self.call}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def award_pending(self) -> bool:
        return self.status == ApplicationStatus.SHORTLISTED and self.award_proposed_by_id is not None


class Attachment(models.Model):
    # The whole file is the applicant's: it follows the application's privacy rule.
    PERSONAL_FIELDS = personal_data.ALL

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("application")
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Review(TimeStampedModel):
    """A reviewer assigned to an application: pending, recused (conflict of interest) or completed (scored)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scholarship_reviews",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    conflict_declared_at = models.DateTimeField(_("conflict of interest declared"), null=True, blank=True)
    conflict_note = models.TextField(_("conflict of interest"), max_length=2000, blank=True)
    completed_at = models.DateTimeField(_("scored"), null=True, blank=True)
    comments = models.TextField(_("comments"), max_length=5000, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        permissions = [("review_application", _("Can review scholarship applications assigned to them"))]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                name="review_once_per_reviewer",
                violation_error_message=_("This reviewer is already assigned to this application."),
            ),
            models.CheckConstraint(
                condition=Q(conflict_declared_at__isnull=True) | Q(completed_at__isnull=True),
                name="review_recused_or_scored",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.application}"

    @property
    def is_recused(self) -> bool:
        return self.conflict_declared_at is not None

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review"))
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    score = models.DecimalField(
        _("score"), **SCORE_DIGITS, validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)]
    )

    class Meta:
        ordering = ["review", "criterion__position", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=10), name="score_between_0_and_10"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.score}"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class ProgressReport(TimeStampedModel):
    """The host institution's report on a scholar's term; officers accept it or return it with a reason."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=_("scholar")
    )
    term_label = models.CharField(_("term"), max_length=100)
    period_end = BoundedDateField(_("end of the period"), past=True)
    result = models.CharField(_("result"), max_length=200, help_text=_("e.g. pass, fail, GPA 3.4"))
    remarks = models.TextField(_("remarks"), max_length=5000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), max_length=2000, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["application", "period_end", "pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="progressreport_status_known"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.RETURNED) | ~Q(return_reason=""),
                name="progressreport_returned_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.applicant_name} — {self.term_label}"


class TrancheStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class StipendTranche(TimeStampedModel):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("scholar")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    amount = AmountField(_("amount"))
    currency = models.ForeignKey(
        "reference.Currency", on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TrancheStatus.choices, default=TrancheStatus.SCHEDULED
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    paid_on = BoundedDateField(_("paid on"), null=True, blank=True, past=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    status_note = models.TextField(_("reason"), max_length=2000, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("stipend tranche")
        verbose_name_plural = _("stipend tranches")
        permissions = [("approve_stipendtranche", _("Can approve stipend tranches for payment"))]
        indexes = [models.Index(fields=["status", "due_on"], name="stipend_status_due")]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="stipend_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="stipend_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=TrancheStatus.values), name="stipend_status_known"),
            models.CheckConstraint(
                condition=~Q(status=TrancheStatus.PAID) | Q(paid_on__isnull=False), name="stipend_paid_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.applicant_name} #{self.number}"


class ReminderKind(models.TextChoices):
    PROGRESS_REPORT_DUE = "progress_report", _("Progress report due")
    STIPEND_DUE = "stipend", _("Stipend tranche due")


class ReminderLog(models.Model):
    """One reminder per (kind, scholar, due date): the unique key lets only one run claim it.

    Its emails are outbox rows about this log (their state is there, not here).
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("scholar")
    )
    due_on = models.DateField(_("due on"))
    tranche = models.ForeignKey(
        StipendTranche,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("tranche"),
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("scholarship reminder")
        verbose_name_plural = _("scholarship reminders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "application", "due_on"], name="scholarship_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"


# --- exchange activities ------------------------------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training")
    INTERNSHIP = "internship", _("Internship")
    JOINT_RESEARCH = "joint_research", _("Joint research")
    CULTURAL_EXCHANGE = "cultural_exchange", _("Cultural exchange")
    CULTURAL_EVENT = "cultural_event", _("Cultural event")


class ExchangeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ExchangeActivity(TimeStampedModel):
    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.PROTECT, related_name="exchange_activities", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    starts_on = BoundedDateField(_("starts on"))
    ends_on = BoundedDateField(_("ends on"))
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    city = models.CharField(_("city"), max_length=120)
    host = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="hosted_activities",
        verbose_name=_("host partner"),
    )
    partners = models.ManyToManyField(
        "partners.Organisation", related_name="exchange_activities", blank=True, verbose_name=_("partners involved")
    )
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    other_gender = models.PositiveIntegerField(_("other / not stated"), default=0)
    outcome_notes = models.TextField(_("outcomes"), max_length=10000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ExchangeStatus.choices, default=ExchangeStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[partners])

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("exchange activity")
        verbose_name_plural = _("exchange activities")
        permissions = [("report_exchangeactivity", _("Can report participants and outcomes of an activity"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="activity_kind_known"),
            models.CheckConstraint(condition=Q(status__in=ExchangeStatus.values), name="activity_status_known"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def participants_total(self) -> int:
        return self.women + self.men + self.other_gender


class Participant(models.Model):
    activity = models.ForeignKey(
        ExchangeActivity, on_delete=models.CASCADE, related_name="participants", verbose_name=_("activity")
    )
    name = models.CharField(_("name"), max_length=200)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )

    class Meta:
        ordering = ["activity", "name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name
