"""What became of scholars after they completed: an outcome one, three and five years on, and the invitation
(a reminder with a private link) that asks the alumnus for it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.fields import happened_at, known_choice, part_of, protected_link, unique, user_link
from cooperation.models import SentLog, TimeStampedModel
from programs.scholarships.models.applications import Application


class Milestone(models.IntegerChoices):
    ONE_YEAR = 1, _("One year after completion")
    THREE_YEARS = 3, _("Three years after completion")
    FIVE_YEARS = 5, _("Five years after completion")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    FURTHER_STUDY = "further_study", _("In further study")
    SEEKING_WORK = "seeking_work", _("Seeking work")
    OTHER = "other", _("Other")


# Counted as "in work" by the employment rate.
IN_WORK = frozenset({EmploymentStatus.EMPLOYED, EmploymentStatus.SELF_EMPLOYED})


class AlumniOutcome(TimeStampedModel):
    """One alumnus's situation at one milestone, recorded by the alumnus through their private link or by the
    host partner's staff in the portal. It stays editable by the host until a manager locks it or the editing
    window (``ALUMNI_OUTCOME_EDIT_DAYS`` after it was recorded) ends."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="alumni_outcomes", verbose_name=_("scholar")
    )
    milestone = models.PositiveSmallIntegerField(_("milestone"), choices=Milestone.choices)
    returned_home = models.BooleanField(_("returned to their country of origin"))
    employment_status = models.CharField(_("employment status"), max_length=20, choices=EmploymentStatus.choices)
    sector = protected_link("reference.Sector", _("sector"), optional=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    works_with_partners = models.BooleanField(_("works with the programme's partners"))
    # Empty when the alumnus recorded it themselves through their private link.
    recorded_by = user_link(_("recorded by"), optional=True)
    recorded_at = models.DateTimeField(_("recorded"))
    locked_by = user_link(_("locked by"), optional=True)
    locked_at = happened_at(_("locked"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["application", "milestone"]
        verbose_name = _("alumni outcome")
        verbose_name_plural = _("alumni outcomes")
        permissions = [("lock_alumnioutcome", _("Can lock an alumni outcome against further changes"))]
        indexes = [models.Index(fields=["milestone", "application"], name="alumni_outcome_milestone")]
        constraints = [
            unique(
                ("application", "milestone"),
                name="alumni_outcome_once_per_milestone",
                message=_("An outcome is already recorded for this scholar at this milestone."),
            ),
            models.CheckConstraint(condition=Q(milestone__in=Milestone.values), name="alumni_outcome_milestone_known"),
            known_choice("employment_status", EmploymentStatus, name="alumni_outcome_employment_known"),
            models.CheckConstraint(
                condition=Q(locked_at__isnull=True) | Q(locked_by__isnull=False), name="alumni_outcome_locked_by_whom"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.applicant_name} — {self.get_milestone_display()}"

    @property
    def by_alumnus(self) -> bool:
        return self.recorded_by_id is None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class AlumniInvitation(SentLog):
    """The milestone's reminder, claimed once per scholar and milestone, and the private link it carries.

    Only the SHA-256 of the link's key is kept (as for API keys); the key itself is in the email only. The link
    records the outcome once: it ends when used, or at ``expires_at``."""

    application = part_of(Application, _("scholar"), related_name="alumni_invitations")
    milestone = models.PositiveSmallIntegerField(_("milestone"), choices=Milestone.choices)
    due_on = models.DateField(_("due on"))
    key_digest = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("link expires"))
    used_at = happened_at(_("link used"))
    # The run that claimed it: which rows of a set-based insert are this run's (cooperation.reminders).
    run = models.UUIDField(null=True, blank=True, editable=False)

    class Meta(SentLog.Meta):
        verbose_name = _("alumni invitation")
        verbose_name_plural = _("alumni invitations")
        constraints = [unique(("application", "milestone"), name="alumni_invitation_once_per_milestone")]

    def __str__(self) -> str:
        return f"{self.application.applicant_name} — {self.get_milestone_display()}"
