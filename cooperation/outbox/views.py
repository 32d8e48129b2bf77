"""The "Send again" button of a failed message, on whichever record page lists it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperation.outbox import selectors, services
from cooperation.pages import workspace_page


def _back(request):
    """Back to the page the button was on: a path of this site only, else the home page."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect("home")


@require_POST
@workspace_page(object_page=True)
def message_resend(request, pk):
    message = selectors.message_get(user=request.user, pk=pk)
    try:
        services.outbox_message_retry(message=message, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        notice = _("The message to %(recipient)s will be sent again.") % {"recipient": message.recipient}
        messages.success(request, notice)
    return _back(request)
