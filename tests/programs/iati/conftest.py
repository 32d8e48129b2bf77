import pytest

from cooperation.reference.codes import OrganisationRole, OrganisationType
from partners.models import Organisation
from tests.factories import OrganisationFactory, ParticipationFactory, ProgrammeFactory, sector


@pytest.fixture(autouse=True)
def _publisher(settings):
    settings.IATI_ORGANISATION_IDENTIFIER = "XI-TEST"
    settings.IATI_ORGANISATION_NAME = "Test Cooperation Agency"
    settings.IATI_ORGANISATION_TYPE = "10"


def publishable(code="WAT-1", **fields):
    """A programme marked for publication with all IATI needs: two sectors with shares, one country, partners."""
    fields = {
        "title": "Clean water",
        "title_indonesian": "Air bersih",
        "description": "Wells and water points.",
        "sector_percentages": {"14030": "60", "14031": "40"},
        "publish_to_iati": True,
        **fields,
    }
    programme = ProgrammeFactory(code=code, **fields)
    programme.sectors.set([sector("14030"), sector("14031")])
    funder = Organisation.objects.filter(iati_identifier="XM-DAC-46004").first() or OrganisationFactory(
        name="Asian Fund", kind=OrganisationType.MULTILATERAL, iati_identifier="XM-DAC-46004"
    )
    ParticipationFactory(programme=programme, organisation=funder, role=OrganisationRole.FUNDING)
    ParticipationFactory(programme=programme, role=OrganisationRole.IMPLEMENTING)
    return programme
