"""Call and application filters, shared by the officers' list pages and the API so both answer the same question.

Rows come from ``selectors.call_list`` (annotated with ``status``: upcoming, open or closed today) and
``selectors.application_list`` (already scoped to the user and flagged for personal data); the filters only
narrow them. Choices offered (calls, programmes, partners) are those the user may see.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperation.api.filters import IdFilter
from cooperation.autocomplete import AutocompleteFilter, use_autocomplete
from cooperation.dates import EARLIEST_DATE, LATEST_DATE
from cooperation.forms import OneOfSelect, any_choices
from cooperation.list_filters import ReferenceChoiceFilter, search_filter
from cooperation.reference.models import Country
from partners.selectors import organisation_choices
from programs.scholarships.forms.activities import exchange_programmes
from programs.scholarships.models import (
    ActivityKind,
    AlumniOutcome,
    Application,
    ApplicationSource,
    ApplicationStatus,
    Call,
    CallStatus,
    ExchangeActivity,
    ExchangeStatus,
    Gender,
    Level,
    Milestone,
    StipendTranche,
    TrancheStatus,
)
from programs.scholarships.selectors import call_choices
from programs.selectors import programme_choices


def _user(request):
    return request.user if request else None


def _visible_calls(request):
    return call_choices(user=_user(request))


def _visible_partners(request):
    return organisation_choices(user=_user(request))


def technical_programmes(*, user):
    """The programmes ``user`` may pick in the calls' programme filter: the technical ones they see."""
    return programme_choices(user=user).filter(is_technical=True)


def _technical_programmes(request):
    return technical_programmes(user=_user(request))


def exchange_programme_choices(*, user):
    """The programmes ``user`` may pick in the activities' programme filter: the technical or cultural ones they
    see."""
    return programme_choices(user=user).filter(Q(is_technical=True) | Q(is_cultural=True))


def _exchange_programmes(request):
    """Those of ``exchange_programme_choices`` (drawn without a request, every one: the activities are scoped to
    the user anyway)."""
    return exchange_programme_choices(user=request.user) if request else exchange_programmes()


class CallFilter(django_filters.FilterSet):
    q = search_filter("title", "host__name")
    programme = AutocompleteFilter("technical-programmes", queryset=_technical_programmes, label=_("Programme"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"), empty_label=_("Any"))
    host = AutocompleteFilter("partners", queryset=_visible_partners, label=_("Host institution"))
    # ``status`` is the annotation of ``selectors.call_list``: the call's state today, derived from its dates.
    state = django_filters.ChoiceFilter(
        choices=CallStatus.choices, field_name="status", label=_("State"), empty_label=_("Any")
    )

    class Meta:
        model = Call
        fields = ["q", "programme", "level", "host", "state"]


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="applicant_name", lookup_expr="icontains", label=_("Applicant's name"))
    call = AutocompleteFilter("calls", queryset=_visible_calls, label=_("Call"))
    status = django_filters.MultipleChoiceFilter(choices=ApplicationStatus.choices, label=_("Status"))
    nationality = ReferenceChoiceFilter(queryset=Country.objects.all(), to_field_name="code", label=_("Nationality"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("Gender"), empty_label=_("Any"))
    field = django_filters.CharFilter(field_name="field_of_study", lookup_expr="icontains", label=_("Field of study"))
    source = django_filters.ChoiceFilter(choices=ApplicationSource.choices, label=_("Received"), empty_label=_("Any"))

    class Meta:
        model = Application
        fields = ["q", "call", "status", "nationality", "gender", "field", "source"]


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=ActivityKind.choices, label=_("Kind"))
    programme = IdFilter(field_name="programme_id", label=_("Programme id"))
    country = ReferenceChoiceFilter(queryset=Country.objects.all(), to_field_name="code", label=_("Country"))
    status = django_filters.MultipleChoiceFilter(choices=ExchangeStatus.choices, label=_("Status"))
    host = IdFilter(field_name="host_id", label=_("Host partner id"))

    class Meta:
        model = ExchangeActivity
        fields = ["kind", "programme", "country", "status", "host"]


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class ActivityListFilter(ActivityFilter):
    """The activity list page: the API's filters as the page shows them, a search and the year held."""

    q = search_filter("title", "city", label=_("Title or city"))
    year = YearFilter(
        method="filter_year",
        label=_("Year"),
        min_value=EARLIEST_DATE.year,
        max_value=LATEST_DATE.year,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Activities held at some point of that year."),
    )
    host = None  # not offered on the page

    class Meta(ActivityFilter.Meta):
        fields = ["q", "kind", "status", "programme", "country", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        fields["q"].widget = forms.TextInput(attrs={"type": "search"})
        fields["kind"].widget = OneOfSelect(choices=any_choices(ActivityKind.choices))
        fields["status"].widget = OneOfSelect(choices=any_choices(ExchangeStatus.choices))
        fields["programme"].label = _("Programme")
        use_autocomplete(self.form, "programme", "exchange-programmes", _exchange_programmes(self.request))
        fields["country"].queryset = Country.objects.filter(is_active=True)
        fields["country"].empty_label = _("Any")

    def filter_year(self, queryset, name, value):
        return queryset.filter(starts_on__lte=datetime.date(value, 12, 31), ends_on__gte=datetime.date(value, 1, 1))


def application_filter():
    return IdFilter(field_name="application_id", label=_("Application id"))


def call_filter():
    return IdFilter(field_name="application__call_id", label=_("Call id"))


class TrancheFilter(django_filters.FilterSet):
    application = application_filter()
    call = call_filter()
    status = django_filters.MultipleChoiceFilter(choices=TrancheStatus.choices, label=_("Status"))
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", label=_("Due on or before"))

    class Meta:
        model = StipendTranche
        fields = ["application", "call", "status", "due_before"]


class TrancheListFilter(TrancheFilter):
    """The stipend tranche list page: the API's filters as the page shows them, calls by their title."""

    application = None  # not offered on the page

    class Meta(TrancheFilter.Meta):
        fields = ["status", "due_before", "call"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        fields["status"].widget = OneOfSelect(choices=any_choices(TrancheStatus.choices))
        fields["due_before"].widget = forms.DateInput(
            attrs={"type": "date", "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}, format="%Y-%m-%d"
        )
        fields["call"].label = _("Call")
        use_autocomplete(self.form, "call", "calls", _visible_calls(self.request))


class OutcomeFilter(django_filters.FilterSet):
    """Alumni outcomes, on the officers' list and in the API: by call, milestone, the alumnus's nationality and
    gender, and whether they returned home."""

    call = AutocompleteFilter("calls", queryset=_visible_calls, field_name="application__call", label=_("Call"))
    milestone = django_filters.ChoiceFilter(choices=Milestone.choices, label=_("Milestone"), empty_label=_("Any"))
    country = ReferenceChoiceFilter(
        queryset=Country.objects.all(), field_name="application__nationality", to_field_name="code", label=_("Country")
    )
    gender = django_filters.ChoiceFilter(
        choices=Gender.choices, field_name="application__gender", label=_("Gender"), empty_label=_("Any")
    )
    returned = django_filters.BooleanFilter(field_name="returned_home", label=_("Returned home"))

    class Meta:
        model = AlumniOutcome
        fields = ["call", "milestone", "country", "gender", "returned"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["country"].empty_label = _("Any")
        self.form.fields["returned"].widget = forms.Select(
            choices=any_choices([("true", _("Yes")), ("false", _("No"))])
        )
