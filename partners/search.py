"""What the staff's search box finds among partners: organisations by name, acronym or IATI identifier, and
contacts by name or email. Read through the partners' selectors, so a user finds only what they may see."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperation.roles import Perm
from cooperation.search import SearchGroup, SearchHit, group, matching
from partners.models import Contact
from partners.selectors import organisation_list


def search(user, query: str) -> list[SearchGroup]:
    if not user.has_perm(Perm.ACCESS_WORKSPACE):
        return []  # partner users find nothing here for now
    organisations = organisation_list(user=user)
    found = matching(organisations, query, text=("name", "acronym"), codes=("iati_identifier",)).order_by("name")
    groups = [
        group(
            "partners.organisations",
            _("Partners"),
            found,
            lambda organisation: SearchHit(
                organisation.name,
                reverse("partners:detail", args=[organisation.pk]),
                " · ".join(part for part in (organisation.acronym, organisation.iati_identifier) if part),
            ),
        )
    ]
    if user.has_perm(Perm.VIEW_CONTACT):
        contacts = Contact.objects.filter(organisation__in=organisations.values("pk")).select_related("organisation")
        found = matching(contacts, query, text=("name", "email")).order_by("name", "pk")
        groups.append(
            group(
                "partners.contacts",
                _("Contacts"),
                found,
                lambda contact: SearchHit(
                    contact.name,
                    reverse("partners:detail", args=[contact.organisation_id]) + "#contacts-heading",
                    f"{contact.email} · {contact.organisation.name}",
                ),
            )
        )
    return groups
