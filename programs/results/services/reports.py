"""A partner's report for one period: opened as a draft, saved as often as the partner likes (nothing typed is
lost on a weak link), submitted, then approved by an officer (its values locked) or returned with a comment per
indicator, corrected and submitted again. An officer may fill in a report on the partner's behalf."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cooperation.access import require_perm, sees_everything
from cooperation.refusals import Refused, enforce, refuse
from cooperation.roles import Perm
from cooperation.workflow import as_decimal, lock_row, save_by
from programs.results.models import (
    ActualValue,
    Breakdown,
    Indicator,
    Narrative,
    Period,
    Report,
    ReportStatus,
    Unit,
)
from programs.results.services.computed import fill_computed
from programs.results.services.framework import value_problem
from programs.results.services.guards import ResultsRefusal, report_move_refusal, reporter_refusal
from programs.results.summaries import refresh, refresh_programmes
from programs.selectors import today_or


def reported_indicators(period: Period, organisation_id: int):
    """The indicators ``organisation`` reports in ``period``'s programme, in the framework's order."""
    return (
        Indicator.objects.filter(result__programme_id=period.programme_id, reporter_id=organisation_id)
        .select_related("result", "currency")
        .prefetch_related("dimensions__values")
        .order_by("-result__level", "result__position", "position", "pk")
    )


@transaction.atomic
def report_open(*, period: Period, organisation, opened_by, today: datetime.date | None = None) -> Report:
    """The partner's report for ``period``: the one already begun, or a new draft. A period that has not begun
    yet, and a partner that reports no indicator of the programme, are refused."""
    require_perm(opened_by, Perm.ADD_RESULTS_REPORT)
    enforce(reporter_refusal(opened_by, organisation.pk))
    found = Report.objects.select_for_update().filter(period=period, organisation=organisation)
    report = found.first()
    if report is None:
        if period.starts_on > today_or(today):
            raise refuse(
                ResultsRefusal.PERIOD_NOT_BEGUN, _("This period has not begun: there is nothing to report yet.")
            )
        if not reported_indicators(period, organisation.pk).exists():
            raise refuse(ResultsRefusal.NOT_REPORTER, _("This partner reports no indicator of the programme."))
        report = Report(period=period, organisation=organisation, on_behalf=sees_everything(opened_by))
        report._history_user = opened_by
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # opened a moment before, in another request
            report = found.get()
    fill_computed(report, by=opened_by)
    return report


def _number(indicator: Indicator, given, field: str, errors: dict) -> Decimal | None:
    if given in (None, ""):
        return None
    number = as_decimal(given)
    if number is None:
        errors[field] = ValidationError(_("Give a number."), code=Refused.NOT_A_NUMBER)
    elif (problem := value_problem(indicator.unit, number)) is not None:
        errors[field] = ValidationError(problem, code=ResultsRefusal.OUT_OF_RANGE)
    return number


def shown(value: Decimal) -> str:
    """A value as people write it: 90, 12.5 (never 9E+1), in the reader's number format."""
    return formats.number_format(format(value.normalize(), "f"))


def _breakdown(indicator: Indicator, total, parts: dict, errors: dict) -> dict[int, Decimal]:
    """The disaggregated values typed for ``indicator`` (dimension value id → number), checked: each a number
    within the unit's range, of the indicator's own dimensions, and adding up to the total where the dimension
    covers everyone."""
    allowed = {value.pk: value for dimension in indicator.dimensions.all() for value in dimension.values.all()}
    numbers, sums = {}, defaultdict(Decimal)
    for value_id, given in parts.items():
        value = allowed.get(int(value_id))
        if value is None:
            errors[f"part-{indicator.pk}-{value_id}"] = ValidationError(
                _("This indicator is not broken down that way."), code=ResultsRefusal.WRONG_PROGRAMME
            )
            continue
        number = _number(indicator, given, f"part-{indicator.pk}-{value.pk}", errors)
        if number is not None:
            numbers[value.pk] = number
            sums[value.dimension_id] += number
    for dimension in indicator.dimensions.all():
        if dimension.pk in sums and dimension.covers_everyone and total is not None and sums[dimension.pk] != total:
            message = _("The values by %(dimension)s add up to %(sum)s, not to the total of %(total)s.") % {
                "dimension": str(dimension.name).lower(),
                "sum": shown(sums[dimension.pk]),
                "total": shown(total),
            }
            errors[f"dimension-{indicator.pk}-{dimension.code}"] = ValidationError(
                message, code=ResultsRefusal.NOT_ADDING_UP
            )
    return numbers


@transaction.atomic
def report_save(*, report: Report, saved_by, values: dict | None = None, narratives: dict | None = None) -> Report:
    """Save what the partner typed, as a draft: ``values`` maps an indicator id to ``{"value", "text", "comment",
    "breakdown": {dimension value id: number}}``, ``narratives`` a result id to text. Every problem is reported
    at once, keyed by its field (``value-<indicator>``, ``part-<indicator>-<value>``,
    ``dimension-<indicator>-<dimension code>``); nothing is saved unless all of it is right."""
    lock_row(report)
    enforce(report_move_refusal(report, saved_by, "save"))
    indicators = {indicator.pk: indicator for indicator in reported_indicators(report.period, report.organisation_id)}
    errors, rows = {}, []
    for indicator_id, given in (values or {}).items():
        indicator = indicators.get(int(indicator_id))
        if indicator is None:
            errors[f"value-{indicator_id}"] = ValidationError(
                _("This partner does not report this indicator."), code=ResultsRefusal.WRONG_PROGRAMME
            )
            continue
        if indicator.measure:
            continue  # computed from the records, never typed
        field = f"value-{indicator.pk}"
        number = _number(indicator, given.get("value"), field, errors) if indicator.is_numeric else None
        text = str(given.get("text") or "").strip() if indicator.unit == Unit.TEXT else ""
        parts = _breakdown(indicator, number, given.get("breakdown") or {}, errors)
        rows.append((indicator, number, text, str(given.get("comment") or "").strip(), parts))
    results = {indicator.result_id for indicator in indicators.values()}
    for result_id in narratives or {}:
        if int(result_id) not in results:
            errors[f"narrative-{result_id}"] = ValidationError(
                _("This result is not one this partner reports on."), code=ResultsRefusal.WRONG_PROGRAMME
            )
    if errors:
        raise ValidationError(errors)
    for indicator, number, text, comment, parts in rows:
        actual, _created = ActualValue.objects.get_or_create(report=report, indicator=indicator)
        actual.value, actual.text, actual.comment = number, text, comment
        actual._history_user = saved_by
        actual.save()
        actual.breakdown.exclude(dimension_value_id__in=parts).delete()
        for value_id, part in parts.items():
            Breakdown.objects.update_or_create(actual=actual, dimension_value_id=value_id, defaults={"value": part})
    for result_id, text in (narratives or {}).items():
        narrative, _created = Narrative.objects.get_or_create(report=report, result_id=int(result_id))
        narrative.text = str(text or "").strip()
        narrative._history_user = saved_by
        narrative.save()
    fill_computed(report, by=saved_by)
    if sees_everything(saved_by) and not report.on_behalf:
        report.on_behalf = True
    return save_by(report, saved_by, ["on_behalf"])


def missing_values(report: Report) -> list[Indicator]:
    """The typed indicators of the report that have no value yet."""
    given = {
        actual.indicator_id
        for actual in report.values.all()
        if actual.value is not None or (actual.indicator.unit == Unit.TEXT and actual.text)
    }
    return [
        indicator
        for indicator in reported_indicators(report.period, report.organisation_id)
        if not indicator.measure and indicator.pk not in given
    ]


@transaction.atomic
def report_submit(*, report: Report, submitted_by) -> Report:
    """Send the report for review: every typed indicator needs its value."""
    lock_row(report)
    enforce(report_move_refusal(report, submitted_by, "submit"))
    fill_computed(report, by=submitted_by)
    missing = missing_values(report)
    if missing:
        raise ValidationError(
            {
                f"value-{indicator.pk}": ValidationError(
                    _("Give a value before submitting."), code=ResultsRefusal.VALUE_REQUIRED
                )
                for indicator in missing
            }
        )
    report.status, report.submitted_by, report.submitted_at = ReportStatus.SUBMITTED, submitted_by, timezone.now()
    report.on_behalf = report.on_behalf or sees_everything(submitted_by)
    return save_by(report, submitted_by, ["status", "submitted_by", "submitted_at", "on_behalf"])


@transaction.atomic
def report_approve(*, report: Report, approved_by) -> Report:
    """Accept the report: its values become the indicators' actuals and can no longer be changed."""
    lock_row(report)
    enforce(report_move_refusal(report, approved_by, "approve"))
    report.status, report.reviewed_by, report.reviewed_at = ReportStatus.APPROVED, approved_by, timezone.now()
    report.review_comment = ""
    report.values.exclude(review_comment="").update(review_comment="")
    save_by(report, approved_by, ["status", "reviewed_by", "reviewed_at", "review_comment"])
    refresh(programme_id=report.period.programme_id)  # its values now count
    return report


@transaction.atomic
def report_return(*, report: Report, returned_by, comment: str = "", indicator_comments: dict | None = None) -> Report:
    """Send the report back to the partner for correction, saying what to correct: an overall comment, a comment
    per indicator (indicator id → text), or both."""
    lock_row(report)
    enforce(report_move_refusal(report, returned_by, "return"))
    notes = {int(pk): str(text).strip() for pk, text in (indicator_comments or {}).items() if str(text or "").strip()}
    comment = (comment or "").strip()
    if not comment and not notes:
        raise refuse(
            ResultsRefusal.VALUE_REQUIRED,
            _("Say what the partner should correct: a comment on the report or on an indicator."),
            "comment",
        )
    actuals = {actual.indicator_id: actual for actual in report.values.select_for_update()}
    for indicator in reported_indicators(report.period, report.organisation_id):
        actual = actuals.get(indicator.pk)
        wanted = notes.pop(indicator.pk, "")
        if actual is None and wanted:
            actual = ActualValue(report=report, indicator=indicator)
        if actual is not None and actual.review_comment != wanted:
            actual.review_comment = wanted
            actual._history_user = returned_by
            actual.save()
    if notes:
        raise refuse(ResultsRefusal.WRONG_PROGRAMME, _("Comment only on the indicators of this report."), "comment")
    report.status, report.reviewed_by, report.reviewed_at = ReportStatus.RETURNED, returned_by, timezone.now()
    report.review_comment = comment
    return save_by(report, returned_by, ["status", "reviewed_by", "reviewed_at", "review_comment"])


def organisation_renamed(*, organisation, changed_by) -> None:
    """Followed on "organisation.renamed": where two partners' approved reports of a period hold a value for the
    same indicator, the partners' alphabetical order decides which counts, so the programmes where the renamed
    partner shares an approved period with another have their indicators' progress worked out again."""
    approved = Report.objects.filter(status=ReportStatus.APPROVED)
    shared = approved.filter(period_id=OuterRef("period_id")).exclude(organisation_id=organisation.pk)
    programme_ids = (
        approved.filter(Exists(shared), organisation_id=organisation.pk)
        .order_by()
        .values_list("period__programme_id", flat=True)
        .distinct()
    )
    refresh_programmes(list(programme_ids))
