"""Officer pages for exchange rates: the list, one rate entered or corrected, a CSV file imported."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation import exchange
from cooperation.pages import Column, form_page, list_view, posted, workspace_page
from cooperation.reference import selectors, services
from cooperation.reference.filters import ExchangeRateFilter
from cooperation.reference.forms import ExchangeRateCorrectionForm, ExchangeRateForm, RateFileForm
from cooperation.reference.rate_import import read_rates
from cooperation.roles import Perm

PREVIEW_ROWS = 20

RATE_COLUMNS = [
    Column(gettext_lazy("Date")),
    Column(gettext_lazy("From")),
    Column(gettext_lazy("To")),
    Column(gettext_lazy("Rate"), numeric=True),
    Column(gettext_lazy("Source")),
    Column(gettext_lazy("Entered by")),
]


rate_list = list_view(
    "reference/rate_list.html",
    selectors.exchange_rate_list,
    name="rates",
    perm=Perm.VIEW_EXCHANGE_RATE,
    add_perm=Perm.ADD_EXCHANGE_RATE,
    filters=ExchangeRateFilter,
    main=("currency", "date_from", "date_until"),
    columns=RATE_COLUMNS,
    # Read when the page is drawn, not when the module is imported.
    reporting_currency=lazy(exchange.reporting_currency, str)(),
    max_age_days=lazy(exchange.max_age_days, int)(),
)


@workspace_page(perm=Perm.ADD_EXCHANGE_RATE)
def rate_create(request):
    return form_page(
        request,
        ExchangeRateForm(posted(request)),
        services.exchange_rate_create,
        done=lambda saved: (_("The rate of %(rate)s was saved.") % {"rate": saved}, reverse("rates:list")),
        template="reference/rate_form.html",
        context={"exchange_rate": None},
        created_by=request.user,
    )


@workspace_page(object_page=True, perm=Perm.CHANGE_EXCHANGE_RATE)
def rate_edit(request, pk):
    exchange_rate = selectors.exchange_rate_get(user=request.user, pk=pk)
    return form_page(
        request,
        ExchangeRateCorrectionForm(posted(request), instance=exchange_rate),
        partial(services.exchange_rate_update, exchange_rate=exchange_rate, updated_by=request.user),
        done=lambda saved: (_("The rate of %(rate)s was corrected.") % {"rate": saved}, reverse("rates:list")),
        template="reference/rate_form.html",
        context={"exchange_rate": exchange_rate},
        refused=exchange_rate.refresh_from_db,
    )


@workspace_page(perm=Perm.ADD_EXCHANGE_RATE)
def rate_import(request):
    """Upload: every line checked, the problems or a preview shown. Save: the same text checked again, saved whole."""
    form = RateFileForm(posted(request), request.FILES if request.method == "POST" else None)
    checked = None
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["file_name"]
        checked = read_rates(form.cleaned_data["content"], default_source=_("CSV import %(file)s") % {"file": name})
        if checked.ok and form.cleaned_data.get("file"):
            form = RateFileForm(initial=_preview_initial(form.cleaned_data))
        elif checked.ok and "save" in request.POST:
            saved = _save(request, checked, form)
            if saved is not None:
                return saved
    return render(
        request,
        "reference/rate_import.html",
        {"form": form, "checked": checked, "preview": checked.rows[:PREVIEW_ROWS] if checked else []},
    )


def _preview_initial(cleaned: dict) -> dict:
    content = cleaned["content"]
    if isinstance(content, bytes):
        content = content.decode("utf-8-sig")
    return {"content": content, "file_name": cleaned["file_name"]}


def _save(request, checked, form):
    try:
        created = services.exchange_rates_import(created_by=request.user, rows=checked.rows)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, _("%(count)d exchange rates were saved.") % {"count": len(created)})
    return redirect("rates:list")
