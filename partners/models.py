from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.fields import happened_at, part_of, protected_link, unique, user_link
from cooperation.models import TimeStampedModel
from cooperation.reference.codes import OrganisationType

iati_identifier_validator = RegexValidator(
    r"^[A-Z]{2}(-[A-Za-z0-9]+)+$",
    _("Use an IATI organisation identifier such as XM-DAC-41114 or GB-COH-123456."),
)


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    INDONESIAN = "id", _("Bahasa Indonesia")


class DacCategory(models.TextChoices):
    """A recipient's category under the OECD DAC rules for concessional loans (in force since 2018)."""

    LEAST_DEVELOPED = "ldc", _("Least developed or other low-income country")
    LOWER_MIDDLE = "lmic", _("Lower-middle-income country")
    UPPER_MIDDLE = "umic", _("Upper-middle-income country")
    MULTILATERAL_BANK = "mdb", _("Global multilateral institution or multilateral development bank")
    MULTILATERAL_OTHER = "multilateral", _("Other multilateral organisation")


def area_field(help_text):
    """An administrative area within a country (a province, a district): short free text, matched without case."""
    return models.CharField(_("administrative area"), max_length=100, blank=True, help_text=help_text)


def dac_category_field(help_text):
    return models.CharField(
        _("DAC recipient category"), max_length=12, choices=DacCategory.choices, blank=True, help_text=help_text
    )


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=2, choices=OrganisationType.choices)
    country = protected_link("reference.Country", _("country"), related_name="organisations")
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[iati_identifier_validator],
    )
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), max_length=1000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    dac_category = dac_category_field(_("Decides whether its loans are concessional under the OECD DAC rules."))
    area = area_field(_("The province or district it works in, e.g. Central Sulawesi."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        constraints = [
            unique(
                ("iati_identifier",),
                condition=~models.Q(iati_identifier=""),
                name="organisation_iati_identifier_unique",
                message=_("Another partner already has this IATI identifier."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Contact(TimeStampedModel):
    organisation = part_of(Organisation, _("organisation"), related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    receives_reminders = models.BooleanField(_("receives reminders"), default=False)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            unique(
                ("organisation", "email"),
                name="contact_email_unique_per_organisation",
                message=_("This organisation already has a contact with this email."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Membership(TimeStampedModel):
    """Links a user account to the partner organisation they work for."""

    user = user_link(_("user"), related_name="memberships", on_delete=models.CASCADE)
    organisation = part_of(Organisation, _("organisation"), related_name="memberships")
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            unique(
                ("user", "organisation"),
                name="membership_unique",
                message=_("This user is already a member of this organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class Notification(models.Model):
    """A message for a partner organisation, shown in its portal (reminders, alerts)."""

    organisation = part_of(Organisation, _("organisation"), related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), max_length=5000, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = happened_at(_("read"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["organisation", "-created_at"], name="notification_recent")]

    def __str__(self) -> str:
        return self.title
