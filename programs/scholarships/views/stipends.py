"""Stipend and progress report pages for officers: the tranches due with the report each one waits for, and the
reports to accept or return.

Each move is a POST to its own URL calling one service. A refusal or bad input shows the list (or the report)
again with the error next to the field, or at the top of the row, and nothing changed; never a 500.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, QuerySet, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cooperation.access import require_perm
from cooperation.forms import TranchePayForm, add_service_error
from cooperation.pages import call_move, list_page, list_view, record_page, workspace_page
from cooperation.roles import Perm
from programs.scholarships import selectors, services
from programs.scholarships.filters import TrancheListFilter
from programs.scholarships.forms.stipends import ReasonForm
from programs.scholarships.models import ReportStatus, TrancheStatus
from programs.scholarships.services.stipends import REPORT_MOVE_PERMS, TRANCHE_PERMS
from programs.scholarships.views.reviews import url_exists


@dataclass(frozen=True)
class TrancheMove:
    call: Callable
    done: str
    form_class: type[forms.Form] | None = None


TRANCHE_MOVES = {
    "approve": TrancheMove(
        lambda tranche, user: services.tranche_approve(tranche=tranche, approved_by=user),
        gettext_lazy("Tranche %(number)s of %(name)s was approved for payment."),
    ),
    "pay": TrancheMove(
        lambda tranche, user, **data: services.tranche_pay(tranche=tranche, paid_by=user, **data),
        gettext_lazy("Tranche %(number)s of %(name)s was recorded as paid."),
        TranchePayForm,
    ),
    "cancel": TrancheMove(
        lambda tranche, user, reason: services.tranche_cancel(tranche=tranche, cancelled_by=user, reason=reason),
        gettext_lazy("Tranche %(number)s of %(name)s was cancelled."),
        ReasonForm,
    ),
}


@dataclass(frozen=True)
class Refused:
    """The move on one tranche that was just refused, with its bound form or the service's message."""

    tranche_pk: int
    move: str
    form: forms.Form | None
    errors: list


def _move_form(move: str, tranche_pk: int, data=None):
    form_class = TRANCHE_MOVES[move].form_class
    return form_class(data, prefix=f"{move}-{tranche_pk}") if form_class else None


def _decorate(tranche, user, refused: Refused | None):
    """Attach the report gate and the forms of the moves ``user`` may make on this row (``services.
    tranche_move_refusal`` says which: an approval it refuses for the scholar or the report shows the reason)."""
    tranche.report_due, tranche.report_state = selectors.tranche_report_gate(tranche)
    mine = refused if refused and refused.tranche_pk == tranche.pk else None
    tranche.errors = mine.errors if mine else []
    tranche.open_move = mine.move if mine else ""
    gate = (tranche.report_due, tranche.report_state)
    approval = services.tranche_move_refusal(tranche, user, "approve", known_gate=gate)
    tranche.can_approve = approval is None or approval.offered
    tranche.approval_blocker = str(approval) if approval is not None else ""
    tranche.pay_form = tranche.cancel_form = None
    if services.tranche_move_refusal(tranche, user, "pay") is None:
        tranche.pay_form = mine.form if mine and mine.move == "pay" else _move_form("pay", tranche.pk)
    if services.tranche_move_refusal(tranche, user, "cancel") is None:
        tranche.cancel_form = mine.form if mine and mine.move == "cancel" else _move_form("cancel", tranche.pk)
    if mine and mine.form is not None and mine.form not in (tranche.pay_form, tranche.cancel_form):
        # The move is no longer offered in this status: its refusal still shows, at the top of the row.
        tranche.errors = [*tranche.errors, *mine.form.non_field_errors()]
    return tranche


def tranche_rows(request) -> tuple[TrancheListFilter, QuerySet]:
    """The list's filters and the tranches they leave, in the list's order; ``request`` needs only ``user`` and
    ``GET`` (the list's export reads the same rows)."""
    rows = selectors.tranche_queue(user=request.user)
    filters = TrancheListFilter(request.GET or None, queryset=rows, request=request)
    # Tranches still to approve or pay come first, by due date; paid and cancelled ones follow.
    open_ones = (TrancheStatus.SCHEDULED, TrancheStatus.APPROVED)
    to_act_on = Case(When(status__in=open_ones, then=Value(0)), default=Value(1))
    return filters, filters.qs.order_by(to_act_on, "due_on", "application_id", "number")


def _tranche_page(request, refused: Refused | None = None):
    user = request.user
    filters, tranches = tranche_rows(request)
    return list_page(
        request,
        "scholarships/tranche_list.html",
        tranches,
        name="tranches",
        prepare=lambda rows: [_decorate(tranche, user, refused) for tranche in rows],
        filters=filters.form,
        query=request.GET.urlencode(),
        refused=refused,
        application_page=url_exists("scholarships:application_detail"),
    )


@workspace_page(perm=Perm.VIEW_STIPEND)
def tranche_list(request):
    return _tranche_page(request)


@require_POST
@workspace_page(object_page=True)
def tranche_move(request, pk, move: str):
    """One of ``TRANCHE_MOVES`` on a tranche of the list (the URL names it ``move``)."""
    tranche = selectors.tranche_get(user=request.user, pk=pk)
    spec = TRANCHE_MOVES[move]
    require_perm(request.user, TRANCHE_PERMS[move])
    form = _move_form(move, tranche.pk, request.POST)
    errors = []
    if form is None or form.is_valid():
        refusal = call_move(spec, tranche, request.user, form)
        if refusal is None:
            messages.success(
                request, spec.done % {"number": tranche.number, "name": tranche.application.applicant_name}
            )
            query = request.GET.urlencode()
            return redirect(reverse("scholarships:tranche_list") + (f"?{query}" if query else "") + f"#tranche-{pk}")
        if form is None:
            errors = refusal.messages
    return _tranche_page(request, Refused(tranche.pk, move, form, errors))


# --- Progress reports ---------------------------------------------------------------------------------------------


report_list = list_view(
    "scholarships/report_list.html",
    selectors.report_queue,
    name="reports",
    perm=Perm.VIEW_PROGRESS_REPORT,
    ReportStatus=ReportStatus,
)


def _report_page(request, report, *, return_form=None, errors=()):
    user = request.user
    can_decide = services.report_decide_refusal(report, user) is None
    return render(
        request,
        "scholarships/report_detail.html",
        {
            "report": report,
            "scholar": report.application,
            "can_decide": can_decide,
            "return_form": (return_form or ReasonForm(prefix="return")) if can_decide else None,
            "return_open": return_form is not None,
            "errors": list(errors),
            "other_reports": selectors.progress_report_list(user=user, application=report.application).exclude(
                pk=report.pk
            ),
            "application_page": url_exists("scholarships:application_detail"),
        },
    )


report_detail = record_page(selectors.progress_report_get, _report_page, perm=Perm.VIEW_PROGRESS_REPORT)


@require_POST
@workspace_page(object_page=True)
def report_accept(request, pk):
    report = selectors.progress_report_get(user=request.user, pk=pk)
    require_perm(request.user, REPORT_MOVE_PERMS["accept"])
    try:
        services.progress_report_accept(report=report, accepted_by=request.user)
    except ValidationError as error:
        return _report_page(request, selectors.progress_report_get(user=request.user, pk=pk), errors=error.messages)
    messages.success(request, _("The report was accepted; the stipend tranches waiting for it can now be approved."))
    return redirect("scholarships:report_detail", pk=report.pk)


@require_POST
@workspace_page(object_page=True)
def report_return(request, pk):
    report = selectors.progress_report_get(user=request.user, pk=pk)
    require_perm(request.user, REPORT_MOVE_PERMS["return"])
    form = ReasonForm(request.POST, prefix="return")
    if form.is_valid():
        try:
            services.progress_report_return(report=report, returned_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The report was returned to the host institution with your reason."))
            return redirect("scholarships:report_detail", pk=report.pk)
    report = selectors.progress_report_get(user=request.user, pk=pk)
    if report.status != ReportStatus.SUBMITTED:
        # Decided meanwhile: the form is gone, so its refusal goes to the top of the page.
        return _report_page(request, report, errors=form.non_field_errors())
    return _report_page(request, report, return_form=form)
