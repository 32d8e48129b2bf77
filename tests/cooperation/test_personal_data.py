"""Personal data is declared once per model, and no admin of the project can forget it.

Every registered ModelAdmin (the project's and the libraries') is walked with every path that reaches a personal
field within a few relations: an auditor can neither filter on it, search it, list it nor sort by it. The system
check refuses at startup an admin that would show, filter, sort or search personal data unguarded.
"""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.test import RequestFactory

from cooperation import personal_data
from cooperation.admin import PersonalDataAdminMixin, check_personal_data, personal_data_errors
from programs.scholarships.models import Application, Attachment, Review, Score, StipendTranche

pytestmark = pytest.mark.django_db

# Relations followed from each admin's model: ?a__b__c__email is the longest lookup checked.
DEPTH = 3


def test_the_project_declares_its_personal_data():
    declared = {model: personal_data.personal_fields(model) for model in personal_data.personal_models()}
    assert declared[Application] == {"email", "email_key", "date_of_birth"}
    assert {"file", "original_name", "application"} <= declared[Attachment]
    assert Application.history.model in declared  # the change history holds the same data
    assert personal_data.unruled_models() == []


@pytest.mark.parametrize(
    ("model", "lookup", "prefix", "holder"),
    [
        (Application, "email", "", Application),
        (Application, "email__istartswith", "", Application),
        (Application, "^email", "", Application),
        (Application, "-date_of_birth", "", Application),
        (Application, "date_of_birth__year__gte", "", Application),
        (Application, "attachments__isnull", "attachments", Attachment),
        (Application, "attachments", "attachments", Attachment),
        (Review, "application__email", "application", Application),
        (Score, "review__application__date_of_birth__month", "review__application", Application),
        (StipendTranche, "application__attachments__original_name", "application__attachments", Attachment),
        (Attachment, "original_name__icontains", "", Attachment),
        (Attachment, "application_id", "", Attachment),
    ],
)
def test_a_lookup_is_traced_to_the_personal_data_it_reaches(model, lookup, prefix, holder):
    path = personal_data.personal_path(model, lookup)
    assert path is not None and (path.prefix, path.model) == (prefix, holder)
    assert path.narrowable is ("attachments" not in prefix)


@pytest.mark.parametrize(
    ("model", "lookup"),
    [
        (Application, "applicant_name__icontains"),
        (Application, "status"),
        (Application, "call__title"),
        (Application, "submitted_on__year"),
        (Review, "application__status"),
        (Review, "application"),
        (Application, "nonsense__email"),
        (Application, "pk__in"),
    ],
)
def test_other_lookups_reach_no_personal_data(model, lookup):
    assert personal_data.personal_path(model, lookup) is None


def _requests(auditor):
    request = RequestFactory().get("/admin/")
    request.user = auditor
    return request


def test_every_admin_refuses_every_personal_lookup_to_the_auditor(auditor):
    request = _requests(auditor)
    walked, failures = 0, []
    for model, model_admin in admin.site._registry.items():
        name = type(model_admin).__qualname__
        for path in personal_data.reachable_paths(model, depth=DEPTH):
            for lookup in (path, f"{path}__isnull", f"{path}__in", f"{path}__gte"):
                walked += 1
                if model_admin.lookup_allowed(lookup, "1", request):
                    failures.append(f"{name} lets the auditor filter by {lookup}")
        shown = {
            "search": model_admin.get_search_fields(request),
            "list": model_admin.get_list_display(request),
            "filter": model_admin.get_list_filter(request),
            "ordering": model_admin.get_ordering(request) or (),
            "sortable": model_admin.get_sortable_by(request) or (),
        }
        # A wholly personal model's admin lists only the rows the user may see: its own fields are safe there.
        own_rows = personal_data.is_wholly_personal(model) and isinstance(model_admin, PersonalDataAdminMixin)
        for option, entries in shown.items():
            for entry in entries:
                entry = entry[0] if isinstance(entry, list | tuple) else entry
                if isinstance(entry, str) and personal_data.personal_path(model, entry) and not own_rows:
                    failures.append(f"{name} {option} uses {entry}")
    assert failures == [], "\n".join(failures)
    assert walked > 1000  # the walk reached the personal fields from many admins, not from none


def test_guarded_admins_let_holders_filter_their_own_rows_only(manager):
    """Holders of the permission may filter on personal data (the list is then narrowed to the rows they may see);
    never through a to-many relation, where another related row could match."""
    request = _requests(manager)
    applications = admin.site._registry[Application]
    assert applications.lookup_allowed("email__istartswith", "a", request)
    assert applications.lookup_allowed("date_of_birth", "2000-01-01", request)
    assert not applications.lookup_allowed("attachments__isnull", "True", request)
    assert "email" in applications.get_search_fields(request)


def test_the_project_passes_the_personal_data_check():
    assert check_personal_data() == []


def test_the_check_refuses_an_admin_that_forgets():
    site = AdminSite(name="forgetful")

    class Forgetful(admin.ModelAdmin):
        list_display = ("applicant_name", "email")
        list_filter = ("date_of_birth",)
        search_fields = ("applicant_name", "email")
        date_hierarchy = "date_of_birth"

    class AttachmentInline(admin.TabularInline):
        model = Attachment

    class Related(PersonalDataAdminMixin, admin.ModelAdmin):
        search_fields = ("application__attachments__original_name",)
        inlines = (AttachmentInline,)

        @admin.display(ordering="application__email")
        def applicant(self, review):
            return review.application.applicant_name

        list_display = ("applicant",)

    site.register(Application, Forgetful)
    site.register(Review, Related)
    codes = [error.id for error in personal_data_errors(site._registry[Application])]
    assert sorted(codes) == ["kerjasama.E103", "kerjasama.E104", "kerjasama.E104", "kerjasama.E104"]
    codes = [error.id for error in personal_data_errors(site._registry[Review])]
    assert sorted(codes) == ["kerjasama.E104", "kerjasama.E105", "kerjasama.E106"]


def test_the_check_names_personal_data_without_a_rule(monkeypatch):
    monkeypatch.delitem(personal_data._rules, Attachment)
    errors = [error for error in check_personal_data() if error.id == "kerjasama.E102"]
    assert [error.obj for error in errors] == [Attachment]


def _filterset_classes():
    """Every FilterSet of the project (the pages' and the API's), once their modules are loaded."""
    import django_filters
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (importing every view imports every filter)
    pending, found = [django_filters.FilterSet], []
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            # A base without a model is only inherited: its filters are checked in each subclass.
            if subclass.__module__.split(".")[0] in {"cooperation", "partners", "programs"} and subclass._meta.model:
                found.append(subclass)
    return found


def test_no_page_or_api_filter_reaches_personal_data():
    """Filters and sort choices of the pages and the API name no personal field (a method filter is read by
    the walk of every list in tests/test_personal_data_lookups.py)."""
    import django_filters

    filtersets = _filterset_classes()
    failures = []
    for filterset in filtersets:
        model = filterset._meta.model
        for name, declared in filterset.base_filters.items():
            paths = list(declared.param_map.values()) if isinstance(declared, django_filters.OrderingFilter) else []
            paths.append(declared.field_name)
            failures += [
                f"{filterset.__name__}.{name} → {path}" for path in paths if personal_data.personal_path(model, path)
            ]
    assert failures == []
    assert len(filtersets) >= 8


def test_no_api_list_sorts_or_searches_personal_data(auditor):
    from rest_framework.filters import OrderingFilter, SearchFilter
    from rest_framework.request import Request

    from config.api_urls import router

    failures = []
    for prefix, viewset, _ in router.registry:
        view = viewset(action="list", format_kwarg=None, kwargs={}, args=())
        view.request = Request(RequestFactory().get(f"/api/v1/{prefix}/"))
        view.request.user = auditor
        queryset = view.get_queryset()
        for backend in view.filter_backends:
            fields = []
            if issubclass(backend, OrderingFilter):
                fields = [field for field, _ in backend().get_valid_fields(queryset, view, {"request": view.request})]
            elif issubclass(backend, SearchFilter):
                fields = list(backend().get_search_fields(view, view.request) or ())
            failures += [f"{prefix}: {field}" for field in fields if personal_data.personal_path(queryset.model, field)]
    assert failures == []
