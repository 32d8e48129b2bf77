"""Partner portal pages for results: the reports the partner owes and has sent, filling one in (saved as a draft as
often as the partner likes, then submitted), its evidence files, and a sent report read back.

Every page reads through the results selectors narrowed to the user's own organisations, so another partner's
period, report or file is a 404 before any input is read. Writes call one service each; their refusals come back
next to the field with nothing saved. The pages are small and work without JavaScript; ``keep-draft.js`` only
keeps what is typed in the browser until the server has it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.forms import add_service_error
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.portal.access import portal_page
from programs.portal.selectors import portal_organisations
from programs.results import selectors, services
from programs.results.files import evidence_response
from programs.results.forms import ReportForm
from programs.results.models import Evidence, PeriodTarget, ReportStatus
from programs.results.portal_forms import EvidenceForm

SENT_PER_PAGE = 25
SENT = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def own_reports(user):
    """The reports of the user's own organisations (the portal shows one side of things, even to staff)."""
    return selectors.report_list(user=user).filter(organisation_id__in=user_organisation_ids(user))


def report_url(period_id: int, organisation_id: int) -> str:
    return f"{reverse('results_portal:report', args=[period_id])}?organisation={organisation_id}"


# --- what is due, what was sent ----------------------------------------------------------------------------------


def sent_reports(user):
    """The reports the user's organisations have sent, the latest period first (the page's list and its export)."""
    return own_reports(user).filter(status__in=SENT).order_by("-period__starts_on", "organisation__name", "pk")


@portal_page(perm=Perm.VIEW_RESULTS_REPORT)
def due(request):
    today = timezone.localdate()
    owed = selectors.reports_due(user=request.user, today=today)
    sent = sent_reports(request.user)
    page = Paginator(sent, SENT_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "due": [(entry, report_url(entry.period.pk, entry.organisation.pk)) for entry in owed],
        "page_obj": page,
        "sent": page.object_list,
        "today": today,
    }
    return render(request, "results/portal/due.html", context)


# --- the report form ---------------------------------------------------------------------------------------------


def _organisation(request, period):
    """The organisation the user reports for in ``period``: the one asked for (one of their own, else 404), or
    their only reporting organisation; None when they must choose among several."""
    own = user_organisation_ids(request.user)
    asked = request.GET.get("organisation")
    if asked:
        if not asked.isdigit() or int(asked) not in own:
            raise Http404
        return portal_organisations(user=request.user).get(pk=int(asked))
    reporting = [pk for pk in own if services.reported_indicators(period, pk).exists()]
    if not reporting:
        raise Http404
    if len(reporting) > 1:
        return None
    return portal_organisations(user=request.user).get(pk=reporting[0])


def _indicators(report):
    targets = PeriodTarget.objects.filter(period_id=report.period_id)
    return list(
        services.reported_indicators(report.period, report.organisation_id).prefetch_related(
            Prefetch("targets", queryset=targets, to_attr="period_targets")
        )
    )


def _report_form(report, data=None) -> ReportForm:
    return ReportForm(
        report, _indicators(report), data, narrative_label=_("What happened for this result"), unit_in_label=True
    )


def _report_page(request, report, *, form=None, evidence_form=None, status=200):
    context = {
        "report": report,
        "period": report.period,
        "programme": report.period.programme,
        "form": form or _report_form(report),
        "evidence": list(report.evidence.all()),
        "evidence_form": evidence_form or EvidenceForm(),
        "form_url": report_url(report.period_id, report.organisation_id),
        "overdue": report.period.due_on < timezone.localdate(),
    }
    return render(request, "results/portal/report_form.html", context, status=status)


@portal_page(perm=Perm.ADD_RESULTS_REPORT, methods=("GET", "POST"))
def report(request, pk):
    period = selectors.period_get(user=request.user, pk=pk)
    organisation = _organisation(request, period)
    if organisation is None:
        choices = [
            (org, report_url(period.pk, org.pk))
            for org in portal_organisations(user=request.user)
            if services.reported_indicators(period, org.pk).exists()
        ]
        return render(request, "results/portal/report_choose.html", {"period": period, "choices": choices})
    try:
        report = services.report_open(
            period=period, organisation=organisation, opened_by=request.user, today=timezone.localdate()
        )
    except ValidationError as error:
        refused = " ".join(message for messages_ in error.message_dict.values() for message in messages_)
        return render(request, "results/portal/report_refused.html", {"period": period, "refused": refused})
    if services.report_move_refusal(report, request.user, "save") is not None:
        return redirect("results_portal:report_detail", pk=report.pk)
    if request.method != "POST":
        return _report_page(request, report)
    return _report_post(request, report)


def _report_post(request, report):
    form = _report_form(report, request.POST)
    submitting = request.POST.get("action") == "submit"
    if not form.is_valid():
        return _report_page(request, report, form=form)
    try:
        report = services.report_save(
            report=report, saved_by=request.user, values=form.values(), narratives=form.narratives()
        )
    except ValidationError as error:
        form.add_service_error(error)
        return _report_page(request, report, form=form)
    if not submitting:
        messages.success(request, _("Your draft is saved. You can come back to it at any time."))
        return redirect(report_url(report.period_id, report.organisation_id))
    try:
        services.report_submit(report=report, submitted_by=request.user)
    except ValidationError as error:
        form.add_service_error(error)
        form.add_error(None, _("Your draft is saved, but it cannot be submitted yet."))
        return _report_page(request, report, form=form)
    messages.success(request, _("Thank you: the report is submitted for the agency to review."))
    return redirect("results_portal:report_detail", pk=report.pk)


@portal_page(perm=Perm.VIEW_RESULTS_REPORT)
def report_detail(request, pk):
    report = get_object_or_404(own_reports(request.user), pk=pk)
    context = {
        "report": report,
        "period": report.period,
        "programme": report.period.programme,
        "groups": _report_form(report).rows(),
        "evidence": list(report.evidence.all()),
        "can_edit": services.report_move_refusal(report, request.user, "save") is None,
        "form_url": report_url(report.period_id, report.organisation_id),
    }
    return render(request, "results/portal/report_detail.html", context)


# --- evidence files ----------------------------------------------------------------------------------------------


def _evidence_get(user, pk) -> Evidence:
    return get_object_or_404(Evidence.objects.filter(report__in=own_reports(user)).select_related("report"), pk=pk)


@portal_page(perm=Perm.ADD_RESULTS_REPORT, methods=("POST",))
def evidence_add(request, pk):
    report = get_object_or_404(own_reports(request.user), pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(report=report, uploaded_by=request.user, file=form.cleaned_data["file"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The file is added to the report."))
            return redirect(report_url(report.period_id, report.organisation_id))
    refusal = services.report_move_refusal(report, request.user, "save")
    if refusal is not None:
        messages.error(request, str(refusal))
        return redirect("results_portal:report_detail", pk=report.pk)
    return _report_page(request, report, evidence_form=form)


@portal_page(perm=Perm.ADD_RESULTS_REPORT, methods=("POST",))
def evidence_remove(request, pk):
    evidence = _evidence_get(request.user, pk)
    report = evidence.report
    try:
        services.evidence_remove(evidence=evidence, removed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is removed from the report.") % {"name": evidence.original_name})
    return redirect(report_url(report.period_id, report.organisation_id))


@portal_page()
def evidence_download(request, pk):
    """Stream one private file to the reporting partner's users; 404 for anyone else, so nobody learns whether
    the file exists."""
    evidence = _evidence_get(request.user, pk)
    return evidence_response(evidence)
