"""Financial cooperation in a programme's IATI activity: its loans (``loans``) and grants (``grants``) as
transactions, planned disbursements and the principal loan's ``crs-add``. Every amount carries its own currency
and value date."""

from cooperation.iati import Part, Problem
from programs.finance.iati.grants import grant_parts
from programs.finance.iati.loans import loan_parts


def parts(programmes) -> list[Part | Problem]:
    """Finance's contribution to the IATI file for ``programmes``: four queries however many records."""
    programme_ids = [programme.pk for programme in programmes]
    return [*loan_parts(programme_ids), *grant_parts(programme_ids)]
