"""Exchange activities: trainings, internships, joint research, cultural exchanges and events.

Officers create and edit them; the host partner (or an officer) reports the participants — counts by
gender and, if they wish, a list of names — and the outcomes.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.models import assign_fields
from cooperation.refusals import enforce, refuse
from cooperation.roles import Perm
from cooperation.workflow import current_value, lock_row, only_fields, save_by
from programs.models import Participation
from programs.scholarships.models import ExchangeActivity, ExchangeStatus, Gender, Participant
from programs.scholarships.services._common import create_by, errors_or_clean, member_or_staff_refusal
from programs.scholarships.services.refusals import ScholarshipRefusal

ACTIVITY_FIELDS = (
    "programme",
    "title",
    "kind",
    "description",
    "starts_on",
    "ends_on",
    "country",
    "city",
    "host",
    "status",
)
COUNT_FIELDS = ("women", "men", "other_gender")
COUNT_OF_GENDER = {Gender.FEMALE: "women", Gender.MALE: "men", Gender.OTHER: "other_gender"}
# Far above any real activity, and low enough that the three counts add up within a database integer.
MAX_PARTICIPANTS = 10_000_000


def _validate_activity(activity: ExchangeActivity, partners) -> None:
    errors: dict = {}
    programme, host = current_value(activity, "programme"), current_value(activity, "host")
    if programme is not None and not (programme.is_technical or programme.is_cultural):
        errors["programme"] = _("Exchange activities belong to a programme of technical or cultural cooperation.")
    taking_part = (
        set(Participation.objects.filter(programme=programme).values_list("organisation_id", flat=True))
        if programme is not None
        else set()
    )
    if host is not None and programme is not None and host.pk not in taking_part:
        errors["host"] = _("%(partner)s does not take part in this programme.") % {"partner": host}
    outsiders = [partner for partner in partners or () if programme is not None and partner.pk not in taking_part]
    if outsiders:
        errors["partners"] = _("Not taking part in this programme: %(partners)s.") % {
            "partners": ", ".join(str(partner) for partner in outsiders)
        }
    if activity.starts_on and activity.ends_on and activity.ends_on < activity.starts_on:
        errors["ends_on"] = _("The end cannot be before the start.")
    errors_or_clean(activity, errors, exclude=["partners", *COUNT_FIELDS])


@transaction.atomic
def activity_create(
    *,
    created_by,
    programme,
    title,
    kind,
    starts_on,
    ends_on,
    country,
    city,
    host,
    partners=(),
    description="",
    status=ExchangeStatus.PLANNED,
) -> ExchangeActivity:
    require_perm(created_by, Perm.ADD_EXCHANGE_ACTIVITY)
    activity = ExchangeActivity(
        programme=programme,
        title=(title or "").strip(),
        kind=kind,
        description=(description or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        country=country,
        city=(city or "").strip(),
        host=host,
        status=status,
        created_by=created_by,
    )
    partners = list(partners or ())
    _validate_activity(activity, partners)
    create_by(activity, created_by)
    activity.partners.set(partners)
    return activity


@transaction.atomic
def activity_update(*, activity: ExchangeActivity, updated_by, partners=None, **data) -> ExchangeActivity:
    """Change an activity's details, partners or status; only what is given changes."""
    require_perm(updated_by, Perm.CHANGE_EXCHANGE_ACTIVITY)
    only_fields("activity_update", data, ACTIVITY_FIELDS)
    lock_row(activity)
    changed = assign_fields(activity, ACTIVITY_FIELDS, data)
    partners = list(partners) if partners is not None else list(activity.partners.all())
    _validate_activity(activity, partners)
    if changed:
        save_by(activity, updated_by, changed)
    activity.partners.set(partners)
    return activity


def _count(value, field: str, errors: dict) -> int | None:
    try:
        number = int(str(value).strip()) if value not in (None, "") else 0
    except ValueError:
        errors[field] = _("Enter a whole number.")
        return None
    if number < 0:
        errors[field] = _("A number of participants cannot be negative.")
        return None
    if number > MAX_PARTICIPANTS:
        errors[field] = _("A number of participants cannot be more than %(limit)s.") % {
            "limit": formats.number_format(MAX_PARTICIPANTS, force_grouping=True)
        }
        return None
    return number


def _participant_rows(participants: Iterable[Mapping], activity: ExchangeActivity) -> tuple[list, list[str]]:
    rows, problems = [], []
    for position, line in enumerate(participants):
        name = " ".join(str(line.get("name") or "").split())
        gender = line.get("gender") or ""
        label = name or _("Participant %(number)d") % {"number": position + 1}
        if not name:
            problems.append(_("%(line)s: give the name.") % {"line": label})
        if gender not in Gender.values:
            problems.append(_("%(line)s: choose the gender.") % {"line": label})
        rows.append(
            Participant(
                activity=activity,
                name=name[:200],
                gender=gender,
                organisation=" ".join(str(line.get("organisation") or "").split())[:200],
                country=line.get("country"),
            )
        )
    return rows, problems


@transaction.atomic
def activity_report(
    *,
    activity: ExchangeActivity,
    reported_by,
    women,
    men,
    other_gender,
    outcome_notes="",
    participants: Iterable[Mapping] | None = None,
) -> ExchangeActivity:
    """Report how many took part, by gender, and what came out of it (the host partner or an officer).

    ``participants`` (optional) replaces the list of names: mappings with name, gender, organisation, country.
    The list may be partial, but never names more people of a gender than the count says.
    """
    require_perm(reported_by, Perm.REPORT_EXCHANGE_ACTIVITY)
    enforce(
        member_or_staff_refusal(reported_by, activity.host_id, _("Only the host partner can report on this activity."))
    )
    lock_row(activity)
    if activity.status == ExchangeStatus.CANCELLED:
        raise refuse(
            ScholarshipRefusal.ACTIVITY_CANCELLED, _("This activity is cancelled: there is nothing to report.")
        )
    errors: dict = {}
    counts = {
        field: _count(value, field, errors)
        for field, value in zip(COUNT_FIELDS, (women, men, other_gender), strict=True)
    }
    rows, problems = _participant_rows(participants or (), activity) if participants is not None else ([], [])
    if problems:
        errors["participants"] = problems
    elif participants is not None and not errors:
        for gender, field in COUNT_OF_GENDER.items():
            listed = sum(1 for row in rows if row.gender == gender)
            if listed > counts[field]:
                errors[field] = _("The list names %(listed)d %(gender)s participants, more than this count.") % {
                    "listed": listed,
                    "gender": Gender(gender).label.lower(),
                }
    if errors:
        raise ValidationError(errors)
    for field, number in counts.items():
        setattr(activity, field, number)
    activity.outcome_notes = (outcome_notes or "").strip()
    save_by(activity, reported_by, [*COUNT_FIELDS, "outcome_notes"])
    if participants is not None:
        activity.participants.all().delete()
        Participant.objects.bulk_create(rows)
    return activity
