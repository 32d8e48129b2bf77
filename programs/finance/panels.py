"""What this module shows on other pages, registered in ``apps.py``: loans and grants on a programme's page, on a
partner's page and on the partner portal's home. Each reads through the selectors that scope to the user and sums
in SQL, so the queries stay the same however many loans, installments and tranches there are."""

from django.urls import reverse

from cooperation.access import sees_everything
from cooperation.roles import Perm
from programs.finance.selectors.common import visible_loans
from programs.finance.selectors.grants import visible_grants
from programs.finance.selectors.hub import arrears_figures, disbursed_total, grant_figures, loan_figures


def _figures(user, loans, grants) -> dict:
    sees_loans, sees_grants = user.has_perm(Perm.VIEW_LOAN), user.has_perm(Perm.VIEW_GRANT)
    return {
        "sees_loans": sees_loans,
        "sees_grants": sees_grants,
        "loans": loan_figures(loans) if sees_loans else None,
        "disbursed": disbursed_total(loans) if sees_loans else None,
        "grants": grant_figures(grants) if sees_grants else [],
    }


def programme_hub(request, programme):
    """The programme's loans (by status; per currency committed, outstanding, at risk) and grants (per currency,
    with their tranches paid, approved and scheduled). None for who sees neither, and for a programme without
    financial cooperation that has none."""
    user = request.user
    if not (user.has_perm(Perm.VIEW_LOAN) or user.has_perm(Perm.VIEW_GRANT)):
        return None
    panel = _figures(
        user,
        visible_loans(user).filter(programme=programme),
        visible_grants(user).filter(programme=programme),
    )
    if not programme.is_financial and not (panel["loans"] and panel["loans"].count) and not panel["grants"]:
        return None
    query = f"?programme={programme.pk}"

    def can_add(perm: Perm) -> bool:
        return programme.is_financial and user.has_perm(perm)

    return {
        **panel,
        "programme": programme,
        "loan_list_url": reverse("finance:loan_list") + query,
        "grant_list_url": reverse("finance:grant_list") + query,
        "new_loan_url": reverse("finance:loan_create") + query if can_add(Perm.ADD_LOAN) else "",
        "new_grant_url": reverse("finance:grant_create") + query if can_add(Perm.ADD_GRANT) else "",
    }


def partner_hub(request, organisation):
    """The partner's loans as borrower (with those in arrears: days late and amount overdue per currency) and the
    grants it received with their tranches. None for who sees neither."""
    user = request.user
    if not (user.has_perm(Perm.VIEW_LOAN) or user.has_perm(Perm.VIEW_GRANT)):
        return None
    loans = visible_loans(user).filter(borrower=organisation)
    query = f"?borrower={organisation.pk}"
    return {
        **_figures(user, loans, visible_grants(user).filter(recipient=organisation)),
        "organisation": organisation,
        "arrears": arrears_figures(loans) if user.has_perm(Perm.VIEW_LOAN) else None,
        "loan_list_url": reverse("finance:loan_list") + query,
        "arrears_url": reverse("finance:loan_list") + query + "&overdue=true",
        "grant_list_url": reverse("finance:grant_list") + f"?recipient={organisation.pk}",
        "new_loan_url": reverse("finance:loan_create") + query if user.has_perm(Perm.ADD_LOAN) else "",
        "new_grant_url": (
            reverse("finance:grant_create") + f"?recipient={organisation.pk}" if user.has_perm(Perm.ADD_GRANT) else ""
        ),
    }


def portal_home(request, record=None) -> dict:
    """The partner portal's home: the same figures for the user's own organisations, with links to the portal's
    loan and grant pages (the template adds the unread messages)."""
    user = request.user
    if sees_everything(user) or not (user.has_perm(Perm.VIEW_LOAN) or user.has_perm(Perm.VIEW_GRANT)):
        return {"portal": True}
    loans = visible_loans(user)
    return {
        **_figures(user, loans, visible_grants(user)),
        "portal": True,
        "arrears": arrears_figures(loans) if user.has_perm(Perm.VIEW_LOAN) else None,
    }
