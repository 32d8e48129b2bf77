from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cooperation.reference.codes import OrganisationRole
from cooperation.reference.models import Currency
from cooperation.roles import Role
from partners.forms import OrganisationForm
from programs.forms import ParticipantFormSet, ProgrammeForm, add_programme_error
from programs.models import CooperationForm
from programs.services import ParticipantInput
from tests.factories import OrganisationFactory, ParticipationFactory, ProgrammeFactory, UserFactory, currency

pytestmark = pytest.mark.django_db


def programme_data(**overrides):
    data = {
        "code": "KSM-2026-700",
        "title": "Teacher training",
        "forms": [CooperationForm.TECHNICAL],
        "status": "1",
        "budget_amount": "1000",
        "budget_currency": "USD",
    }
    data.update(overrides)
    return data


def formset_data(rows, initial=0):
    data = {
        "participants-TOTAL_FORMS": str(len(rows)),
        "participants-INITIAL_FORMS": str(initial),
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"participants-{index}-{key}": value for key, value in row.items()})
    return data


# --- Programme form -----------------------------------------------------------------------------------


def test_programme_form_needs_at_least_one_form_of_cooperation():
    form = ProgrammeForm(programme_data(forms=[]))
    assert not form.is_valid()
    assert form.errors["forms"] == ["Choose at least one form of cooperation."]


def test_programme_form_gives_typed_values_for_the_service():
    form = ProgrammeForm(programme_data(sectors=["14030"], recipient_countries=["TL"], objectives=["peace"]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["budget_amount"] == Decimal("1000")
    assert form.cleaned_data["budget_currency"] == currency("USD")
    assert [s.code for s in form.cleaned_data["sectors"]] == ["14030"]
    assert form.cleaned_data["objectives"] == ["peace"]


def test_sectors_are_grouped_by_category_and_labelled_with_their_code():
    html = str(ProgrammeForm()["sectors"])
    assert '<optgroup label="140 Water Supply &amp; Sanitation">' in html
    assert ">14030 Basic drinking water supply and basic sanitation</option>" in html
    assert 'value="11321"' not in html  # an inactive sector is not offered


def test_only_active_currencies_are_offered():
    Currency.objects.filter(code="EUR").update(is_active=False)
    choices = {str(value) for value, _ in ProgrammeForm().fields["budget_currency"].choices}
    assert "USD" in choices and "JPY" in choices
    assert "EUR" not in choices and "VEF" not in choices


def test_editing_keeps_a_currency_that_was_retired_since():
    programme = ProgrammeFactory(budget_currency=currency("EUR"))
    Currency.objects.filter(code="EUR").update(is_active=False)
    form = ProgrammeForm(instance=programme)
    assert "EUR" in {str(value) for value, _ in form.fields["budget_currency"].choices}


def test_responsible_officer_is_an_active_workspace_user(officer, auditor, partner_user):
    retired = UserFactory(role=Role.OFFICER, is_active=False)
    officers = set(ProgrammeForm().fields["responsible_officer"].queryset)
    assert officer in officers and auditor in officers
    assert partner_user not in officers and retired not in officers


def test_edit_form_starts_from_the_saved_programme():
    programme = ProgrammeFactory(is_financial=True, budget_currency=currency("JPY"), budget_amount=Decimal("5000"))
    form = ProgrammeForm(instance=programme)
    assert sorted(form.initial["forms"]) == [CooperationForm.FINANCIAL, CooperationForm.TECHNICAL]
    assert str(form.initial["budget_amount"]) == "5000"  # no ".0000" from the database for a yen amount


def test_end_before_start_from_the_service_lands_on_the_end_date():
    form = ProgrammeForm(programme_data())
    formset = ParticipantFormSet(formset_data([]))
    assert form.is_valid() and formset.is_valid()
    add_programme_error(
        form, formset, ValidationError({"__all__": ["The planned end cannot be before the planned start."]})
    )
    assert form.errors["planned_end"] == ["The planned end cannot be before the planned start."]
    assert not formset.non_form_errors()


def test_participant_errors_from_the_service_land_on_the_formset():
    form = ProgrammeForm(programme_data())
    formset = ParticipantFormSet(formset_data([]))
    assert form.is_valid() and formset.is_valid()
    add_programme_error(form, formset, ValidationError({"participants": ["Listed twice."], "code": ["Taken."]}))
    assert list(formset.non_form_errors()) == ["Listed twice."]
    assert form.errors["code"] == ["Taken."]


# --- Participants formset ----------------------------------------------------------------------------------


def test_formset_turns_filled_rows_into_participants_and_skips_blank_ones():
    funder, implementer = OrganisationFactory(), OrganisationFactory()
    formset = ParticipantFormSet(
        formset_data(
            [
                {"organisation": funder.pk, "role": "1", "committed_amount": "2500.50"},
                {"organisation": "", "role": "", "committed_amount": ""},
                {"organisation": implementer.pk, "role": "4", "committed_amount": ""},
            ]
        )
    )
    assert formset.is_valid(), formset.errors
    assert formset.participants() == [
        ParticipantInput(funder, OrganisationRole.FUNDING, Decimal("2500.50")),
        ParticipantInput(implementer, OrganisationRole.IMPLEMENTING, None),
    ]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"organisation": "ORG", "role": "", "committed_amount": ""}, "role"),
        ({"organisation": "", "role": "2", "committed_amount": ""}, "organisation"),
        ({"organisation": "ORG", "role": "2", "committed_amount": "-1"}, "committed_amount"),
        ({"organisation": "ORG", "role": "9", "committed_amount": ""}, "role"),
        ({"organisation": "999999", "role": "2", "committed_amount": ""}, "organisation"),
    ],
)
def test_incomplete_or_wrong_rows_are_refused_on_their_field(row, field):
    organisation = OrganisationFactory()
    row = {key: (organisation.pk if value == "ORG" else value) for key, value in row.items()}
    formset = ParticipantFormSet(formset_data([row]))
    assert not formset.is_valid()
    assert formset.forms[0].errors[field]


def test_edit_formset_lists_current_participants_with_a_remove_box(own_programme, partner_org):
    formset = ParticipantFormSet(programme=own_programme)
    assert formset.initial_form_count() == 1
    assert formset.forms[0]["organisation"].value() == partner_org.pk
    assert "DELETE" in formset.forms[0].fields
    assert "DELETE" not in formset.forms[1].fields  # blank rows are left empty rather than removed
    assert len(formset.forms) == 4


def test_removed_rows_are_left_out(own_programme, partner_org):
    other = OrganisationFactory()
    ParticipationFactory(programme=own_programme, organisation=other, role=OrganisationRole.FUNDING)
    rows = [
        {"organisation": partner_org.pk, "role": "4", "committed_amount": "", "DELETE": "on"},
        {"organisation": other.pk, "role": "1", "committed_amount": ""},
    ]
    formset = ParticipantFormSet(formset_data(rows, initial=2), programme=own_programme)
    assert formset.is_valid(), formset.errors
    assert formset.participants() == [ParticipantInput(other, OrganisationRole.FUNDING, None)]


def test_inactive_partner_is_offered_only_where_it_already_takes_part(own_programme, partner_org):
    partner_org.is_active = False
    partner_org.save()
    new_programme_rows = ParticipantFormSet().forms[0].fields["organisation"].choices
    editing_rows = ParticipantFormSet(programme=own_programme).forms[0].fields["organisation"].choices
    assert partner_org.pk not in {getattr(value, "value", value) for value, _ in new_programme_rows}
    assert partner_org.pk in {getattr(value, "value", value) for value, _ in editing_rows}


def test_organisation_choices_are_read_once_for_every_row(django_assert_num_queries):
    OrganisationFactory.create_batch(3)
    formset = ParticipantFormSet()
    with django_assert_num_queries(1):
        html = "".join(str(form["organisation"]) for form in [*formset.forms, formset.empty_form])
    assert html.count("Partner Organisation") == 3 * 4  # three blank rows and the template row


# --- Partner form --------------------------------------------------------------------------------------------


def test_partner_form_offers_active_countries_by_name():
    choices = dict((str(value), label) for value, label in OrganisationForm().fields["country"].choices)
    assert choices["ID"] == "Indonesia"
    assert "AN" not in choices
