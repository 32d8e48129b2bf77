"""What programmes show on other pages, registered in ``apps.py``."""

from programs.selectors import organisation_participations


def partner_detail(request, organisation) -> dict:
    """A partner's page: the programmes it takes part in, with its role (empty for who does not see them all)."""
    return {"participations": organisation_participations(user=request.user, organisation=organisation)}
