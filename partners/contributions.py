"""What other apps add to the partner pages, declared in their ``AppConfig.ready()``, so that partners know none
of them: a count per organisation (of related records) on the partner list and in the admin.

The organisation page's sections come through ``cooperation.registry`` panels at "partner.detail".
"""

from dataclasses import dataclass

from django.db.models import Count


@dataclass(frozen=True)
class OrganisationCount:
    """``name`` is the annotation on each organisation; it counts the related rows reached by ``relation``."""

    name: str
    label: str
    relation: str

    def expression(self) -> Count:
        return Count(self.relation, distinct=True)


_counts: list[OrganisationCount] = []


def organisation_count(name: str, label: str, relation: str) -> None:
    entry = OrganisationCount(name, label, relation)
    if entry not in _counts:
        _counts.append(entry)


def organisation_counts() -> list[OrganisationCount]:
    return list(_counts)
