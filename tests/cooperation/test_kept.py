"""Pages keep their body for each state of the data. The hubs (a programme's page, a partner's) and a loan's and a
shipment's page, and every list page, are read back while nothing changes; after someone else's committed change
they are shown as last computed, saying so, while the worker computes them afresh; after their reader's own change
they are computed at once. Nothing is kept for another reader or a POST."""

import datetime
import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from cooperation import kept
from cooperation.reference.codes import OrganisationType
from cooperation.roles import Role
from cooperation.tasks import refresh_kept
from programs.models import ProgrammeUpdate
from tests.factories import OrganisationFactory, ParticipationFactory, ProgrammeFactory, UserFactory

UPDATING = "Changes made since then are being added"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_db")]


@pytest.fixture(autouse=True)
def shared_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    }


@pytest.fixture
def programme():
    programme = ProgrammeFactory(code="P-1", title="Clean water for Kupang")
    ParticipationFactory(programme=programme, organisation=OrganisationFactory(name="Yayasan Air Bersih"))
    return programme


def signed_in(username: str, role: Role, **client_options) -> Client:
    client = Client(**client_options)
    client.force_login(UserFactory(username=username, role=role))
    return client


BODIES = {
    "programs": "programs/_programme_detail_body.html",
    "partners": "partners/_organisation_detail_body.html",
    "finance": "finance/_loan_detail_body.html",
    "shipments": "shipments/_shipment_detail_body.html",
    "list": "includes/pagination.html",  # a list page's content shows its pages' links
}


def view(client, url, body="programs"):
    """The answer, and whether its body was computed (rendered for this request) rather than read back."""
    response = client.get(url)
    computed = BODIES[body] in [template.name for template in response.templates]
    return response, computed


def refreshes_handed_over():
    """The worker's refresh tasks, caught rather than run (the tests' broker runs each task at once)."""
    return mock.patch("cooperation.tasks.refresh_kept.apply_async")


def stale_then_fresh(client, url, body, text) -> None:
    """After someone else's change: the page ``url`` as last computed, without ``text`` and saying it is catching
    up, handed to the worker; then, once the worker has refreshed it, read back with ``text`` and no such line."""
    with refreshes_handed_over() as handed_over:
        stale, computed = view(client, url, body)
    assert not computed and text not in stale.content.decode() and UPDATING in stale.content.decode()
    assert refresh_kept(**handed_over.call_args.kwargs["kwargs"])  # the worker, as the reader would see it
    fresh, computed = view(client, url, body)
    assert not computed and text in fresh.content.decode() and UPDATING not in fresh.content.decode()


def test_the_programme_page_is_read_back_until_a_change_then_refreshed_by_the_worker(programme):
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("programs:detail", args=[programme.pk])
    first, computed = view(officer, url)
    assert computed and "Yayasan Air Bersih" in first.content.decode()
    again, computed = view(officer, url)
    assert not computed and "Yayasan Air Bersih" in again.content.decode()
    assert UPDATING not in again.content.decode()

    ParticipationFactory(programme=programme, organisation=OrganisationFactory(name="Palang Merah"))  # someone else
    with refreshes_handed_over() as handed_over:
        stale, computed = view(officer, url)
        view(officer, url)
    assert not computed and "Palang Merah" not in stale.content.decode() and UPDATING in stale.content.decode()
    assert handed_over.call_count == 1  # once for each state of the data

    assert refresh_kept(**handed_over.call_args.kwargs["kwargs"])  # the worker, as the officer would see it
    fresh, computed = view(officer, url)
    assert not computed and "Palang Merah" in fresh.content.decode() and UPDATING not in fresh.content.decode()


def test_the_readers_own_change_shows_at_once_and_a_form_on_a_kept_page_still_posts(programme):
    officer = signed_in("officer", Role.OFFICER, enforce_csrf_checks=True)
    url = reverse("programs:detail", args=[programme.pk])
    view(officer, url)
    kept_page, computed = view(officer, url)
    assert not computed
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept_page.content.decode()).group(1)

    response = officer.post(
        reverse("programs:post_update", args=[programme.pk]),
        {
            "csrfmiddlewaretoken": token,
            "reported_on": datetime.date.today().isoformat(),
            "title": "Wells dug",
            "body": "Six.",
        },
    )
    assert response.status_code == 302
    assert ProgrammeUpdate.objects.filter(programme=programme, title="Wells dug").exists()
    with refreshes_handed_over() as handed_over:
        shown, computed = view(officer, url)
    assert computed and "Wells dug" in shown.content.decode() and UPDATING not in shown.content.decode()
    assert not handed_over.called


def test_a_refused_post_shows_its_errors_once_and_keeps_nothing(programme):
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("programs:detail", args=[programme.pk])
    view(officer, url)  # kept
    refused = officer.post(reverse("programs:post_update", args=[programme.pk]), {"title": "", "body": ""})
    assert refused.status_code == 200 and 'class="errorlist"' in refused.content.decode()

    again, computed = view(officer, url)
    assert not computed and 'class="errorlist"' not in again.content.decode()


def test_another_reader_never_gets_a_kept_page(programme):
    officer = signed_in("officer", Role.OFFICER)
    manager = signed_in("manager", Role.MANAGER)
    partner_user = signed_in("partner", Role.PARTNER)
    url = reverse("programs:detail", args=[programme.pk])
    view(officer, url)
    _, computed = view(officer, url)
    assert not computed
    _, computed = view(manager, url)
    assert computed  # nothing was written since the officer's view: the manager's body is their own

    refused, _ = view(partner_user, url)  # a partner has the portal, not the officers' programme page
    assert refused.status_code in (403, 404)


def test_each_browser_of_a_reader_gets_its_own_csrf_token_in_a_kept_page(programme):
    user = UserFactory(username="officer", role=Role.OFFICER)
    url = reverse("programs:detail", args=[programme.pk])
    browsers, tokens = [Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)], []
    for browser in browsers:
        browser.force_login(user)  # a sign-in writes (the user's last login): both before the views
    for browser in browsers:
        shown, computed = view(browser, url)
        assert computed == (not tokens)  # the second browser reads back the body the first one's view kept
        html = shown.content.decode()
        assert kept.CSRF_PLACEHOLDER not in html
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
    assert tokens[0] != tokens[1]

    for number, (browser, token) in enumerate(zip(browsers, tokens, strict=True)):
        posted = browser.post(
            reverse("programs:post_update", args=[programme.pk]),
            {
                "csrfmiddlewaretoken": token,
                "reported_on": datetime.date.today().isoformat(),
                "title": f"Update {number}",
                "body": "Six wells.",
            },
        )
        assert posted.status_code == 302
    assert ProgrammeUpdate.objects.filter(programme=programme).count() == 2


def test_the_worker_skips_a_page_its_reader_may_no_longer_see(programme):
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("programs:detail", args=[programme.pk])
    view(officer, url)
    ParticipationFactory(programme=programme, organisation=OrganisationFactory(name="Palang Merah"))
    with refreshes_handed_over() as handed_over:
        view(officer, url)
    programme.delete()
    assert refresh_kept(**handed_over.call_args.kwargs["kwargs"]) is False
    gone, _ = view(officer, url)
    assert gone.status_code == 404


def test_a_page_the_worker_fails_to_compute_is_computed_by_its_readers_next_view():
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("partners:list")
    view(officer, url, "list")
    OrganisationFactory(name="Palang Merah")
    with refreshes_handed_over() as handed_over:
        view(officer, url, "list")
    with (
        mock.patch("partners.views.list_page", side_effect=RuntimeError("the database went away")),
        pytest.raises(RuntimeError),
    ):
        refresh_kept(**handed_over.call_args.kwargs["kwargs"])
    with refreshes_handed_over() as handed_over:
        shown, computed = view(officer, url, "list")
    assert computed and "Palang Merah" in shown.content.decode() and UPDATING not in shown.content.decode()
    assert not handed_over.called


def test_the_partner_page_is_refreshed_by_the_worker_too(programme):
    partner = programme.participations.get().organisation
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("partners:detail", args=[partner.pk])
    first, computed = view(officer, url, "partners")
    assert computed and "P-1" in first.content.decode()
    _, computed = view(officer, url, "partners")
    assert not computed

    ParticipationFactory(programme=ProgrammeFactory(code="P-2"), organisation=partner)
    stale_then_fresh(officer, url, "partners", "P-2")


def test_a_loan_page_shows_someone_elses_repayment_once_the_worker_has_added_it():
    from tests.programs.finance.factories import disbursed_loan, recorded_repayment

    loan = disbursed_loan()
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("finance:loan_detail", args=[loan.pk])
    first, computed = view(officer, url, "finance")
    assert computed and "TRX-KEPT-1" not in first.content.decode()
    _, computed = view(officer, url, "finance")
    assert not computed

    recorded_repayment(loan, "100.00", reference="TRX-KEPT-1")  # by another officer
    stale_then_fresh(officer, url, "finance", "TRX-KEPT-1")


def test_the_officer_who_records_a_repayment_sees_it_on_the_loan_page_at_once():
    from tests.programs.finance.factories import disbursed_loan

    loan = disbursed_loan()
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("finance:loan_detail", args=[loan.pk])
    view(officer, url, "finance")
    data = {
        "paid_on": loan.first_repayment_date.isoformat(),
        "amount": "100.00",
        "currency": loan.currency_id,
        "reference": "TRX-OWN-1",
    }
    assert officer.post(reverse("finance:loan_repayment_create", args=[loan.pk]), data).status_code == 302
    with refreshes_handed_over() as handed_over:
        shown, computed = view(officer, url, "finance")
    assert computed and "TRX-OWN-1" in shown.content.decode() and UPDATING not in shown.content.decode()
    assert not handed_over.called


def test_a_shipment_page_is_refreshed_by_the_worker_after_someone_elses_change():
    from programs.shipments.models import TrackingEvent
    from tests.programs.shipments.factories import ShipmentFactory

    shipment = ShipmentFactory()
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("shipments:detail", args=[shipment.pk])
    first, computed = view(officer, url, "shipments")
    assert first.status_code == 200 and computed
    _, computed = view(officer, url, "shipments")
    assert not computed

    TrackingEvent.objects.create(
        shipment=shipment, occurred_at=shipment.created_at, kind="note", place="Pelabuhan Tenau", note="On the quay"
    )
    stale_then_fresh(officer, url, "shipments", "Pelabuhan Tenau")


def test_a_list_page_is_kept_per_query_and_refreshed_by_the_worker_after_someone_elses_change():
    OrganisationFactory(name="Yayasan Air Bersih")
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("partners:list")
    first, computed = view(officer, url, "list")
    assert computed and "Yayasan Air Bersih" in first.content.decode()
    again, computed = view(officer, url, "list")
    assert not computed and again.content.decode().count("Yayasan Air Bersih") == 1
    assert "<title>Partners · Kerjasama</title>" in again.content.decode() and UPDATING not in again.content.decode()

    searched, computed = view(officer, f"{url}?q=Palang", "list")
    assert computed and "Yayasan Air Bersih" not in searched.content.decode()

    OrganisationFactory(name="Palang Merah")  # by another officer
    stale_then_fresh(officer, url, "list", "Palang Merah")


def test_the_officer_who_adds_a_partner_finds_it_in_the_list_at_once():
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("partners:list")
    view(officer, url, "list")
    data = {"name": "Palang Merah", "kind": OrganisationType.NATIONAL_NGO, "country": "ID"}
    assert officer.post(reverse("partners:create"), data).status_code == 302
    with refreshes_handed_over() as handed_over:
        shown, computed = view(officer, url, "list")
    assert computed and "Palang Merah" in shown.content.decode() and UPDATING not in shown.content.decode()
    assert not handed_over.called


def test_the_worker_keeps_no_list_its_reader_may_no_longer_open():
    OrganisationFactory(name="Yayasan Air Bersih")
    user = UserFactory(username="officer", role=Role.OFFICER)
    officer = Client()
    officer.force_login(user)
    url = reverse("partners:list")
    view(officer, url, "list")
    OrganisationFactory(name="Palang Merah")
    with refreshes_handed_over() as handed_over:
        view(officer, url, "list")
    user.groups.clear()  # no longer an officer: the list answers 403
    assert refresh_kept(**handed_over.call_args.kwargs["kwargs"]) is False
    refused = officer.get(url)
    assert refused.status_code == 403 and "Yayasan Air Bersih" not in refused.content.decode()


def test_the_worker_refreshes_every_list_page_and_api_list_as_its_reader_would_see_it():
    from benchmarks.harness_entries.lists import lists

    manager = signed_in("manager", Role.MANAGER)
    urls = [url for _name, page, api, _rows in lists() for url in (page, api) if url]
    budget_page = reverse("budgets:programme", args=[ProgrammeFactory(code="P-9").pk])  # a record's page of lists
    urls += [reverse("shipments:discrepancies"), budget_page]
    for url in urls:
        assert manager.get(url).status_code == 200, url  # kept
    OrganisationFactory(name="Palang Merah")  # someone else's change
    with refreshes_handed_over() as handed_over:
        for url in urls:
            stale = manager.get(url, HTTP_ACCEPT="application/json" if "/api/" in url else "text/html")
            assert stale.status_code == 200, url
    asked = [call.kwargs["kwargs"] for call in handed_over.call_args_list]
    assert sorted(refresh["path"] for refresh in asked) == sorted(urls)
    assert all(refresh_kept(**refresh) for refresh in asked)
    with refreshes_handed_over() as handed_over:
        for url in urls:
            assert manager.get(url).status_code == 200, url
    assert not handed_over.called  # each read back as the worker computed it
