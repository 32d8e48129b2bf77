"""Every write to programmes, their participants and progress updates."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cooperation import registry
from cooperation.access import require_perm, sees_everything
from cooperation.models import assign_fields
from cooperation.money import check_amount
from cooperation.roles import Perm
from programs import emails
from programs.models import FORM_FIELDS, Participation, Programme, ProgrammeObjective, ProgrammeUpdate
from programs.selectors import participating_organisation_ids

PROGRAMME_FIELDS = (
    "code",
    "title",
    "description",
    "title_indonesian",
    "description_indonesian",
    "status",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "budget_amount",
    "budget_currency",
    "responsible_officer",
    "publish_to_iati",
    "country_percentages",
    "sector_percentages",
    "dac_category",
    "area",
)


def participation_problem(programme, organisation) -> str | None:
    """Why ``organisation`` cannot be a party to a record under ``programme`` (a loan's borrower, a shipment's
    consignee, a call's host): it does not take part in the programme. None when either is not chosen yet."""
    if programme is None or organisation is None:
        return None
    if Participation.objects.filter(programme=programme, organisation=organisation).exists():
        return None
    return _("%(partner)s does not take part in this programme.") % {"partner": organisation}


def party_problem(programme, organisation) -> str | None:
    """Why ``organisation`` cannot be made a party to a new record under ``programme`` (a shipment's consignee, a
    call's host): it is no longer active, or it does not take part in the programme."""
    if organisation is not None and not organisation.is_active:
        return _("This partner is no longer active.")
    return participation_problem(programme, organisation)


@dataclass(frozen=True)
class ParticipantInput:
    organisation: object
    role: int
    committed_amount: Decimal | None = None


def _apply_fields(programme: Programme, data: dict) -> list[str]:
    changed = assign_fields(programme, PROGRAMME_FIELDS, data)
    if "forms" in data:
        chosen = set(data["forms"])
        for form, field in FORM_FIELDS.items():
            if getattr(programme, field) != (form in chosen):
                setattr(programme, field, form in chosen)
                changed.append(field)
    return changed


def _validate_programme(programme: Programme) -> None:
    programme.full_clean(exclude=["created_by"])
    check_amount(programme.budget_amount, programme.budget_currency, "budget_amount")


# Each share field, the relation whose codes it gives shares of, and how its error names an entry.
SHARES = {
    "country_percentages": (
        "recipient_countries",
        _lazy("The percentage of country %(code)s must be a number from 0 to 100."),
    ),
    "sector_percentages": ("sectors", _lazy("The percentage of sector %(code)s must be a number from 0 to 100.")),
}


def _check_shares(programme: Programme, data: dict) -> list[str]:
    """Keep the shares of the programme's own countries and sectors only, each a number from 0 to 100 (as text,
    exactly); whether they add up to 100 is asked when the programme is published to IATI. Returns the share
    fields that lost an entry."""
    dropped = []
    for field, (relation, message) in SHARES.items():
        shares = getattr(programme, field) or {}
        if not isinstance(shares, dict):
            raise ValidationError({field: _("Give each code and its percentage.")})
        if relation in data:
            codes = {record.pk for record in data[relation]}
        elif programme.pk:
            codes = set(getattr(programme, relation).values_list("pk", flat=True))
        else:
            codes = set()
        kept = {}
        for code, value in shares.items():
            try:
                percentage = Decimal(str(value))
            except ArithmeticError:
                percentage = None
            if percentage is None or not percentage.is_finite() or not 0 <= percentage <= 100:
                raise ValidationError({field: str(message) % {"code": code}})
            if code in codes:
                kept[code] = percentage_text(percentage)
        if kept != shares:
            setattr(programme, field, kept)
            dropped.append(field)
    return dropped


def percentage_text(percentage: Decimal) -> str:
    """A percentage as typed, without trailing zeros: "60", "33.5"."""
    text = format(percentage, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _set_relations(programme: Programme, data: dict) -> None:
    if "recipient_countries" in data:
        programme.recipient_countries.set(data["recipient_countries"])
    if "sectors" in data:
        programme.sectors.set(data["sectors"])
    if "objectives" in data:
        wanted = set(data["objectives"])
        programme.objectives.exclude(objective__in=wanted).delete()
        existing = set(programme.objectives.values_list("objective", flat=True))
        ProgrammeObjective.objects.bulk_create(
            [ProgrammeObjective(programme=programme, objective=o) for o in sorted(wanted - existing)]
        )


def _save_participants(programme: Programme, participants: Iterable[ParticipantInput], acting_user) -> None:
    """Make the programme's participants exactly ``participants`` (one row per organisation)."""
    rows = list(participants)
    seen: set[int] = set()
    for row in rows:
        if row.organisation.pk in seen:
            message = _("%(partner)s is listed twice; give each partner one role.") % {"partner": row.organisation}
            raise ValidationError({"participants": message})
        seen.add(row.organisation.pk)
        check_amount(row.committed_amount, programme.budget_currency, "participants")
    current = {p.organisation_id: p for p in programme.participations.all()}
    for participation in current.values():
        if participation.organisation_id not in seen:
            participation._history_user = acting_user
            participation.delete()
    for row in rows:
        participation = current.get(row.organisation.pk)
        if participation is None:
            participation = Participation(programme=programme, organisation=row.organisation)
        elif participation.role == row.role and participation.committed_amount == row.committed_amount:
            continue
        participation.role = row.role
        participation.committed_amount = row.committed_amount
        participation._history_user = acting_user
        participation.full_clean(exclude=["programme"])
        participation.save()


@transaction.atomic
def programme_create(*, created_by, participants: Iterable[ParticipantInput] = (), **data) -> Programme:
    require_perm(created_by, Perm.ADD_PROGRAMME)
    programme = Programme(created_by=created_by)
    _apply_fields(programme, data)
    _validate_programme(programme)
    programme._history_user = created_by
    _check_shares(programme, data)
    programme.save()
    _set_relations(programme, data)
    _save_participants(programme, participants, created_by)
    return programme


# The dates modules plan from (a results framework's reporting periods): a change is announced.
DATE_FIELDS = {"planned_start", "planned_end", "actual_start", "actual_end"}


@transaction.atomic
def programme_update(
    *, programme: Programme, updated_by, participants: Iterable[ParticipantInput] | None = None, **data
) -> Programme:
    require_perm(updated_by, Perm.CHANGE_PROGRAMME)
    changed = _apply_fields(programme, data)
    _validate_programme(programme)
    if any(field in changed or relation in data for field, (relation, _message) in SHARES.items()):
        changed += [field for field in _check_shares(programme, data) if field not in changed]
    programme._history_user = updated_by
    if changed:
        programme.save(update_fields=[*changed, "updated_at"])
    _set_relations(programme, data)
    if participants is not None:
        _save_participants(programme, participants, updated_by)
    if set(changed) & DATE_FIELDS:
        registry.announce("programme.dates_changed", programme=programme, changed_by=updated_by)
    if "dac_category" in changed:
        registry.announce("programme.dac_category_changed", programme=programme, changed_by=updated_by)
    return programme


@transaction.atomic
def programme_update_post(*, programme: Programme, author, reported_on, title: str, body: str) -> ProgrammeUpdate:
    """Post a dated progress note; a partner user posts on behalf of their participating organisation."""
    require_perm(author, Perm.ADD_PROGRAMME_UPDATE)
    organisation_id = None
    if not sees_everything(author):
        organisation_ids = participating_organisation_ids(user=author, programme=programme)
        if not organisation_ids:
            raise PermissionDenied(_("Your organisation does not take part in this programme."))
        organisation_id = organisation_ids[0]
    update = ProgrammeUpdate(
        programme=programme,
        author=author,
        organisation_id=organisation_id,
        reported_on=reported_on,
        title=title,
        body=body,
    )
    update.full_clean()
    update.save()
    if organisation_id is not None:
        emails.write_update_posted(update)
    return update


PARTICIPATION_FIELDS = ("role", "committed_amount")


@transaction.atomic
def participation_create(*, programme: Programme, organisation, created_by, **data) -> Participation:
    """Add one partner to a programme, in one IATI role."""
    require_perm(created_by, Perm.ADD_PARTICIPATION)
    participation = Participation(programme=programme, organisation=organisation)
    assign_fields(participation, PARTICIPATION_FIELDS, data)
    check_amount(participation.committed_amount, programme.budget_currency, "committed_amount")
    participation._history_user = created_by
    participation.full_clean()
    participation.save()
    return participation


@transaction.atomic
def participation_update(*, participation: Participation, updated_by, **data) -> Participation:
    require_perm(updated_by, Perm.CHANGE_PARTICIPATION)
    changed = assign_fields(participation, PARTICIPATION_FIELDS, data)
    if changed:
        check_amount(participation.committed_amount, participation.programme.budget_currency, "committed_amount")
        participation._history_user = updated_by
        participation.full_clean()
        participation.save(update_fields=[*changed, "updated_at"])
    return participation


@transaction.atomic
def participation_delete(*, participation: Participation, deleted_by) -> None:
    require_perm(deleted_by, Perm.DELETE_PARTICIPATION)
    participation._history_user = deleted_by
    participation.delete()
