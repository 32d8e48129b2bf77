"""Finance in the one search box: loans by reference (LN-…), borrower or programme; grants by reference (GR-…),
recipient or programme. Staff only, read through the selectors that scope what each user sees."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperation.roles import Perm
from cooperation.search import SearchGroup, SearchHit, group, matching
from cooperation.templatetags.kerjasama import money
from programs.finance import selectors
from programs.finance.selectors.common import visible_loans


def search(user, query: str) -> list[SearchGroup]:
    if not user.has_perm(Perm.ACCESS_WORKSPACE):
        return []
    loans = matching(
        visible_loans(user).select_related("borrower", "programme", "currency"),
        query,
        text=("borrower__name", "borrower__acronym", "programme__title", "purpose"),
        codes=("reference", "programme__code"),
    ).order_by("-created_at", "-pk")
    grants = matching(
        selectors.grant_list(user=user),
        query,
        text=("recipient__name", "recipient__acronym", "programme__title", "purpose"),
        codes=("reference", "programme__code"),
    ).order_by("-created_at", "-pk")
    return [
        group(
            "finance.loans",
            _("Loans"),
            loans,
            lambda loan: SearchHit(
                title=f"{loan.reference} · {loan.borrower}",
                url=reverse("finance:loan_detail", args=[loan.pk]),
                detail=f"{loan.programme.code} · {money(loan.principal, loan.currency)} · {loan.get_status_display()}",
            ),
        ),
        group(
            "finance.grants",
            _("Grants"),
            grants,
            lambda grant: SearchHit(
                title=f"{grant.reference} · {grant.recipient}",
                url=reverse("finance:grant_detail", args=[grant.pk]),
                detail=f"{grant.programme.code} · {money(grant.amount, grant.currency)}",
            ),
        ),
    ]
