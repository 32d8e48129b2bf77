"""An officer enters a partner's report on its behalf (sent on paper, by email): the same entry form as the
partner's portal, saved as a draft or submitted for review by another officer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cooperation.pages import posted, workspace_page
from cooperation.roles import Perm
from partners.selectors import organisation_get
from programs.results import selectors, services
from programs.results.forms import ReportForm
from programs.results.models import Report


def _saved(request, form: ReportForm, period, organisation, *, submit: bool) -> Report | None:
    """Open the report if it is new, save what was typed and, when asked, submit it: all of it, or nothing with
    every refusal next to its input."""
    try:
        with transaction.atomic():
            report = services.report_open(period=period, organisation=organisation, opened_by=request.user)
            services.report_save(
                report=report, saved_by=request.user, values=form.values(), narratives=form.narratives()
            )
            if submit:
                services.report_submit(report=report, submitted_by=request.user)
    except ValidationError as error:
        form.add_service_error(error)
        return None
    return report


@workspace_page(object_page=True, perm=Perm.ADD_RESULTS_REPORT)
def report_enter(request, period, organisation):
    user = request.user
    period = selectors.period_get(user=user, pk=period)
    organisation = organisation_get(user=user, pk=organisation)
    report = selectors.report_list(user=user).filter(period=period, organisation=organisation).first()
    if report is not None and (refusal := services.report_move_refusal(report, user, "save")) is not None:
        messages.error(request, refusal.message)
        return redirect("results:report_detail", pk=report.pk)
    report = report or Report(period=period, organisation=organisation)
    indicators = list(services.reported_indicators(period, organisation.pk))
    form = ReportForm(report, indicators, data=posted(request))
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        saved = _saved(request, form, period, organisation, submit=submit)
        if saved is not None:
            if submit:
                messages.success(request, _("The report was submitted for review on the partner's behalf."))
                return redirect("results:report_detail", pk=saved.pk)
            messages.success(request, _("The report was saved as a draft."))
            return redirect("results:report_enter", period=period.pk, organisation=organisation.pk)
    return render(
        request,
        "results/report_enter.html",
        {
            "form": form,
            "report": report,
            "period": period,
            "programme": period.programme,
            "organisation": organisation,
        },
    )
