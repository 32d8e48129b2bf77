"""Partner portal pages for money: the organisation's loans and their schedules, repayments, grants and messages.

A partner user reads only what the finance selectors let them see (their own
organisation's loans and grants); any other id answers 404. The one write, a
payment notification, goes through ``repayment_notify`` and waits as pending
until an officer confirms it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import DateField, DecimalField, ExpressionWrapper, F, OuterRef, Prefetch, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.api.pagination import FromEitherEndPaginator
from cooperation.money import MONEY_DIGITS
from cooperation.roles import Perm
from cooperation.templatetags.kerjasama import money
from partners.notifications import notifications_mark_read
from programs.finance import selectors, services
from programs.finance.forms import RepaymentForm
from programs.finance.models import Installment, Tranche
from programs.portal.access import portal_page

LOANS_PER_PAGE = 25
GRANTS_PER_PAGE = 10
NOTIFICATIONS_PER_PAGE = 20


def _next_due(loans):
    """Annotate each loan with the due date and amount still owed of its oldest unpaid installment."""
    unpaid = (
        Installment.objects.filter(selectors.UNPAID, loan=OuterRef("pk"))
        .order_by("number")
        .annotate(
            left=ExpressionWrapper(
                F("principal_due") + F("interest_due") - F("principal_paid") - F("interest_paid"),
                output_field=DecimalField(**MONEY_DIGITS),
            )
        )
    )
    return loans.annotate(
        next_due_on=Subquery(unpaid.values("due_date")[:1], output_field=DateField()),
        next_due_amount=Subquery(unpaid.values("left")[:1], output_field=DecimalField(**MONEY_DIGITS)),
    )


def own_loans(user):
    """The loans of the portal's list (and its export): the organisation's own, newest first, with the next
    installment due."""
    return _next_due(selectors.loan_list(user=user)).order_by("-created_at", "-pk")


@portal_page(perm=Perm.VIEW_LOAN)
def loan_list(request):
    page = FromEitherEndPaginator(own_loans(request.user), LOANS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "finance/portal/loan_list.html", {"page_obj": page, "loans": page.object_list})


def _can_notify(user, loan) -> bool:
    return services.payment_refusal(loan, user, Perm.ADD_REPAYMENT) is None


def _render_loan(request, loan, form, *, status=200):
    whole = request.GET.get("schedule") == "all"
    summary = selectors.loan_schedule_summary(loan=loan, shown=None if whole else selectors.SCHEDULE_SHOWN)
    shown = selectors.loan_schedule(loan=loan, today=timezone.localdate()).filter(
        number__range=(summary.first, summary.last)
    )
    context = {
        "loan": loan,
        "installments": list(shown) if summary.count else [],
        "totals": summary,
        "schedule_shown": selectors.SCHEDULE_SHOWN,
        "repayments": selectors.repayment_list(user=request.user, loan=loan).order_by("-paid_on", "-created_at"),
        "form": form,
        "can_notify": _can_notify(request.user, loan),
        # What changed the schedule: restructurings applied (or applied, then reversed), not proposals.
        "restructurings": list(
            selectors.restructuring_list(user=request.user, loan=loan)
            .filter(effective_on__isnull=False)
            .select_related("moratorium")
            .order_by("-effective_on", "-pk")
        ),
    }
    return render(request, "finance/portal/loan_detail.html", context, status=status)


def _notify_form(loan, data=None) -> RepaymentForm:
    form = RepaymentForm(data, loan=loan, prefix="notify")
    form.fields["reference"].help_text = _("The reference of your bank transfer, so we can find the payment.")
    return form


@portal_page()
def loan_detail(request, pk):
    loan = selectors.loan_get(user=request.user, pk=pk)
    return _render_loan(request, loan, _notify_form(loan))


@portal_page(methods=("POST",))
def notify_payment(request, pk):
    # Through the selector first: another organisation's loan is a 404 before any input is read.
    loan = selectors.loan_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.ADD_REPAYMENT)
    form = _notify_form(loan, request.POST)
    if form.is_valid():
        try:
            repayment = services.repayment_notify(loan=loan, notified_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Thank you: your payment of %(amount)s is noted and waits for confirmation by our finance officer.")
                % {"amount": money(repayment.amount, repayment.currency)},
            )
            return redirect(reverse("finance_portal:loan", args=[loan.pk]) + "#repayments")
    return _render_loan(request, loan, form)


def own_grants(user):
    """The grants of the portal's list (and its export): the organisation's own, newest first, with their
    tranches."""
    tranches = Prefetch("tranches", queryset=Tranche.objects.order_by("number"))
    return selectors.grant_list(user=user).prefetch_related(tranches).order_by("-created_at", "-pk")


@portal_page(perm=Perm.VIEW_GRANT)
def grant_list(request):
    page = FromEitherEndPaginator(own_grants(request.user), GRANTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "finance/portal/grant_list.html", {"page_obj": page, "grants": page.object_list})


@portal_page()
def grant_detail(request, pk):
    grant = selectors.grant_get(user=request.user, pk=pk)
    return render(request, "finance/portal/grant_detail.html", {"grant": grant, "tranches": grant.tranches.all()})


@portal_page(perm=Perm.VIEW_NOTIFICATION)
def notification_list(request):
    notifications = selectors.notification_list(user=request.user).order_by("-created_at", "-pk")
    page = FromEitherEndPaginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    # Shown means read; the page still marks the ones that were new until now.
    notifications_mark_read(notifications=shown, user=request.user)
    return render(request, "finance/portal/notification_list.html", {"page_obj": page, "notifications": shown})
