"""Who the shipment emails go to in the tests of the dispatch notice, the delay alerts and the expiry alerts: the
programme's responsible officer, and a consignee with contacts in English and Indonesian and one no longer active."""

import pytest
from django.core import mail

from cooperation.roles import Role
from tests.factories import ContactFactory, OrganisationFactory, UserFactory


@pytest.fixture
def responsible_officer(db):
    return UserFactory(username="sari", role=Role.OFFICER, email="sari@kerjasama.example", first_name="Sari")


@pytest.fixture
def consignee(db):
    organisation = OrganisationFactory(name="Caritas Dili")
    ContactFactory(organisation=organisation, name="Ana", email="ana@caritas.example", preferred_language="en")
    ContactFactory(organisation=organisation, name="Budi", email="budi@caritas.example", preferred_language="id")
    ContactFactory(organisation=organisation, name="Gone", email="gone@caritas.example", is_active=False)
    return organisation


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]
