"""Modules contribute through the registry; the configuration and the aggregating pages only read it."""

from django.urls import resolve, reverse

from cooperation import registry


def test_every_module_mounts_its_pages_and_api_routes_through_the_registry():
    prefixes = {include.prefix: include.urlconf for include in registry.url_includes()}

    assert prefixes["finance/"] == "programs.finance.urls"
    assert prefixes["portal/shipments/"] == "programs.shipments.portal_urls"
    assert prefixes["dashboard/"] == "programs.reporting.urls"
    assert set(registry.api_route_modules()) >= {
        "partners.api.urls",
        "programs.api.urls",
        "programs.finance.api.urls",
        "programs.shipments.api.urls",
        "programs.scholarships.api.urls",
    }
    assert resolve(reverse("finance:loan_list")).namespace == "finance"
    assert reverse("api:loan-list") == "/api/v1/loans/"


def test_registering_twice_adds_nothing():
    before = registry.url_includes()

    registry.urls("finance/", "programs.finance.urls")

    assert registry.url_includes() == before


def test_panels_come_in_order_and_only_those_with_something_to_show(monkeypatch):
    monkeypatch.setattr(registry, "_panels", [])
    registry.panel("test.page", "late.html", "tests.cooperation.test_registry.something", order=90)
    registry.panel("test.page", "early.html", "tests.cooperation.test_registry.something", order=10)
    registry.panel("test.page", "hidden.html", "tests.cooperation.test_registry.nothing", order=50)
    registry.panel("other.page", "other.html", "tests.cooperation.test_registry.something")

    shown = registry.rendered_panels("test.page", request="the request", record="the record")

    assert shown == [
        ("early.html", {"request": "the request", "record": "the record"}),
        ("late.html", {"request": "the request", "record": "the record"}),
    ]


def something(request, record):
    return {"request": request, "record": record}


def nothing(request, record):
    return None


HEARD = []


def heard(**arguments):
    HEARD.append(arguments)


def test_a_service_announces_a_change_to_every_module_that_follows_it(monkeypatch):
    monkeypatch.setattr(registry, "_followers", {})
    HEARD.clear()
    registry.follow("test.changed", "tests.cooperation.test_registry.heard")
    registry.follow("test.changed", "tests.cooperation.test_registry.heard")  # once is enough

    registry.announce("test.changed", record="the record")
    registry.announce("test.other", record="not followed")

    assert HEARD == [{"record": "the record"}]
    assert registry.measure_named("scholarships.completed").units == ("number",)
