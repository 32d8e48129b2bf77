"""What the finance admins share: actions that run one service on each selected record (asking for input first
when the move needs it), and list columns that show an amount in its currency."""

from operator import attrgetter

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from programs.admin import money_display

# --- running a service on each selected record ----------------------------------------------------------------------


def _problem(error: Exception) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


def run_on_each(model_admin, request, queryset, call, done: str) -> None:
    """Call ``call(record)`` for each selected record; a refusal is reported next to the record it is about."""
    succeeded = 0
    for record in queryset:
        try:
            call(record)
        except (ValidationError, PermissionDenied) as error:
            model_admin.message_user(request, f"{record}: {_problem(error)}", messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        model_admin.message_user(request, done % {"count": succeeded}, messages.SUCCESS)


def run_with_form(model_admin, request, queryset, *, form_class, title: str, call, done: str):
    """An action that needs input (a reason, a date): ask for it on an intermediate page, then run it."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        run_on_each(model_admin, request, queryset, lambda record: call(record, **form.cleaned_data), done)
        return None  # back to the changelist, with the messages
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "records": queryset,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/finance/action_form.html", context)


def service_action(description, permission: str, call, done, *, form_class=None, title=None, records=None):
    """An admin action that runs ``call(request, record, **input)`` on each selected record (``records`` narrows
    the selection); with ``form_class`` it first asks for the input on a page titled ``title``."""

    @admin.action(description=description, permissions=[permission])
    def action(model_admin, request, queryset):
        if records is not None:
            queryset = records(queryset)
        if form_class is None:
            run_on_each(model_admin, request, queryset, lambda record: call(request, record), str(done))
            return None
        return run_with_form(
            model_admin,
            request,
            queryset,
            form_class=form_class,
            title=str(title),
            call=lambda record, **data: call(request, record, **data),
            done=str(done),
        )

    return action


def money_column(attribute: str, description, *, currency: str = "currency", ordering=None, dash_when_zero=False):
    """A list column showing ``record.<attribute>`` in the currency at ``record.<currency>`` (a dotted path)."""

    @admin.display(description=description, ordering=ordering)
    def column(model_admin, record):
        amount = getattr(record, attribute)
        if dash_when_zero and not amount:
            return "—"
        return money_display(amount, attrgetter(currency)(record))

    return column
