"""The public pages of scholarship calls: the calls open to online applications, a call's page with its form,
the confirmation link and the private status page. Nobody signs in; every write is one service of
``services.online``, and a refusal shows the form again with the error next to the field and nothing kept.

The confirmation and status links are secrets: their pages are never cached, never indexed, and send no
referrer anywhere."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cooperation.network import client_ip
from cooperation.pages import posted
from programs.scholarships import selectors
from programs.scholarships.forms.online import OnlineApplicationForm
from programs.scholarships.models import ApplicationStatus
from programs.scholarships.services import online
from programs.scholarships.services.refusals import ScholarshipRefusal

S = ApplicationStatus
_REVIEWED = gettext_lazy("Your application is eligible and is being reviewed.")
_AWARDED = gettext_lazy("You were awarded a scholarship: the programme's officers will contact you.")
_CLOSED = gettext_lazy("Your application is closed.")
# What an applicant reads under each status of their application.
STATUS_EXPLAINED = {
    S.SUBMITTED: gettext_lazy("Your application was received: the officers will check that it is eligible."),
    S.ELIGIBLE: _REVIEWED,
    S.SHORTLISTED: _REVIEWED,
    S.INELIGIBLE: gettext_lazy("Your application was found not eligible for this call."),
    S.AWARDED: _AWARDED,
    S.ACCEPTED: _AWARDED,
    S.ENROLLED: _AWARDED,
    S.COMPLETED: _AWARDED,
    S.DECLINED: _CLOSED,
    S.WITHDRAWN: _CLOSED,
    S.TERMINATED: _CLOSED,
}


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def call_list(request):
    today = timezone.localdate()
    calls = [
        call
        for call in selectors.published_calls().order_by("closes_on", "title")
        if online.accepts_online(call, today)
    ]
    return render(request, "scholarships/public/call_list.html", {"calls": calls})


@require_http_methods(["GET", "POST"])
def call_page(request, pk):
    call = selectors.public_call(pk)
    is_open = call is not None and online.accepts_online(call)
    if not is_open:
        # Closed, not yet open or not published: the page says so, with no form, and a POST is refused.
        status = 200 if request.method == "GET" else 403
        return render(request, "scholarships/public/call.html", {"call": call, "is_open": False}, status=status)
    form = OnlineApplicationForm(posted(request), request.FILES if request.method == "POST" else None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            online.online_application_send(
                call=call,
                language=translation.get_language() or "en",
                client_ip=client_ip(request),
                **form.online_values(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return redirect("scholarships_public:sent", pk=call.pk)
    return render(
        request,
        "scholarships/public/call.html",
        {
            "call": call,
            "is_open": True,
            "form": form,
            "countries": list(call.eligible_countries.order_by("name")),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def sent(request, pk):
    call = selectors.public_call(pk)
    if call is None:
        raise Http404
    return render(
        request,
        "scholarships/public/sent.html",
        {"call": call, "hours": online.setting("ONLINE_APPLICATION_CONFIRM_HOURS")},
    )


@require_GET
def confirm(request, key):
    """Opening the emailed link registers the application, once, and shows its private status link."""
    try:
        application, status_key = online.online_application_confirm(key=key)
    except ValidationError as error:
        codes = {single.code for errors in error.error_dict.values() for single in errors}
        if ScholarshipRefusal.LINK_UNKNOWN in codes:
            raise Http404 from None
        status = 410 if ScholarshipRefusal.LINK_EXPIRED in codes else 200
        return _private(
            render(request, "scholarships/public/confirm_refused.html", {"messages_": error.messages}, status=status)
        )
    return _private(
        render(
            request,
            "scholarships/public/confirmed.html",
            {
                "application": application,
                "status_url": request.build_absolute_uri(reverse("scholarships_public:status", args=[status_key])),
            },
        )
    )


@require_GET
def status(request, key):
    """The status of the one application the link stands for; nothing else."""
    application = selectors.online_status(key)
    if application is None:
        raise Http404
    return _private(
        render(
            request,
            "scholarships/public/status.html",
            {
                "application": application,
                "call": application.call,
                "explained": STATUS_EXPLAINED.get(application.status, ""),
            },
        )
    )
