"""Crisis moratoria: the officer proposes one and previews every affected loan, a manager approves the batch."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.forms import add_service_error
from cooperation.pages import PageMove, list_view, posted, record_actions, record_views, service_call, workspace_page
from cooperation.roles import Perm
from programs.finance import selectors
from programs.finance.forms import MoratoriumForm, ReasonForm
from programs.finance.models import Moratorium, RestructuringStatus
from programs.finance.services import moratoria as services

MORATORIUM_PAGE_MOVES = {
    "approve": PageMove(
        gettext_lazy("Approve and apply to every loan"),
        service_call(services.moratorium_approve, "moratorium", "approved_by"),
        gettext_lazy("The moratorium %(title)s was approved; every affected loan has its new schedule."),
    ),
    "reject": PageMove(
        gettext_lazy("Reject"),
        service_call(services.moratorium_reject, "moratorium", "rejected_by"),
        gettext_lazy("The moratorium %(title)s was rejected."),
        form_class=ReasonForm,
        danger=True,
    ),
}

moratorium_list = list_view(
    "finance/moratorium_list.html",
    selectors.moratorium_list,
    name="moratoria",
    perm=Perm.VIEW_LOAN,
    add_perm=Perm.CHANGE_LOAN,
)


@workspace_page(perm=Perm.CHANGE_LOAN)
def moratorium_create(request):
    """Propose a moratorium; "Preview" lists every affected loan's before and after without saving."""
    form = MoratoriumForm(posted(request))
    preview = None
    today = timezone.localdate()
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = services.moratorium_preview(Moratorium(**form.cleaned_data), today=today)
        else:
            try:
                moratorium = services.moratorium_propose(proposed_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("The moratorium %(title)s was proposed; a manager approves it.") % {"title": moratorium.title},
                )
                return redirect("finance:moratorium_detail", pk=moratorium.pk)
    return render(request, "finance/moratorium_form.html", {"form": form, "preview": preview, "today": today})


def _moratorium_page(request, moratorium, refused=None):
    today = timezone.localdate()
    proposed = moratorium.status == RestructuringStatus.PROPOSED
    restructurings = selectors.restructuring_list(user=request.user).filter(moratorium=moratorium)
    return render(
        request,
        "finance/moratorium_detail.html",
        {
            "moratorium": moratorium,
            "preview": services.moratorium_preview(moratorium, today=today) if proposed else None,
            "restructurings": restructurings.order_by("loan__reference"),
            "applied_totals": selectors.applied_totals(restructurings),
            "actions": record_actions(
                moratorium,
                request.user,
                MORATORIUM_PAGE_MOVES,
                guard=services.moratorium_move_refusal,
                url_name="finance:moratorium_{name}",
                refused=refused,
            ),
            "today": today,
        },
    )


moratorium_detail, moratorium_move = record_views(
    perm=Perm.VIEW_LOAN,
    get=selectors.moratorium_get,
    moves=MORATORIUM_PAGE_MOVES,
    perms=services.MORATORIUM_MOVE_PERMS,
    show_page=_moratorium_page,
    page_url="finance:moratorium_detail",
    done_values=lambda moratorium: {"title": moratorium.title},
)
