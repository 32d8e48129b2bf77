"""Scholarship calls and their rubrics."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.models import assign_fields
from cooperation.money import check_amount, currency_problem
from cooperation.refusals import refuse
from cooperation.roles import Perm
from cooperation.workflow import as_decimal, current_value, lock_row, only_fields, save_by
from programs.scholarships.models import Call, Criterion, Review
from programs.scholarships.services._common import create_by, errors_or_clean, refuse_each
from programs.scholarships.services.refusals import ScholarshipRefusal
from programs.services import party_problem

CALL_FIELDS = (
    "programme",
    "title",
    "description",
    "host",
    "fields_of_study",
    "level",
    "opens_on",
    "closes_on",
    "awards_available",
    "stipend_amount",
    "stipend_currency",
    "stipend_frequency",
    "duration_months",
    "responsible_officer",
    "online_applications",
    "eligibility_questions",
)


def _clean_fields_of_study(fields) -> list[str]:
    if isinstance(fields, str):
        fields = fields.splitlines()
    seen, cleaned = set(), []
    for field in fields or ():
        name = " ".join(str(field).split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            cleaned.append(name)
    return cleaned


def _clean_questions(questions) -> list[str]:
    """The eligibility questions, one per line or item, spaces tidied, each once."""
    return _clean_fields_of_study(questions)


def _validate_call(call: Call, eligible_countries) -> None:
    errors: dict = {}
    programme, host = current_value(call, "programme"), current_value(call, "host")
    if programme is not None and not programme.is_technical:
        errors["programme"] = _("Scholarships belong to a programme of technical cooperation; this one is not.")
    if (problem := party_problem(programme, host)) is not None:
        errors["host"] = problem
    if call.opens_on and call.closes_on and call.closes_on < call.opens_on:
        errors["closes_on"] = _("The closing date cannot be before the opening date.")
    currency = current_value(call, "stipend_currency")
    if (problem := currency_problem(currency)) is not None:
        errors["stipend_currency"] = problem
    if call.stipend_amount is not None and call.stipend_amount <= 0:
        errors["stipend_amount"] = _("The stipend must be more than zero.")
    elif "stipend_amount" not in errors:
        try:
            check_amount(call.stipend_amount, currency, "stipend_amount")
        except ValidationError as error:
            error.update_error_dict(errors)
    officer = current_value(call, "responsible_officer")
    if officer is not None and not (officer.is_active and officer.has_perm(Perm.CHANGE_APPLICATION)):
        errors["responsible_officer"] = _("Choose an active programme officer.")
    if eligible_countries is not None and not list(eligible_countries):
        errors["eligible_countries"] = _("Choose at least one eligible nationality.")
    errors_or_clean(call, errors, exclude=["eligible_countries", "fields_of_study", "eligibility_questions"])


def _criteria_rows(criteria: Iterable) -> list[Criterion]:
    """Rubric lines from mappings (name, weight) or pairs; the whole rubric is refused if one line is wrong."""
    rows, problems, names = [], [], set()
    for position, line in enumerate(criteria or ()):
        name, weight = (line.get("name"), line.get("weight")) if isinstance(line, Mapping) else line
        name = " ".join(str(name or "").split())
        weight = as_decimal(weight)
        label = name or _("Line %(number)d") % {"number": position + 1}
        if not name:
            problems.append(_("%(line)s: give the criterion's name.") % {"line": label})
        elif name.lower() in names:
            problems.append(_("%(line)s appears twice.") % {"line": label})
        if weight is None or weight <= 0:
            problems.append(_("%(line)s: the weight must be a number more than zero.") % {"line": label})
        elif weight >= 1000 or weight != weight.quantize(Decimal("0.01")):
            problems.append(_("%(line)s: use a weight below 1000 with at most 2 decimals.") % {"line": label})
        names.add(name.lower())
        rows.append(Criterion(name=name, weight=weight, position=position))
    if problems:
        raise refuse_each(ScholarshipRefusal.RUBRIC_INVALID, problems, "criteria")
    if not rows:
        raise refuse(ScholarshipRefusal.RUBRIC_EMPTY, _("The rubric needs at least one criterion."), "criteria")
    return rows


@transaction.atomic
def call_create(
    *,
    created_by,
    programme,
    title,
    host,
    level,
    opens_on,
    closes_on,
    stipend_amount,
    stipend_currency,
    stipend_frequency,
    duration_months,
    eligible_countries,
    criteria,
    awards_available=1,
    fields_of_study=(),
    responsible_officer=None,
    description="",
    online_applications=False,
    eligibility_questions=(),
) -> Call:
    """Open a call for applications, with its rubric (criteria with weights) and eligible nationalities."""
    require_perm(created_by, Perm.ADD_CALL)
    call = Call(
        programme=programme,
        title=(title or "").strip(),
        description=(description or "").strip(),
        host=host,
        fields_of_study=_clean_fields_of_study(fields_of_study),
        level=level,
        opens_on=opens_on,
        closes_on=closes_on,
        awards_available=awards_available,
        stipend_amount=as_decimal(stipend_amount),
        stipend_currency=stipend_currency,
        stipend_frequency=stipend_frequency,
        duration_months=duration_months,
        responsible_officer=responsible_officer,
        online_applications=bool(online_applications),
        eligibility_questions=_clean_questions(eligibility_questions),
        created_by=created_by,
    )
    eligible_countries = list(eligible_countries or ())
    _validate_call(call, eligible_countries)
    rows = _criteria_rows(criteria)
    create_by(call, created_by)
    call.eligible_countries.set(eligible_countries)
    for row in rows:
        row.call = call
    Criterion.objects.bulk_create(rows)
    return call


@transaction.atomic
def call_update(*, call: Call, updated_by, eligible_countries=None, **data) -> Call:
    """Change a call; only the fields given change. Fewer awards than already made are refused."""
    require_perm(updated_by, Perm.CHANGE_CALL)
    only_fields("call_update", data, CALL_FIELDS)
    lock_row(call)
    if "fields_of_study" in data:
        data["fields_of_study"] = _clean_fields_of_study(data["fields_of_study"])
    if "stipend_amount" in data:
        data["stipend_amount"] = as_decimal(data["stipend_amount"])
    if "eligibility_questions" in data:
        data["eligibility_questions"] = _clean_questions(data["eligibility_questions"])
    changed = assign_fields(call, CALL_FIELDS, data)
    _validate_call(call, eligible_countries)
    if "awards_available" in changed:
        from programs.scholarships.selectors import awards_made

        made = awards_made(call)
        if call.awards_available < made:
            raise refuse(
                ScholarshipRefusal.FEWER_AWARDS_THAN_MADE,
                _("%(made)d awards are already made: the call cannot offer fewer.") % {"made": made},
                "awards_available",
            )
    if changed:
        save_by(call, updated_by, changed)
    if eligible_countries is not None:
        call.eligible_countries.set(list(eligible_countries))
    return call


@transaction.atomic
def call_set_criteria(*, call: Call, updated_by, criteria) -> list[Criterion]:
    """Replace the rubric; refused once a reviewer has scored an application of this call, since the
    weighted averages of the ranking must all be computed against the same rubric."""
    require_perm(updated_by, Perm.CHANGE_CALL)
    lock_row(call)
    if Review.objects.filter(application__call=call, completed_at__isnull=False).exists():
        raise refuse(
            ScholarshipRefusal.RUBRIC_LOCKED,
            _("Reviewers have already scored applications against this rubric: it can no longer change."),
        )
    rows = _criteria_rows(criteria)
    call.criteria.all().delete()
    for row in rows:
        row.call = call
    return Criterion.objects.bulk_create(rows)
