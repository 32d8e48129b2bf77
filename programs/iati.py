"""The programme's own part of its IATI activity (identifier, reporting and participating organisations, titles,
status, dates, where and in which sectors), and the publisher's IATI files.

``parts`` is the ``registry.IATI`` contribution of the programmes app; the modules add their money, results and
documents through the same registry. ``activities_publication`` and ``organisation_publication`` are what the
``export_iati`` command and the reporting pages call.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from cooperation.iati import Part, Problem, narrative
from cooperation.iati.validation import codelist_errors, schema_errors
from cooperation.iati.writer import Publication, TotalBudget, activities_file, collect, organisation_file
from cooperation.money import minor_unit_exponent
from cooperation.reference.codes import ActivityStatus
from programs.models import Objective, Participation, Programme, ProgrammeObjective
from programs.services import percentage_text

# Characters the IATI Standard does not allow in an activity identifier.
IDENTIFIER_FORBIDDEN = ("/", "&", "|", "?", " ")
HUNDRED = Decimal(100)


def organisation_identifier() -> str:
    return settings.IATI_ORGANISATION_IDENTIFIER.strip()


def activity_identifier(programme) -> str:
    """``{organisation identifier}-{programme code}``: the programme's identifier in the IATI registry."""
    return f"{organisation_identifier()}-{programme.code}"


def _with_relations(programmes) -> list[Programme]:
    return list(
        Programme.objects.filter(pk__in=[programme.pk for programme in programmes])
        .select_related("budget_currency")
        .prefetch_related(
            "recipient_countries",
            "sectors",
            Prefetch("objectives", queryset=ProgrammeObjective.objects.all()),
            Prefetch("participations", queryset=Participation.objects.select_related("organisation")),
        )
    )


def parts(programmes):
    """The programme app's parts of each programme's activity, or why it cannot be published yet."""
    prefix = organisation_identifier()
    for programme in _with_relations(programmes):
        problems = list(_problems(programme, prefix))
        for message in problems:
            yield Problem(programme.pk, message)
        if problems:
            continue
        for element in _elements(programme, prefix):
            yield Part(programme.pk, element)


def _problems(programme: Programme, prefix: str):
    if not prefix:
        yield _("The organisation's IATI identifier is not set (setting IATI_ORGANISATION_IDENTIFIER).")
    forbidden = [character for character in IDENTIFIER_FORBIDDEN if character in programme.code]
    if forbidden:
        yield _("The programme code contains “%(characters)s”, which an IATI identifier may not hold.") % {
            "characters": " ".join(forbidden)
        }
    if not programme.description.strip():
        yield _("Add a description of the programme.")
    if not (programme.planned_start or programme.actual_start):
        yield _("Add the planned or actual start date.")
    if not programme.participations.all():
        yield _("Add at least one participating partner.")
    countries = programme.recipient_countries.all()
    if not countries:
        yield _("Add a recipient country.")
    else:
        yield from _share_problems(
            countries,
            shares(programme, "recipient_countries", "country_percentages"),
            missing=_("Give the percentage of recipient country %(codes)s."),
            total=_("Recipient country percentages add up to %(total)s%%, not 100%%."),
        )
    sectors = programme.sectors.all()
    if not sectors:
        yield _("Add a DAC sector.")
    else:
        yield from _share_problems(
            sectors,
            shares(programme, "sectors", "sector_percentages"),
            missing=_("Give the percentage of sector %(codes)s."),
            total=_("Sector percentages add up to %(total)s%%, not 100%%."),
        )


def _share_problems(records, percentages: dict[str, Decimal], *, missing: str, total: str):
    unshared = [record.code for record in records if record.code not in percentages]
    if unshared:
        yield missing % {"codes": ", ".join(unshared)}
        return
    added = sum((percentages[record.code] for record in records), Decimal(0))
    if added != HUNDRED:
        yield total % {"total": _number(added)}


def shares(programme: Programme, relation: str, field: str) -> dict[str, Decimal]:
    """Each country's or sector's percentage, by code: 100 for the programme's only one."""
    records = getattr(programme, relation).all()
    if len(records) == 1:
        return {records[0].code: HUNDRED}
    return {code: Decimal(str(value)) for code, value in (getattr(programme, field) or {}).items()}


def _number(value: Decimal) -> str:
    return percentage_text(value)


def _element(tag: str, attributes: dict | None = None, text: str | None = None) -> etree._Element:
    element = etree.Element(tag, {name: value for name, value in (attributes or {}).items() if value})
    if text is not None:
        element.text = text
    return element


def _narratives(tag: str, english: str, indonesian: str, attributes: dict | None = None) -> etree._Element:
    element = _element(tag, attributes)
    narrative(element, english)
    if indonesian.strip():
        narrative(element, indonesian, "id")
    return element


def _elements(programme: Programme, prefix: str):
    yield _element("iati-identifier", text=activity_identifier(programme))
    reporting = _element("reporting-org", {"ref": prefix, "type": settings.IATI_ORGANISATION_TYPE})
    if settings.IATI_ORGANISATION_NAME:
        narrative(reporting, settings.IATI_ORGANISATION_NAME)
    yield reporting
    yield _narratives("title", programme.title, programme.title_indonesian)
    yield _narratives("description", programme.description, programme.description_indonesian, {"type": "1"})
    for participation in programme.participations.all():
        organisation = participation.organisation
        element = _element(
            "participating-org",
            {"ref": organisation.iati_identifier, "role": str(participation.role), "type": organisation.kind},
        )
        narrative(element, organisation.name)
        yield element
    yield _element("activity-status", {"code": str(programme.status)})
    for field, date_type in (("planned_start", "1"), ("actual_start", "2"), ("planned_end", "3"), ("actual_end", "4")):
        value = getattr(programme, field)
        if value is not None:
            yield _element("activity-date", {"iso-date": value.isoformat(), "type": date_type})
    country_shares = shares(programme, "recipient_countries", "country_percentages")
    for country in programme.recipient_countries.all():
        yield _element("recipient-country", {"code": country.code, "percentage": _number(country_shares[country.code])})
    sector_shares = shares(programme, "sectors", "sector_percentages")
    for sector in programme.sectors.all():
        percentage = _number(sector_shares[sector.code])
        yield _element("sector", {"code": sector.code, "vocabulary": "1", "percentage": percentage})


def activity_attributes(programme: Programme) -> dict[str, str]:
    humanitarian = any(row.objective == Objective.HUMANITARIAN_AID for row in programme.objectives.all())
    return {
        "last-updated-datetime": timezone.localtime(programme.updated_at).replace(microsecond=0).isoformat(),
        "default-currency": programme.budget_currency_id,
        "humanitarian": "1" if humanitarian else "0",
    }


def activities_publication(programmes, *, generated_at=None) -> Publication:
    """The activities file of ``programmes`` (those with problems left out, their problems said)."""
    programmes = _with_relations(programmes)
    order = {programme.pk: index for index, programme in enumerate(programmes)}
    programmes.sort(key=lambda programme: (programme.code, order[programme.pk]))
    return activities_file(
        programmes, generated_at=generated_at or timezone.localtime(), attributes=activity_attributes
    )


def readiness(programmes) -> dict[int, list[str]]:
    """What keeps each programme out of the activities file, by programme id (an empty list: ready)."""
    programmes = list(programmes)
    _parts, problems = collect(programmes)
    return {programme.pk: problems.get(programme.pk, []) for programme in programmes}


@dataclass
class OrganisationPublication:
    xml: bytes
    problems: list[str]


def organisation_publication(programmes, *, generated_at=None) -> OrganisationPublication:
    """The publisher's organisation file, with its total budget per calendar year and currency from
    ``programmes``' budgets spread over their planned dates (cancelled programmes left out)."""
    identifier = organisation_identifier()
    problems = []
    if not identifier:
        problems.append(_("The organisation's IATI identifier is not set (setting IATI_ORGANISATION_IDENTIFIER)."))
    if not settings.IATI_ORGANISATION_NAME.strip():
        problems.append(_("The organisation's name is not set (setting IATI_ORGANISATION_NAME)."))
    if problems:
        return OrganisationPublication(xml=b"", problems=problems)
    now = generated_at or timezone.localtime()
    programmes = list(programmes)
    # The latest change to a published programme; with none published, the file names no such moment (the time of
    # the request is not one).
    last_updated = max((programme.updated_at for programme in programmes), default=None)
    xml = organisation_file(
        identifier=identifier,
        name=settings.IATI_ORGANISATION_NAME,
        organisation_type=settings.IATI_ORGANISATION_TYPE,
        default_currency=settings.REPORTING_CURRENCY,
        budgets=total_budgets(programmes),
        generated_at=now,
        last_updated=timezone.localtime(last_updated) if last_updated is not None else None,
        value_date=now.date(),
    )
    return OrganisationPublication(xml=xml, problems=[])


def total_budgets(programmes) -> list[TotalBudget]:
    """Per calendar year and currency, the programmes' budgets shared out by the days of their planned span that
    fall in the year, each share rounded to the currency's minor unit and the last year absorbing the rest."""
    totals: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for programme in programmes:
        start, end = programme.planned_start, programme.planned_end
        if programme.status == ActivityStatus.CANCELLED or not (start and end) or not programme.budget_amount:
            continue
        for year, amount in _by_year(programme.budget_amount, start, end, programme.budget_currency):
            totals[(year, programme.budget_currency_id)] += amount
    return [
        TotalBudget(date(year, 1, 1), date(year, 12, 31), amount, currency)
        for (year, currency), amount in sorted(totals.items())
    ]


def _by_year(amount: Decimal, start: date, end: date, currency) -> list[tuple[int, Decimal]]:
    days = (end - start).days + 1
    exponent = minor_unit_exponent(currency.minor_unit)
    shares, given = [], Decimal(0)
    for year in range(start.year, end.year + 1):
        first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        if year == end.year:
            share = (amount - given).quantize(exponent, rounding=ROUND_HALF_EVEN)
        else:
            share = (amount * ((last - first).days + 1) / days).quantize(exponent, rounding=ROUND_HALF_EVEN)
        given += share
        shares.append((year, share))
    return shares


def file_errors(xml: bytes, kind: str = "activities") -> list[str]:
    """What would make the IATI registry refuse ``xml``: schema errors, then codes not in their codelists."""
    return schema_errors(xml, kind) or codelist_errors(xml)
