"""Demonstration partners for ``manage.py load_demo``: organisations of every kind, their contacts, and the
organisations the partner users work for.

Natural keys make a second run change nothing: an organisation's name, a contact's email within it.
"""

import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

from cooperation.reference.codes import OrganisationType
from cooperation.reference.models import Country
from partners import services
from partners.models import Contact, Membership, Organisation


@dataclass(frozen=True)
class DemoContact:  # contact_create's arguments
    name: str
    email: str
    position: str
    phone: str = ""
    receives_reminders: bool = False
    preferred_language: str = "en"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    acronym: str
    kind: OrganisationType
    country: str
    iati_identifier: str
    website: str
    address: str
    contacts: tuple[DemoContact, ...] = ()


def _read_organisations() -> tuple[DemoOrganisation, ...]:
    """The organisations of demo_organisations.toml, beside this file, in their order."""
    with Path(__file__).with_name("demo_organisations.toml").open("rb") as file:
        tables = tomllib.load(file)["organisation"]
    return tuple(
        DemoOrganisation(
            **{
                **table,
                "kind": OrganisationType[table["kind"]],
                "contacts": tuple(DemoContact(**contact) for contact in table.get("contacts", ())),
            }
        )
        for table in tables
    )


ORGANISATIONS = _read_organisations()


def load(*, run) -> None:
    """Create the organisations, contacts and memberships that are missing; ``run.organisations`` then finds each
    organisation by acronym and by name for the loaders that follow."""
    officer = run.users["officer"]
    for demo in ORGANISATIONS:
        organisation = Organisation.objects.filter(name=demo.name).first()
        if organisation is None:
            organisation = services.organisation_create(
                created_by=officer,
                name=demo.name,
                acronym=demo.acronym,
                kind=demo.kind,
                country=Country.objects.get(code=demo.country),
                iati_identifier=demo.iati_identifier,
                website=demo.website,
                address=demo.address,
            )
            run.log(f"  partner {organisation} created")
        for contact in demo.contacts:
            if not Contact.objects.filter(organisation=organisation, email=contact.email).exists():
                services.contact_create(organisation=organisation, created_by=officer, **asdict(contact))
        run.organisations[demo.acronym] = organisation
        run.organisations[demo.name] = organisation
    for username, name in run.workplaces.items():
        user, organisation = run.users[username], run.organisations[name]
        if not Membership.objects.filter(user=user, organisation=organisation).exists():
            services.membership_create(user=user, organisation=organisation, created_by=run.users["admin"])
