"""What the staff's search box finds among programmes: by code or title, read through the programmes' selector, so
a user finds only what they may see."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperation.roles import Perm
from cooperation.search import SearchGroup, SearchHit, group, matching
from programs.models import Programme
from programs.selectors import programme_list


def search(user, query: str) -> list[SearchGroup]:
    if not user.has_perm(Perm.ACCESS_WORKSPACE):
        return []  # partner users find nothing here for now
    visible = programme_list(user=user).values("pk")
    found = matching(Programme.objects.filter(pk__in=visible), query, text=("title",), codes=("code",))

    def hit(programme):
        return SearchHit(
            f"{programme.code} · {programme.title}",
            reverse("programs:detail", args=[programme.pk]),
            programme.get_status_display(),
        )

    return [group("programs.programmes", _("Programmes"), found.order_by("code"), hit)]
