"""Applying online, in a real browser: an applicant opens a published call's public page without logging in,
switches it to Bahasa Indonesia, applies with a PDF and answers the eligibility question; the confirmation email
arrives in Indonesian, its link registers the application and shows the private status page; the officer then finds
the application in the list, marked as received online."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from cooperation.reference.codes import OrganisationRole
from cooperation.roles import Role
from programs.models import Participation
from programs.scholarships.models import Application, ApplicationSource
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, OrganisationFactory, ProgrammeFactory, UserFactory, country
from tests.programs.scholarships.factories import PDF_BYTES, CallFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def call(reference_data_db):
    cache.clear()
    host = OrganisationFactory(name="Universitas Nusa Cendana", acronym="UNDANA")
    programme = ProgrammeFactory(code="KSM-2026-WEB", title="Water engineering scholarships", is_technical=True)
    Participation.objects.create(programme=programme, organisation=host, role=OrganisationRole.IMPLEMENTING)
    UserFactory(username="officer", role=Role.OFFICER)
    call = CallFactory(
        programme=programme,
        host=host,
        title="Master's in water engineering 2027",
        online_applications=True,
        eligibility_questions=["Do you hold a bachelor's degree in engineering?"],
        opens_on=timezone.localdate() - datetime.timedelta(days=5),
    )
    call.eligible_countries.set([country("ID"), country("TL")])
    return call


def test_an_applicant_applies_online_confirms_and_sees_the_status(browser_page, call, settings, tmp_path):
    page = browser_page
    settings.SITE_URL = page.base_url  # the emailed links lead to this test's server
    settings.ONLINE_APPLICATION_MIN_SECONDS = 0  # the browser fills the form faster than a person would

    # 1. The public page, without logging in, switched to Bahasa Indonesia with the site's language switcher.
    page.goto(f"{page.base_url}/apply/")
    page.get_by_role("link", name="Master's in water engineering 2027").click()
    expect(page.locator("h1")).to_have_text("Master's in water engineering 2027")
    page.select_option("#language-select", "id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("#id_website")).to_be_hidden()  # the honeypot: for robots only

    # 2. The form, with a PDF and the eligibility question answered.
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF_BYTES)
    page.fill("#id_applicant_name", "Maria da Costa")
    page.fill("#id_email", "maria.dacosta@mail.example")
    page.select_option("#id_nationality", "TL")
    page.select_option("#id_gender", "female")
    page.fill("#id_date_of_birth", "1999-02-03")
    page.fill("#id_current_institution", "Universidade Nacional Timor Lorosa'e")
    page.fill("#id_degree", "BSc Civil Engineering")
    page.fill("#id_field_of_study", "Water engineering")
    page.fill("#id_motivation", "Clean water for the villages of Ermera.")
    page.check("#id_question_0_0")
    page.set_input_files("#id_attachments", str(cv))
    page.locator("form[enctype] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/apply/{call.pk}/sent/$"))
    assert Application.objects.count() == 0  # nothing registered before the confirmation

    # 3. The email, in the language the applicant used, carries the confirmation link.
    [email] = mail.outbox
    assert email.to == ["maria.dacosta@mail.example"]
    assert email.extra_headers["Content-Language"] == "id"
    link = re.search(r"http\S+/apply/confirm/\S+/", email.body).group(0)

    # 4. Opening it registers the application and shows the private status link.
    page.goto(link)
    status_link = page.locator("[data-status-link]")
    expect(status_link).to_be_visible()
    application = Application.objects.get()
    assert application.source == ApplicationSource.ONLINE
    assert [a.original_name for a in application.attachments.all()] == ["cv.pdf"]
    status_link.click()
    expect(page.locator("[data-application-status]")).to_have_attribute("data-application-status", "submitted")
    expect(page.locator("main")).to_contain_text("Maria da Costa")

    # 5. The officer sees it in the list, like a paper application, marked as received online.
    page.context.clear_cookies()
    log_in(page, "officer", PASSWORD)
    page.goto(f"{page.base_url}/scholarships/applications/")
    page.get_by_role("link", name="Maria da Costa").click()
    expect(page.locator("[data-source]")).to_have_attribute("data-source", "online")
    expect(page.locator("main")).to_contain_text("Do you hold a bachelor's degree in engineering?")
