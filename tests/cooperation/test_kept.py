"""The hubs keep their body for each state of the data: read back while nothing changes, computed afresh after any
committed change, and never for another reader, a POST, or a browser without its CSRF secret."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from cooperation.roles import Role
from programs.models import ProgrammeUpdate
from tests.factories import OrganisationFactory, ParticipationFactory, ProgrammeFactory, UserFactory

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
    "list": "includes/pagination.html",  # a list page's content shows its pages' links
}


def view(client, url, body="programs"):
    """The answer, and whether its body was computed (rendered for this request) rather than read back."""
    response = client.get(url)
    computed = BODIES[body] in [template.name for template in response.templates]
    return response, computed


def test_the_programme_page_is_read_back_until_a_change_is_committed(programme):
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("programs:detail", args=[programme.pk])
    view(officer, url)  # the first page of the browser: sets its CSRF cookie, keeps nothing

    first, computed = view(officer, url)
    assert computed and "Yayasan Air Bersih" in first.content.decode()
    again, computed = view(officer, url)
    assert not computed and "Yayasan Air Bersih" in again.content.decode()

    ParticipationFactory(programme=programme, organisation=OrganisationFactory(name="Palang Merah"))
    after, computed = view(officer, url)
    assert computed and "Palang Merah" in after.content.decode()


def test_a_form_on_a_kept_page_still_posts(programme):
    officer = signed_in("officer", Role.OFFICER, enforce_csrf_checks=True)
    url = reverse("programs:detail", args=[programme.pk])
    view(officer, url)
    view(officer, url)
    kept, computed = view(officer, url)
    assert not computed
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept.content.decode()).group(1)

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
    shown, computed = view(officer, url)
    assert computed and "Wells dug" in shown.content.decode()


def test_a_refused_post_shows_its_errors_once_and_keeps_nothing(programme):
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("programs:detail", args=[programme.pk])
    view(officer, url)
    view(officer, url)  # kept
    refused = officer.post(reverse("programs:post_update", args=[programme.pk]), {"title": "", "body": ""})
    assert refused.status_code == 200 and 'class="errorlist"' in refused.content.decode()

    again, computed = view(officer, url)
    assert not computed and 'class="errorlist"' not in again.content.decode()


def test_another_reader_never_gets_a_kept_page(programme):
    officer = signed_in("officer", Role.OFFICER)
    partner_user = signed_in("partner", Role.PARTNER)
    url = reverse("programs:detail", args=[programme.pk])
    for client in (officer, partner_user):
        client.get(url)
    view(officer, url)
    _, computed = view(officer, url)
    assert not computed

    refused, _ = view(partner_user, url)  # a partner has the portal, not the officers' programme page
    assert refused.status_code in (403, 404)


def test_a_browser_without_its_csrf_cookie_keeps_nothing(programme):
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("programs:detail", args=[programme.pk])
    for _ in range(3):
        officer.cookies.pop("csrftoken", None)
        _, computed = view(officer, url)
        assert computed


def test_the_partner_page_is_kept_too(programme):
    partner = programme.participations.get().organisation
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("partners:detail", args=[partner.pk])
    view(officer, url, "partners")
    first, computed = view(officer, url, "partners")
    assert computed and "P-1" in first.content.decode()
    _, computed = view(officer, url, "partners")
    assert not computed

    ParticipationFactory(programme=ProgrammeFactory(code="P-2"), organisation=partner)
    after, computed = view(officer, url, "partners")
    assert computed and "P-2" in after.content.decode()


def test_a_loan_page_shows_a_repayment_as_soon_as_it_is_committed():
    from tests.programs.finance.factories import disbursed_loan, recorded_repayment

    loan = disbursed_loan()
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("finance:loan_detail", args=[loan.pk])
    view(officer, url, "finance")
    first, computed = view(officer, url, "finance")
    assert computed and "TRX-KEPT-1" not in first.content.decode()
    _, computed = view(officer, url, "finance")
    assert not computed

    recorded_repayment(loan, "100.00", reference="TRX-KEPT-1")
    after, computed = view(officer, url, "finance")
    assert computed and "TRX-KEPT-1" in after.content.decode()


def test_a_list_page_is_kept_per_query_and_shows_a_new_record_at_once():
    OrganisationFactory(name="Yayasan Air Bersih")
    officer = signed_in("officer", Role.OFFICER)
    url = reverse("partners:list")
    view(officer, url, "list")
    first, computed = view(officer, url, "list")
    assert computed and "Yayasan Air Bersih" in first.content.decode()
    again, computed = view(officer, url, "list")
    assert not computed and again.content.decode().count("Yayasan Air Bersih") == 1
    assert "<title>Partners · Kerjasama</title>" in again.content.decode()

    searched, computed = view(officer, f"{url}?q=Palang", "list")
    assert computed and "Yayasan Air Bersih" not in searched.content.decode()

    OrganisationFactory(name="Palang Merah")
    after, computed = view(officer, url, "list")
    assert computed and "Palang Merah" in after.content.decode()
