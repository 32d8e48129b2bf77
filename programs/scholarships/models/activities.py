"""Exchange activities (trainings, internships, research, culture) and their participants."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.dates import BoundedDateField
from cooperation.fields import ends_after, known_choice, part_of, protected_link, status_field, user_link
from cooperation.models import TimeStampedModel
from programs.scholarships.models.applications import Gender


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
    programme = protected_link("programs.Programme", _("programme"), related_name="exchange_activities")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    starts_on = BoundedDateField(_("starts on"))
    ends_on = BoundedDateField(_("ends on"))
    country = protected_link("reference.Country", _("country"))
    city = models.CharField(_("city"), max_length=120)
    host = protected_link("partners.Organisation", _("host partner"), related_name="hosted_activities")
    partners = models.ManyToManyField(
        "partners.Organisation", related_name="exchange_activities", blank=True, verbose_name=_("partners involved")
    )
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    other_gender = models.PositiveIntegerField(_("other / not stated"), default=0)
    outcome_notes = models.TextField(_("outcomes"), max_length=10000, blank=True)
    status = status_field(ExchangeStatus, ExchangeStatus.PLANNED)
    created_by = user_link(_("created by"))
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[partners])

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("exchange activity")
        verbose_name_plural = _("exchange activities")
        permissions = [("report_exchangeactivity", _("Can report participants and outcomes of an activity"))]
        constraints = [
            ends_after(
                "ends_on",
                "starts_on",
                name="activity_ends_after_start",
                message=_("The end cannot be before the start."),
            ),
            known_choice("kind", ActivityKind, name="activity_kind_known"),
            known_choice("status", ExchangeStatus, name="activity_status_known"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def participants_total(self) -> int:
        return self.women + self.men + self.other_gender


class Participant(models.Model):
    activity = part_of(ExchangeActivity, _("activity"), related_name="participants")
    name = models.CharField(_("name"), max_length=200)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = protected_link("reference.Country", _("country"), optional=True)

    class Meta:
        ordering = ["activity", "name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name
