import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.reference.codes import ActivityStatus, OrganisationRole
from programs.models import CooperationForm, Objective, Programme, ProgrammeUpdate
from tests.factories import (
    OrganisationFactory,
    ParticipationFactory,
    ProgrammeFactory,
    ProgrammeUpdateFactory,
    UserFactory,
    currency,
)

pytestmark = pytest.mark.django_db


def programme_post(participants=(), initial_forms=0, **overrides):
    """The POST body the programme page sends; ``participants`` are (organisation, role, amount) rows."""
    data = {
        "code": "KSM-2026-500",
        "title": "Clean water for Kupang",
        "description": "Wells and training.",
        "forms": [CooperationForm.FINANCIAL, CooperationForm.IN_KIND],
        "objectives": [Objective.HUMANITARIAN_AID],
        "status": str(ActivityStatus.PIPELINE),
        "planned_start": "2026-03-01",
        "planned_end": "2027-02-28",
        "actual_start": "",
        "actual_end": "",
        "recipient_countries": ["ID", "TL"],
        "sectors": ["14030"],
        "budget_amount": "250000.50",
        "budget_currency": "USD",
        "responsible_officer": "",
    }
    rows = list(participants) + [("", "", "")] * 3
    data.update(
        {
            "participants-TOTAL_FORMS": str(len(rows)),
            "participants-INITIAL_FORMS": str(initial_forms),
            "participants-MIN_NUM_FORMS": "0",
            "participants-MAX_NUM_FORMS": "1000",
        }
    )
    for index, (organisation, role, amount) in enumerate(rows):
        data[f"participants-{index}-organisation"] = getattr(organisation, "pk", organisation)
        data[f"participants-{index}-role"] = str(role)
        data[f"participants-{index}-committed_amount"] = amount
    data.update(overrides)
    return data


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


# --- Creating a programme through the page ----------------------------------------------------------


def test_officer_creates_programme_with_two_partners(client, officer):
    funder, implementer = OrganisationFactory(name="Japan Water Fund"), OrganisationFactory(name="Yayasan Sumur")
    client.force_login(officer)
    data = programme_post(
        participants=[(funder, OrganisationRole.FUNDING, "150000"), (implementer, OrganisationRole.IMPLEMENTING, "")],
        responsible_officer=str(officer.pk),
    )

    response = client.post(reverse("programs:create"), data)

    programme = Programme.objects.get(code="KSM-2026-500")
    assert response.status_code == 302
    assert response.url == reverse("programs:detail", args=[programme.pk])
    assert programme.forms == [CooperationForm.FINANCIAL, CooperationForm.IN_KIND]
    assert [o.objective for o in programme.objectives.all()] == [Objective.HUMANITARIAN_AID]
    assert sorted(programme.recipient_countries.values_list("code", flat=True)) == ["ID", "TL"]
    assert list(programme.sectors.values_list("code", flat=True)) == ["14030"]
    assert programme.budget_amount == Decimal("250000.50")
    assert programme.planned_end == datetime.date(2027, 2, 28)
    assert programme.responsible_officer == officer
    assert programme.created_by == officer
    participants = {p.organisation: (p.role, p.committed_amount) for p in programme.participations.all()}
    assert participants == {
        funder: (OrganisationRole.FUNDING, Decimal("150000")),
        implementer: (OrganisationRole.IMPLEMENTING, None),
    }

    page = client.get(response.url).content.decode()
    assert "Japan Water Fund" in page and "Yayasan Sumur" in page
    assert "USD 150,000.00" in page  # committed amount in the programme's currency


def test_create_page_renders_the_participant_formset_for_script_and_no_script(client, officer):
    client.force_login(officer)
    page = client.get(reverse("programs:create")).content.decode()

    assert 'data-formset="participants"' in page
    assert "<template data-empty-form>" in page and "participants-__prefix__-organisation" in page
    assert "data-formset-rows" in page
    assert re.search(r"<button[^>]*data-formset-add[^>]*hidden", page)
    # Three blank rows so the page works without JavaScript.
    assert 'name="participants-TOTAL_FORMS" value="3"' in page
    assert "participants-2-organisation" in page and "participants-3-organisation" not in page


def test_blank_rows_are_ignored(client, officer):
    client.force_login(officer)
    response = client.post(reverse("programs:create"), programme_post())
    assert response.status_code == 302
    assert not Programme.objects.get(code="KSM-2026-500").participations.exists()


# --- Bad input: the error is shown next to the field and nothing is saved ------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"planned_start": "2026-05-01", "planned_end": "2026-04-01"}, "planned_end"),
        ({"actual_start": "2026-05-01", "actual_end": "2026-04-01"}, "actual_end"),
        ({"budget_amount": "-5"}, "budget_amount"),
        ({"budget_amount": "a lot"}, "budget_amount"),
        ({"budget_amount": "1000.5", "budget_currency": "JPY"}, "budget_amount"),
        ({"title": "x" * 201}, "title"),
        ({"code": "not a code!"}, "code"),
        ({"budget_currency": "XXX"}, "budget_currency"),
        ({"budget_currency": "VEF"}, "budget_currency"),  # no longer an active currency
        ({"recipient_countries": ["ZZ"]}, "recipient_countries"),
        ({"forms": []}, "forms"),
        ({"planned_start": "31/31/2026"}, "planned_start"),
    ],
)
def test_bad_input_shows_field_error_and_saves_nothing(client, officer, overrides, field):
    client.force_login(officer)
    response = client.post(reverse("programs:create"), programme_post(**overrides))

    assert response.status_code == 200
    assert field_errors(response, field)
    page = response.content.decode()
    assert f'id="field-{field}"' in page
    assert re.search(rf'class="field field-error" id="field-{field}"', page)
    assert "nothing was saved" in page
    assert not Programme.objects.exists()


def test_duplicate_code_is_refused_next_to_the_code(client, officer):
    ProgrammeFactory(code="KSM-2026-500")
    client.force_login(officer)
    response = client.post(reverse("programs:create"), programme_post())
    assert response.status_code == 200
    assert field_errors(response, "code")
    assert Programme.objects.count() == 1


def test_partner_listed_twice_is_shown_on_the_participants_section(client, officer):
    partner = OrganisationFactory(name="Twice Listed Foundation")
    client.force_login(officer)
    data = programme_post(
        participants=[(partner, OrganisationRole.FUNDING, ""), (partner, OrganisationRole.EXTENDING, "")]
    )

    response = client.post(reverse("programs:create"), data)

    assert response.status_code == 200
    errors = response.context["formset"].non_form_errors()
    assert any("Twice Listed Foundation" in error for error in errors)
    assert "listed twice" in response.content.decode()
    assert not Programme.objects.exists()


def test_committed_yen_with_decimals_is_refused_on_the_participants_section(client, officer):
    partner = OrganisationFactory()
    client.force_login(officer)
    data = programme_post(
        participants=[(partner, OrganisationRole.FUNDING, "10.5")], budget_currency="JPY", budget_amount="1000"
    )
    response = client.post(reverse("programs:create"), data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not Programme.objects.exists()


def test_partner_row_without_role_gets_an_error_on_the_role(client, officer):
    partner = OrganisationFactory()
    client.force_login(officer)
    response = client.post(reverse("programs:create"), programme_post(participants=[(partner, "", "")]))
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["role"]
    assert not Programme.objects.exists()


def test_inactive_partner_cannot_be_chosen(client, officer):
    retired = OrganisationFactory(is_active=False)
    client.force_login(officer)
    response = client.post(
        reverse("programs:create"), programme_post(participants=[(retired, OrganisationRole.FUNDING, "")])
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["organisation"]
    assert not Programme.objects.exists()


# --- Editing ---------------------------------------------------------------------------------------------


def test_officer_edits_programme_replacing_a_partner_and_history_shows_it(client, officer, own_programme, partner_org):
    newcomer = OrganisationFactory(name="New Partner Institute")
    client.force_login(officer)
    form_page = client.get(reverse("programs:edit", args=[own_programme.pk]))
    assert form_page.context["formset"].initial_form_count() == 1
    assert 'name="participants-0-DELETE"' in form_page.content.decode()

    data = programme_post(
        participants=[(partner_org, OrganisationRole.IMPLEMENTING, ""), (newcomer, OrganisationRole.FUNDING, "500")],
        initial_forms=1,
        code="OWN-001",
        title="Clean water for all of Nusa Tenggara",
        **{"participants-0-DELETE": "on"},
    )
    response = client.post(reverse("programs:edit", args=[own_programme.pk]), data)

    assert response.status_code == 302
    own_programme.refresh_from_db()
    assert own_programme.title == "Clean water for all of Nusa Tenggara"
    assert [p.organisation for p in own_programme.participations.all()] == [newcomer]

    page = client.get(reverse("programs:detail", args=[own_programme.pk])).content.decode()
    assert "Change history" in page
    assert "Clean water for Nusa Tenggara" in page  # the old title, in the history
    assert "Partner: New Partner Institute" in page
    assert "Partner: Yayasan Air Bersih" in page  # the removed participant


def test_refused_edit_keeps_the_saved_programme(client, officer, own_programme):
    client.force_login(officer)
    data = programme_post(code="OWN-001", title="Changed", planned_start="2026-05-01", planned_end="2026-01-01")
    response = client.post(reverse("programs:edit", args=[own_programme.pk]), data)
    assert response.status_code == 200
    assert field_errors(response, "planned_end")
    own_programme.refresh_from_db()
    assert own_programme.title == "Clean water for Nusa Tenggara"


# --- Who may do what ---------------------------------------------------------------------------------------


def test_auditor_reads_but_cannot_create_or_edit(client, auditor, own_programme):
    client.force_login(auditor)
    listing = client.get(reverse("programs:list")).content.decode()
    assert "OWN-001" in listing
    assert reverse("programs:create") not in listing

    detail = client.get(reverse("programs:detail", args=[own_programme.pk]))
    assert detail.status_code == 200
    assert reverse("programs:edit", args=[own_programme.pk]) not in detail.content.decode()
    assert detail.context["update_form"] is None
    assert "Change history" in detail.content.decode()

    assert client.post(reverse("programs:create"), programme_post()).status_code == 403
    edit = client.post(reverse("programs:edit", args=[own_programme.pk]), programme_post(code="OWN-001", title="Audit"))
    assert edit.status_code == 403
    update = client.post(
        reverse("programs:post_update", args=[own_programme.pk]),
        {"reported_on": "2026-01-05", "title": "Audit note", "body": "Seen."},
    )
    assert update.status_code == 403
    assert Programme.objects.count() == 1
    assert Programme.objects.get().title == "Clean water for Nusa Tenggara"
    assert not ProgrammeUpdate.objects.exists()


def test_partner_user_gets_403_on_lists_and_404_on_records(client, partner_user, own_programme):
    client.force_login(partner_user)
    assert client.get(reverse("programs:list")).status_code == 403
    assert client.get(reverse("programs:create")).status_code == 403
    # Even their own organisation's programme: the workspace is not theirs, and ids give nothing away.
    for name in ("programs:detail", "programs:edit"):
        assert client.get(reverse(name, args=[own_programme.pk])).status_code == 404
        assert client.get(reverse(name, args=[own_programme.pk + 1000])).status_code == 404
    assert client.post(reverse("programs:post_update", args=[own_programme.pk]), {}).status_code == 404


def test_anonymous_user_is_sent_to_login(client, own_programme):
    response = client.get(reverse("programs:detail", args=[own_programme.pk]))
    assert response.status_code == 302
    assert reverse("account:login") in response.url


def test_history_is_hidden_without_the_history_permission(client, own_programme):
    reader = UserFactory()
    reader.user_permissions.add(*Permission.objects.filter(codename__in=["access_workspace", "view_all_programmes"]))
    client.force_login(reader)
    response = client.get(reverse("programs:detail", args=[own_programme.pk]))
    assert response.status_code == 200
    assert response.context["history"] is None
    assert "Change history" not in response.content.decode()


# --- Detail page and progress notes ---------------------------------------------------------------------------


def test_detail_shows_facts_participants_and_updates(client, manager, partner_org):
    programme = ProgrammeFactory(
        code="JP-001",
        budget_amount=Decimal("5000000"),
        budget_currency=currency("JPY"),
        responsible_officer=manager,
        is_financial=True,
    )
    ParticipationFactory(
        programme=programme,
        organisation=partner_org,
        role=OrganisationRole.FUNDING,
        committed_amount=Decimal("1200000"),
    )
    ProgrammeUpdateFactory(programme=programme, title="Wells dug in Kupang")
    client.force_login(manager)

    page = client.get(reverse("programs:detail", args=[programme.pk])).content.decode()

    assert "JPY 5,000,000" in page
    assert "JPY 1,200,000" in page
    assert "Funding" in page and "Yayasan Air Bersih" in page
    assert "Financial" in page and "Technical" in page
    assert "Wells dug in Kupang" in page
    assert manager.get_full_name() in page
    assert 'action="{}"'.format(reverse("programs:post_update", args=[programme.pk])) in page


def test_officer_posts_a_progress_note(client, officer, own_programme):
    client.force_login(officer)
    response = client.post(
        reverse("programs:post_update", args=[own_programme.pk]),
        {"reported_on": timezone.localdate().isoformat(), "title": "Pipes delivered", "body": "All 40 pipes arrived."},
    )
    assert response.status_code == 302
    assert response.url.endswith("#updates")
    update = ProgrammeUpdate.objects.get()
    assert (update.author, update.organisation, update.title) == (officer, None, "Pipes delivered")
    assert "Pipes delivered" in client.get(reverse("programs:detail", args=[own_programme.pk])).content.decode()


def test_progress_note_dated_in_the_future_is_refused(client, officer, own_programme):
    client.force_login(officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("programs:post_update", args=[own_programme.pk]),
        {"reported_on": tomorrow.isoformat(), "title": "Too early", "body": "Not yet."},
    )
    assert response.status_code == 200
    assert response.context["update_form"].errors["reported_on"]
    assert not ProgrammeUpdate.objects.exists()


def test_post_update_answers_only_post(client, officer, own_programme):
    client.force_login(officer)
    assert client.get(reverse("programs:post_update", args=[own_programme.pk])).status_code == 405


# --- List page -------------------------------------------------------------------------------------------------


def test_list_filters_by_status_partner_and_search(client, officer, partner_org):
    water = ProgrammeFactory(code="WAT-1", title="Water", status=ActivityStatus.IMPLEMENTATION)
    ParticipationFactory(programme=water, organisation=partner_org)
    ProgrammeFactory(code="SCH-1", title="Scholarships", status=ActivityStatus.PIPELINE)
    client.force_login(officer)

    def codes(**params):
        response = client.get(reverse("programs:list"), params)
        return [p.code for p in response.context["programmes"]]

    assert sorted(codes()) == ["SCH-1", "WAT-1"]
    assert codes(status=ActivityStatus.PIPELINE) == ["SCH-1"]
    assert codes(partner=partner_org.pk) == ["WAT-1"]
    assert codes(q="schol") == ["SCH-1"]
    assert codes(form=CooperationForm.TECHNICAL, currency="USD", country="ID") == codes()


def test_list_sorts_by_clicked_column_and_reverses_on_second_click(client, officer):
    for code in ("B-1", "A-1", "C-1"):
        ProgrammeFactory(code=code)
    client.force_login(officer)

    ascending = client.get(reverse("programs:list"), {"ordering": "code"})
    assert [p.code for p in ascending.context["programmes"]] == ["A-1", "B-1", "C-1"]
    page = ascending.content.decode()
    assert 'aria-sort="ascending"' in page
    assert 'href="?ordering=-code"' in page  # clicking the sorted header again reverses it

    descending = client.get(reverse("programs:list"), {"ordering": "-code"})
    assert [p.code for p in descending.context["programmes"]] == ["C-1", "B-1", "A-1"]


def test_list_shows_budget_in_its_currency_and_partners(client, officer, own_programme):
    client.force_login(officer)
    page = client.get(reverse("programs:list")).content.decode()
    assert "USD 100,000.00" in page
    assert "YAB" in page
    assert "Indonesia" in page
    assert 'class="badge badge-status-2"' in page


def test_list_pages_by_25(client, officer):
    ProgrammeFactory.create_batch(30)
    client.force_login(officer)
    first = client.get(reverse("programs:list"))
    second = client.get(reverse("programs:list"), {"page": 2})
    assert len(first.context["programmes"]) == 25
    assert len(second.context["programmes"]) == 5


def test_invalid_filter_values_do_not_break_the_list(client, officer, own_programme):
    client.force_login(officer)
    response = client.get(reverse("programs:list"), {"country": "ZZ", "starts_from": "soon", "page": "last"})
    assert response.status_code == 200


def _programmes_with_partners(count):
    partners = OrganisationFactory.create_batch(3)
    for index in range(count):
        programme = ProgrammeFactory(countries=["ID", "TL"])
        programme.sectors.set(["14030"])
        for organisation in partners[: 1 + index % 3]:
            ParticipationFactory(programme=programme, organisation=organisation)


def _queries_for_list(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_list_runs_the_same_number_of_queries_for_5_and_50_programmes(client, officer):
    client.force_login(officer)
    url = reverse("programs:list")
    _programmes_with_partners(5)
    few = _queries_for_list(client, url)
    _programmes_with_partners(45)
    many = _queries_for_list(client, url)
    assert few == many
