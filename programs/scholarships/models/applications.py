"""Applications, their files, and the reviews and scores that rank them."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation import personal_data
from cooperation.dates import BoundedDateField
from cooperation.fields import (
    happened_at,
    happened_on,
    known_choice,
    part_of,
    protected_link,
    reason_field,
    status_field,
    unique,
    user_link,
)
from cooperation.files import private_storage
from cooperation.models import TimeStampedModel
from programs.scholarships.models.calls import MAX_SCORE, MIN_SCORE, SCORE_DIGITS, Call, Criterion


def attachment_path(instance, filename: str) -> str:
    # The stored name tells nothing about the applicant; the name they gave is kept in ``original_name``.
    return f"scholarships/applications/{uuid.uuid4().hex}.pdf"


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other / prefer not to say")


class ApplicationSource(models.TextChoices):
    PAPER = "paper", _("Paper (recorded by an officer)")
    ONLINE = "online", _("Online (confirmed by the applicant)")


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

    call = protected_link(Call, _("call"), related_name="applications")
    applicant_name = models.CharField(_("applicant's name"), max_length=200)
    email = models.EmailField(_("email"))
    # The email as compared for duplicates: trimmed and lower-cased, unique per call in the database.
    email_key = models.CharField(max_length=254, editable=False)
    nationality = protected_link("reference.Country", _("nationality"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    date_of_birth = BoundedDateField(_("date of birth"), past=True)
    current_institution = models.CharField(_("current institution"), max_length=200)
    degree = models.CharField(_("current degree"), max_length=200)
    field_of_study = models.CharField(_("field of study"), max_length=200)
    motivation = models.TextField(_("motivation"), max_length=10000)
    status = status_field(ApplicationStatus, ApplicationStatus.SUBMITTED)
    status_note = reason_field()
    # Empty for an application the applicant made online: nobody recorded it.
    submitted_by = user_link(_("recorded by"), optional=True)
    submitted_on = models.DateField(_("submitted on"))
    source = models.CharField(_("received"), max_length=10, choices=ApplicationSource.choices, default="paper")
    # The call's eligibility questions as they were asked, with the applicant's yes or no: [{question, answer}].
    eligibility_answers = models.JSONField(_("eligibility answers"), default=list, blank=True)
    award_proposed_by = user_link(_("award proposed by"), optional=True)
    award_proposed_at = happened_at(_("award proposed"))
    award_proposal_note = reason_field(_("reason for the proposal"))
    awarded_by = user_link(_("award approved by"), optional=True)
    awarded_at = happened_at(_("awarded"))
    enrolled_on = happened_on(_("enrolled on"))
    enrolment_confirmed_by = user_link(_("enrolment confirmed by"), optional=True)
    completed_on = happened_on(_("completed on"))
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
        indexes = [
            models.Index(fields=["call", "status"], name="application_call_status"),
            # The lists' default order (latest submitted first, then the id), read backwards: a page without a sort.
            models.Index(fields=["submitted_on", "id"], name="application_submitted"),
            models.Index(fields=["status", "submitted_on"], name="application_status_submitted"),
        ]
        constraints = [
            unique(
                ("call", "email_key"),
                name="application_once_per_email_and_call",
                message=_("Someone with this email has already applied to this call."),
            ),
            known_choice("status", ApplicationStatus, name="application_status_known"),
            known_choice("source", ApplicationSource, name="application_source_known"),
            models.CheckConstraint(
                condition=Q(source=ApplicationSource.ONLINE) | Q(submitted_by__isnull=False),
                name="application_paper_has_recorder",
            ),
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

    application = part_of(Application, _("application"), related_name="attachments")
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # Empty for a file the applicant sent with an online application.
    uploaded_by = user_link(_("uploaded by"), optional=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Review(TimeStampedModel):
    """A reviewer assigned to an application: pending, recused (conflict of interest) or completed (scored)."""

    application = part_of(Application, _("application"), related_name="reviews")
    reviewer = user_link(_("reviewer"), related_name="scholarship_reviews")
    assigned_by = user_link(_("assigned by"))
    conflict_declared_at = happened_at(_("conflict of interest declared"))
    conflict_note = reason_field(_("conflict of interest"))
    completed_at = happened_at(_("scored"))
    comments = models.TextField(_("comments"), max_length=5000, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        permissions = [("review_application", _("Can review scholarship applications assigned to them"))]
        constraints = [
            unique(
                ("application", "reviewer"),
                name="review_once_per_reviewer",
                message=_("This reviewer is already assigned to this application."),
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
    review = part_of(Review, _("review"), related_name="scores")
    criterion = protected_link(Criterion, _("criterion"), related_name="scores")
    score = models.DecimalField(
        _("score"), **SCORE_DIGITS, validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)]
    )

    class Meta:
        ordering = ["review", "criterion__position", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            unique(("review", "criterion"), name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=10), name="score_between_0_and_10"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.score}"
