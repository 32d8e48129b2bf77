"""What the finance admins share: actions that run one service on each selected record (asking for input first
when the move needs it), and list columns that show an amount in its currency."""

from collections.abc import Callable
from operator import attrgetter
from typing import NamedTuple

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


class AdminMove(NamedTuple):
    """One admin action: ``service(<record>=record, <by>=user, **input)`` on each selected record.

    ``permission`` names the admin's ``has_<permission>_permission``; ``done`` is said with the count that
    succeeded; ``ask`` = (form class, page title) when the move needs input first; ``records`` narrows the
    selection."""

    description: str
    permission: str
    service: Callable
    by: str
    done: str
    ask: tuple | None = None
    records: Callable | None = None


def service_action(record: str, move: AdminMove):
    """The admin action running ``move`` on each selected record, passed to its service as ``record``."""

    def call(request, each, **data):
        return move.service(**{record: each, move.by: request.user}, **data)

    @admin.action(description=move.description, permissions=[move.permission])
    def action(model_admin, request, queryset):
        if move.records is not None:
            queryset = move.records(queryset)
        if move.ask is None:
            run_on_each(model_admin, request, queryset, lambda each: call(request, each), str(move.done))
            return None
        form_class, title = move.ask
        return run_with_form(
            model_admin,
            request,
            queryset,
            form_class=form_class,
            title=str(title),
            call=lambda each, **data: call(request, each, **data),
            done=str(move.done),
        )

    return action


def service_actions(record: str, moves: dict[str, AdminMove]):
    """A class decorator: the admin's ``actions`` are the rows of ``moves``, each run by ``service_action``."""

    def decorate(admin_class):
        for name, move in moves.items():
            setattr(admin_class, name, service_action(record, move))
        admin_class.actions = tuple(moves)
        return admin_class

    return decorate


def money_column(attribute: str, description, *, currency: str = "currency", ordering=None, dash_when_zero=False):
    """A list column showing ``record.<attribute>`` in the currency at ``record.<currency>`` (a dotted path)."""

    @admin.display(description=description, ordering=ordering)
    def column(model_admin, record):
        amount = getattr(record, attribute)
        if dash_when_zero and not amount:
            return "—"
        return money_display(amount, attrgetter(currency)(record))

    return column
