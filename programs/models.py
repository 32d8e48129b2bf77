from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.dates import BoundedDateField
from cooperation.fields import (
    currency_link,
    ends_after,
    happened_on,
    not_negative_amount,
    part_of,
    protected_link,
    unique,
    user_link,
)
from cooperation.models import TimeStampedModel
from cooperation.money import AmountField
from cooperation.reference.codes import ActivityStatus, OrganisationRole
from partners.models import area_field, dac_category_field

programme_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9./-]{1,39}$",
    _("Use 2 to 40 capital letters, digits, dots, slashes or hyphens, e.g. KSM-2026-001."),
)


class CooperationForm(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    TECHNICAL = "technical", _("Technical")
    CULTURAL = "cultural", _("Cultural")
    IN_KIND = "in_kind", _("In-kind")


class Objective(models.TextChoices):
    HUMANITARIAN_AID = "humanitarian_aid", _("Humanitarian aid")
    DEVELOPMENT = "development", _("Economic and social development")
    ANTI_DISCRIMINATION = "anti_discrimination", _("Protection against discrimination")
    PEACE = "peace", _("Peace")
    HUMAN_RIGHTS = "human_rights", _("Human rights")
    DEMOCRACY = "democracy", _("Democracy")
    FREE_EXPRESSION = "free_expression", _("Free expression")


# The programme's flag for each form: ``is_<form>``.
FORM_FIELDS = {form: f"is_{form.value}" for form in CooperationForm}


class Programme(TimeStampedModel):
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[programme_code_validator])
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    title_indonesian = models.CharField(_("title in Indonesian"), max_length=200, blank=True)
    description_indonesian = models.TextField(_("description in Indonesian"), max_length=10000, blank=True)
    publish_to_iati = models.BooleanField(
        _("publish to IATI"),
        default=False,
        help_text=_("Include this programme in the organisation's IATI activities file."),
    )
    # One flag per cooperation form: filters and dashboards stay plain SQL, and the
    # database itself refuses a programme with no form at all.
    is_financial = models.BooleanField(_("financial"), default=False)
    is_technical = models.BooleanField(_("technical"), default=False)
    is_cultural = models.BooleanField(_("cultural"), default=False)
    is_in_kind = models.BooleanField(_("in-kind"), default=False)
    status = models.PositiveSmallIntegerField(
        _("status"), choices=ActivityStatus.choices, default=ActivityStatus.PIPELINE
    )
    planned_start = BoundedDateField(_("planned start"), null=True, blank=True)
    planned_end = BoundedDateField(_("planned end"), null=True, blank=True)
    # What already happened: never after today.
    actual_start = happened_on(_("actual start"))
    actual_end = happened_on(_("actual end"))
    recipient_countries = models.ManyToManyField(
        "reference.Country", related_name="programmes", blank=True, verbose_name=_("recipient countries")
    )
    sectors = models.ManyToManyField(
        "reference.Sector", related_name="programmes", blank=True, verbose_name=_("DAC sectors")
    )
    # Each recipient country's and each DAC sector's share of the programme in percent, by code
    # ({"23231": "60", "23181": "40"}); IATI needs them when there is more than one, adding up to 100.
    country_percentages = models.JSONField(_("recipient country percentages"), default=dict, blank=True)
    sector_percentages = models.JSONField(_("sector percentages"), default=dict, blank=True)
    budget_amount = AmountField(_("budget"), default=0, validators=[MinValueValidator(0)])
    budget_currency = currency_link(_("budget currency"))
    responsible_officer = user_link(_("responsible officer"), optional=True, related_name="responsible_programmes")
    created_by = user_link(_("created by"), optional=True)
    partners = models.ManyToManyField(
        "partners.Organisation", through="Participation", related_name="programmes", verbose_name=_("partners")
    )
    dac_category = dac_category_field(
        _("Leave empty to use the borrower's category; set it when this programme's recipient differs.")
    )
    area = area_field(_("Leave empty to use the partner's area; set it when this programme works elsewhere."))
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[recipient_countries, sectors])

    class Meta:
        ordering = ["-created_at", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        permissions = [("view_all_programmes", _("Can see every programme, not only their organisation's"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_financial=True) | Q(is_technical=True) | Q(is_cultural=True) | Q(is_in_kind=True),
                name="programme_has_a_form",
                violation_error_message=_("Choose at least one form of cooperation."),
            ),
            *not_negative_amount("budget_amount", prefix="programme_budget"),
            ends_after(
                "planned_end",
                "planned_start",
                name="programme_planned_end_after_start",
                message=_("The planned end cannot be before the planned start."),
                optional=True,
            ),
            ends_after(
                "actual_end",
                "actual_start",
                name="programme_actual_end_after_start",
                message=_("The actual end cannot be before the actual start."),
                optional=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def forms(self) -> list[str]:
        return [form for form, field in FORM_FIELDS.items() if getattr(self, field)]

    def get_forms_display(self) -> list[str]:
        return [CooperationForm(form).label for form in self.forms]

    def has_form(self, form: CooperationForm) -> bool:
        return getattr(self, FORM_FIELDS[form])


class ProgrammeObjective(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="objectives")
    objective = models.CharField(_("objective"), max_length=30, choices=Objective.choices)

    class Meta:
        ordering = ["objective"]
        verbose_name = _("programme objective")
        verbose_name_plural = _("programme objectives")
        constraints = [unique(("programme", "objective"), name="programme_objective_unique")]

    def __str__(self) -> str:
        return self.get_objective_display()


class Participation(TimeStampedModel):
    """A partner organisation taking part in a programme, in one IATI organisation role."""

    programme = part_of(Programme, _("programme"), related_name="participations")
    organisation = protected_link("partners.Organisation", _("partner"), related_name="participations")
    role = models.PositiveSmallIntegerField(_("role"), choices=OrganisationRole.choices)
    committed_amount = AmountField(_("committed amount"), null=True, blank=True, validators=[MinValueValidator(0)])
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            unique(
                ("programme", "organisation"),
                name="participation_one_role_per_partner",
                message=_("This partner already takes part in the programme."),
            ),
            *not_negative_amount("committed_amount", prefix="participation_committed", nullable=True),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}"


class ProgrammeUpdate(models.Model):
    """A dated progress note on a programme, by an officer or a partner's user."""

    programme = part_of(Programme, _("programme"), related_name="updates")
    author = user_link(_("author"), related_name="programme_updates")
    organisation = protected_link(
        "partners.Organisation", _("on behalf of"), optional=True, related_name="programme_updates"
    )
    reported_on = BoundedDateField(_("date"), past=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("progress note"), max_length=5000)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    digested_at = models.DateTimeField(_("sent in a digest"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-reported_on", "-created_at"]
        verbose_name = _("programme update")
        verbose_name_plural = _("programme updates")
        indexes = [models.Index(fields=["-created_at"], name="programmeupdate_recent")]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.title}"
