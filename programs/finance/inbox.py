"""What finance has waiting for a user: loans to approve, notified payments to confirm, grant tranches to approve;
for a partner user, the installments of their organisation's loans falling due or overdue, to pay and notify.

Each group is narrowed in SQL to what the move's guard allows (status, permission, maker–checker), so its total
agrees with the guard; the guard is asked again on the items shown, as the record pages ask it.
"""

import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.access import sees_everything
from cooperation.inbox import ITEMS_PER_GROUP, InboxGroup, InboxItem
from cooperation.roles import Perm
from cooperation.templatetags.kerjasama import money
from programs.finance import selectors, services
from programs.finance.models import Installment, LoanStatus, TrancheStatus
from programs.finance.selectors.common import OUTSTANDING, UNPAID, visible_loans
from programs.selectors import today_or

DUE_WITHIN_DAYS = 30


def _group(key: str, label, queryset, item, allowed, url: str = "") -> InboxGroup:
    total = queryset.count()
    if not total:
        return InboxGroup(key, str(label))
    rows = [row for row in queryset[:ITEMS_PER_GROUP] if allowed(row)]
    return InboxGroup(key, str(label), [item(row) for row in rows], total, url)


def loans_to_approve(user) -> InboxGroup:
    loans = (
        selectors.loan_list(user=user).filter(status=LoanStatus.SUBMITTED).exclude(created_by=user)
        if user.has_perm(Perm.APPROVE_LOAN)
        else selectors.loan_list(user=user).none()
    )
    return _group(
        "finance.loan_approvals",
        gettext_lazy("Loans to approve"),
        loans.select_related("created_by").order_by("updated_at", "pk"),
        lambda loan: InboxItem(
            title=f"{loan.reference} · {loan.borrower}",
            url=reverse("finance:loan_detail", args=[loan.pk]),
            detail=_("%(amount)s, prepared by %(user)s")
            % {"amount": money(loan.principal, loan.currency), "user": loan.created_by},
            since=loan.updated_at,
        ),
        lambda loan: services.loan_move_refusal(loan, user, "approve") is None,
        reverse("finance:loan_list") + "?status=submitted",
    )


def repayments_to_confirm(user) -> InboxGroup:
    repayments = selectors.pending_repayments(user=user)
    if not user.has_perm(Perm.RECORD_REPAYMENT):
        repayments = repayments.none()
    return _group(
        "finance.repayments_notified",
        gettext_lazy("Repayments notified by partners"),
        repayments.select_related("loan__currency"),
        lambda repayment: InboxItem(
            title=f"{repayment.loan.reference} · {repayment.loan.borrower}",
            url=reverse("finance:loan_detail", args=[repayment.loan_id]) + "#repayments",
            detail=_("%(amount)s paid on %(date)s")
            % {
                "amount": money(repayment.amount, repayment.currency),
                "date": formats.date_format(repayment.paid_on, "SHORT_DATE_FORMAT"),
            },
            since=repayment.created_at,
        ),
        lambda repayment: services.repayment_move_refusal(repayment, user, "confirm") is None,
    )


def tranches_to_approve(user) -> InboxGroup:
    tranches = selectors.tranche_list(user=user).filter(status=TrancheStatus.SCHEDULED)
    tranches = tranches.exclude(grant__created_by=user) if user.has_perm(Perm.APPROVE_TRANCHE) else tranches.none()
    return _group(
        "finance.tranche_approvals",
        gettext_lazy("Grant tranches to approve"),
        tranches.order_by("planned_on", "pk"),
        lambda tranche: InboxItem(
            title=f"{tranche.grant.reference} #{tranche.number} · {tranche.grant.recipient}",
            url=reverse("finance:grant_detail", args=[tranche.grant_id]) + "#tranches",
            detail=money(tranche.amount, tranche.grant.currency),
            since=tranche.planned_on,
        ),
        lambda tranche: services.tranche_move_refusal(tranche, user, "approve") is None,
    )


def installments_to_pay(user, today: datetime.date | None = None) -> InboxGroup:
    """A partner user's side: unpaid installments of their organisation's active loans, overdue or due within
    ``DUE_WITHIN_DAYS`` days, each leading to the loan's portal page where the payment is notified."""
    today = today_or(today)
    installments = Installment.objects.none()
    if user.has_perm(Perm.ADD_REPAYMENT) and not sees_everything(user):
        active = visible_loans(user).filter(status=LoanStatus.DISBURSED).values("pk")
        installments = Installment.objects.filter(
            UNPAID, loan__in=active, due_date__lte=today + datetime.timedelta(days=DUE_WITHIN_DAYS)
        )
    return _group(
        "finance.installments_due",
        gettext_lazy("Loan installments to pay"),
        installments.select_related("loan__currency", "loan__borrower")
        .annotate(left=OUTSTANDING)
        .order_by("due_date", "pk"),
        lambda installment: InboxItem(
            title=f"{installment.loan.reference} #{installment.number}",
            url=reverse("finance_portal:loan", args=[installment.loan_id]) + "#notify",
            detail=(_("%(amount)s overdue") if installment.due_date < today else _("%(amount)s due"))
            % {"amount": money(installment.left, installment.loan.currency)},
            since=installment.due_date,
        ),
        lambda installment: services.payment_refusal(installment.loan, user, Perm.ADD_REPAYMENT) is None,
        reverse("finance_portal:loans"),
    )


def waiting_for(user) -> list[InboxGroup]:
    return [loans_to_approve(user), repayments_to_confirm(user), tranches_to_approve(user), installments_to_pay(user)]
