"""Demonstration programmes for ``manage.py load_demo``: every form of cooperation and status, several currencies,
the partner organisations' roles, and progress updates from officers and partners.

Natural keys make a second run change nothing: a programme's code, an update's title within its programme.
"""

from decimal import Decimal

from cooperation.reference.models import Country, Currency, Sector
from programs import services
from programs.demo.programmes import PROGRAMMES, DemoProgramme
from programs.models import Programme, ProgrammeUpdate


def load(*, run) -> None:
    """Create the programmes and updates that are missing (the partners' loader ran first)."""
    for demo in PROGRAMMES:
        programme = Programme.objects.filter(code=demo.code).first()
        if programme is None:
            programme = _create_programme(demo, run.users, run.organisations)
            run.log(f"  programme {programme.code} created")
        for update in demo.updates:
            if not ProgrammeUpdate.objects.filter(programme=programme, title=update.title).exists():
                services.programme_update_post(
                    programme=programme,
                    author=run.users[update.author],
                    reported_on=update.reported_on,
                    title=update.title,
                    body=update.body,
                )


def _create_programme(demo: DemoProgramme, users, organisations) -> Programme:
    currency = Currency.objects.get(code=demo.budget[1])
    return services.programme_create(
        created_by=users["officer"],
        code=demo.code,
        title=demo.title,
        title_indonesian=demo.title_indonesian,
        description=demo.description,
        description_indonesian=demo.description_indonesian,
        publish_to_iati=demo.publish_to_iati,
        country_percentages=dict(demo.country_percentages),
        sector_percentages=dict(demo.sector_percentages),
        forms=list(demo.forms),
        status=demo.status,
        planned_start=demo.planned_start,
        planned_end=demo.planned_end,
        actual_start=demo.actual_start,
        actual_end=demo.actual_end,
        budget_amount=Decimal(demo.budget[0]),
        budget_currency=currency,
        responsible_officer=users[demo.responsible],
        recipient_countries=[Country.objects.get(code=code) for code in demo.countries],
        sectors=[Sector.objects.get(code=code) for code in demo.sectors],
        objectives=list(demo.objectives),
        participants=[
            services.ParticipantInput(
                organisations[acronym], role, Decimal(committed) if committed is not None else None
            )
            for acronym, role, committed in demo.participants
        ],
    )
