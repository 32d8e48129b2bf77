"""The officers' budget pages: a programme's budget against its actuals with its expenditures, a line with its
revisions, the forms to add and revise lines and record expenditures, and the receipts' downloads.

Readers are officers, managers and auditors; partner users get a 404 whatever they ask for."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cooperation.pages import form_page, list_page, posted, workspace_page
from cooperation.roles import Perm
from programs.budgets import selectors, services
from programs.budgets.forms import BudgetLineForm, ExpenditureForm
from programs.budgets.receipts import receipt_response
from programs.budgets.risk import receipt_deadline
from programs.budgets.selectors import without_receipt_before


def programme_url(programme_id: int, anchor: str = "") -> str:
    return reverse("budgets:programme", args=[programme_id]) + anchor


@workspace_page(object_page=True, perm=Perm.VIEW_BUDGET_LINE)
def programme(request, pk):
    user = request.user
    record = selectors.programme_for_budget(user=user, pk=pk)
    expenditures = listed_expenditures(user, {}, programme_id=record.pk)
    return list_page(
        request,
        "budgets/programme.html",
        expenditures,
        name="expenditures",
        programme=record,
        budget=selectors.programme_budget(user=user, programme=record),
        can_add_line=user.has_perm(Perm.ADD_BUDGET_LINE),
        can_add_expenditure=user.has_perm(Perm.ADD_EXPENDITURE),
        can_read_expenditures=user.has_perm(Perm.VIEW_EXPENDITURE),
    )


def _line_done(line):
    return _("The budget line was saved."), reverse("budgets:line_detail", args=[line.pk])


@workspace_page(object_page=True, perm=Perm.ADD_BUDGET_LINE)
def line_create(request, pk):
    record = selectors.programme_for_budget(user=request.user, pk=pk)
    form = BudgetLineForm(posted(request))
    context = {"programme": record, "line": None}
    return form_page(
        request,
        form,
        services.line_create,
        done=_line_done,
        template="budgets/line_form.html",
        context=context,
        programme=record,
        created_by=request.user,
    )


@workspace_page(object_page=True)
def line_detail(request, pk):
    line = selectors.line_get(user=request.user, pk=pk)
    return render(
        request,
        "budgets/line_detail.html",
        {
            "line": line,
            "programme": line.programme,
            "revisions": selectors.line_revisions(line),
            "can_change": request.user.has_perm(Perm.CHANGE_BUDGET_LINE),
        },
    )


@workspace_page(object_page=True, perm=Perm.CHANGE_BUDGET_LINE)
def line_edit(request, pk):
    line = selectors.line_get(user=request.user, pk=pk)
    form = BudgetLineForm(posted(request), instance=line)
    return form_page(
        request,
        form,
        services.line_update,
        done=_line_done,
        template="budgets/line_form.html",
        context={"programme": line.programme, "line": line},
        refused=line.refresh_from_db,
        line=line,
        updated_by=request.user,
    )


def _expenditure_done(expenditure):
    return _("The expenditure was saved."), reverse("budgets:expenditure_detail", args=[expenditure.pk])


@workspace_page(object_page=True, perm=Perm.ADD_EXPENDITURE)
def expenditure_create(request, pk):
    record = selectors.programme_for_budget(user=request.user, pk=pk, perm=Perm.VIEW_EXPENDITURE)
    form = ExpenditureForm(posted(request), request.FILES or None, programme=record)
    return form_page(
        request,
        form,
        services.expenditure_create,
        done=_expenditure_done,
        template="budgets/expenditure_form.html",
        context={"programme": record, "expenditure": None},
        programme=record,
        recorded_by=request.user,
    )


@workspace_page(object_page=True)
def expenditure_detail(request, pk):
    expenditure = selectors.expenditure_get(user=request.user, pk=pk)
    return render(
        request,
        "budgets/expenditure_detail.html",
        {
            "expenditure": expenditure,
            "programme": expenditure.programme,
            "receipt_late": not expenditure.has_receipt and expenditure.spent_on < receipt_deadline(),
            "can_change": request.user.has_perm(Perm.CHANGE_EXPENDITURE),
            "history": selectors.expenditure_history(user=request.user, expenditure=expenditure),
        },
    )


@workspace_page(object_page=True, perm=Perm.CHANGE_EXPENDITURE)
def expenditure_edit(request, pk):
    expenditure = selectors.expenditure_get(user=request.user, pk=pk)
    programme = expenditure.programme
    form = ExpenditureForm(posted(request), request.FILES or None, instance=expenditure, programme=programme)
    return form_page(
        request,
        form,
        services.expenditure_update,
        done=_expenditure_done,
        template="budgets/expenditure_form.html",
        context={"programme": expenditure.programme, "expenditure": expenditure},
        refused=expenditure.refresh_from_db,
        expenditure=expenditure,
        updated_by=request.user,
    )


@workspace_page(object_page=True)
def receipt_download(request, pk):
    """The receipt, to whoever may read the expenditure; a 404 for anyone else."""
    return receipt_response(selectors.expenditure_get(user=request.user, pk=pk))


def is_id(value: str) -> bool:
    return value.isdigit() and len(value) < 19


def listed_expenditures(user, query, *, programme_id: int | None = None):
    """The expenditures a list shows (of one programme when ``programme_id`` is given), narrowed by the list's
    ``query``: ``payee`` (a partner's id) and ``receipt=missing``, as the partner's risk flag links here."""
    rows = selectors.expenditure_list(user=user)
    if programme_id is not None:
        rows = rows.filter(programme_id=programme_id)
    payee = query.get("payee", "")
    if is_id(payee):
        rows = rows.filter(payee_organisation_id=int(payee))
    if query.get("receipt") == "missing":
        rows = rows.filter(without_receipt_before(receipt_deadline()))
    return rows


@workspace_page(perm=Perm.VIEW_EXPENDITURE)
def expenditure_list(request):
    """Expenditures of every programme, narrowed as ``listed_expenditures`` says."""
    rows = listed_expenditures(request.user, request.GET)
    missing = request.GET.get("receipt") == "missing"
    return list_page(request, "budgets/expenditure_list.html", rows, name="expenditures", missing=missing)
