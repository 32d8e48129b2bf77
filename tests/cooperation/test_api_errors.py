"""Every error the API gives has one shape: a type, and errors with a stable code, a message and the field."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.test import APIClient, APIRequestFactory

from cooperation.api.exceptions import ApiExceptionHandler, service_errors
from partners.api.views import OrganisationViewSet
from tests.api_errors import error_codes, error_fields, error_type
from tests.factories import OrganisationFactory, ParticipationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

PARTNERS = "/api/v1/partners/"
PROGRAMMES = "/api/v1/programmes/"


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _handled(exc):
    request = APIRequestFactory().post(PARTNERS)
    return ApiExceptionHandler(exc, {"request": request, "view": OrganisationViewSet(), "args": (), "kwargs": {}}).run()


# --- Input checks -------------------------------------------------------------------------------------------------


def test_missing_fields_are_listed_one_by_one_with_their_code(officer):
    response = as_user(officer).post(PARTNERS, {"acronym": "X"}, format="json")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert error_codes(response) == {"name": ["required"], "kind": ["required"], "country": ["required"]}
    assert error_fields(response)["name"] == ["This field is required."]


def test_errors_inside_lists_name_the_row_by_its_position(officer):
    partner = OrganisationFactory()
    rows = [{"organisation": partner.pk, "role": 1}, {"role": 4}]
    payload = {"code": "KSM-1", "title": "T", "forms": ["financial"], "budget": {"amount": "1", "currency": "USD"}}

    response = as_user(officer).post(PROGRAMMES, {**payload, "participants": rows}, format="json")

    assert response.status_code == 400
    assert error_codes(response) == {"participants.1.organisation": ["required"]}


def test_a_bad_filter_names_the_query_parameter(officer):
    response = as_user(officer).get(PARTNERS, {"kind": "99"})

    assert response.status_code == 400
    assert error_codes(response) == {"kind": ["invalid_choice"]}


def test_malformed_json_is_a_client_error_that_cannot_be_read(officer):
    response = as_user(officer).generic("POST", PARTNERS, '{"name": ', content_type="application/json")

    assert response.status_code == 400
    assert error_type(response) == "client_error"
    assert error_codes(response) == {"": ["parse_error"]}


# --- Refusals by the services ---------------------------------------------------------------------------------------


def test_a_service_refusal_keeps_its_field_and_gets_the_generic_code_when_it_has_none(officer):
    OrganisationFactory(iati_identifier="ID-KHM-123456")
    payload = {"name": "Lembaga", "kind": "22", "country": "ID", "iati_identifier": "ID-KHM-123456"}

    response = as_user(officer).post(PARTNERS, payload, format="json")

    assert response.status_code == 400
    assert error_type(response) == "validation_error"
    assert error_fields(response) == {"non_field_errors": ["Another partner already has this IATI identifier."]}
    assert error_codes(response) == {"non_field_errors": ["invalid"]}


def test_a_service_refusal_on_a_nested_field_is_reported_where_the_client_sent_it(officer):
    programme = ProgrammeFactory(budget_amount="1000")
    ParticipationFactory(programme=programme)

    response = as_user(officer).patch(
        f"{PROGRAMMES}{programme.pk}/", {"budget": {"amount": "999.5", "currency": "JPY"}}, format="json"
    )

    assert response.status_code == 400
    assert set(error_fields(response)) == {"budget.amount"}


def test_a_service_code_is_carried_through():
    response = _handled(
        DjangoValidationError(
            {
                "budget_amount": [DjangoValidationError("Too much.", code="over_budget")],
                NON_FIELD_ERRORS: [DjangoValidationError("Not now.")],
            }
        )
    )

    assert response.status_code == 400
    assert response.data == {
        "type": "validation_error",
        "errors": [
            {"code": "over_budget", "detail": "Too much.", "attr": "budget_amount"},
            {"code": "invalid", "detail": "Not now.", "attr": "non_field_errors"},
        ],
    }


def test_a_renamed_service_error_keeps_its_code():
    with pytest.raises(exceptions.ValidationError) as raised, service_errors({"budget_amount": ("budget", "amount")}):
        raise DjangoValidationError({"budget_amount": DjangoValidationError("Too much.", code="over_budget")})

    response = _handled(raised.value)
    assert response.data["errors"] == [{"code": "over_budget", "detail": "Too much.", "attr": "budget.amount"}]


def test_a_refusal_without_a_field_belongs_to_the_whole_record():
    response = _handled(DjangoValidationError("The loan is not a draft.", code="not_draft"))

    assert response.data["errors"] == [
        {"code": "not_draft", "detail": "The loan is not a draft.", "attr": "non_field_errors"}
    ]


# --- Whole-request errors --------------------------------------------------------------------------------------------


def test_not_found_not_allowed_and_unsupported_media_type_have_their_codes(officer, partner_org):
    api = as_user(officer)

    missing = api.get(f"{PARTNERS}999999/")
    unknown_address = api.get(f"{PARTNERS}abc/")
    not_allowed = api.delete(f"{PARTNERS}{partner_org.pk}/")
    form_post = api.post(PROGRAMMES, {"code": "X"})  # programmes take JSON only

    assert (missing.status_code, error_codes(missing)) == (404, {"": ["not_found"]})
    # An address no view answers is a 404 in the same shape, not Django's HTML page.
    assert unknown_address["Content-Type"] == "application/json"
    assert unknown_address.json() == missing.json()
    assert (not_allowed.status_code, error_codes(not_allowed)) == (405, {"": ["method_not_allowed"]})
    assert (form_post.status_code, error_codes(form_post)) == (415, {"": ["unsupported_media_type"]})
    assert error_type(missing) == error_type(not_allowed) == error_type(form_post) == "client_error"


def test_no_permission_is_a_403_with_its_code(auditor):
    response = as_user(auditor).post(PARTNERS, {"name": "X", "kind": "22", "country": "ID"}, format="json")

    assert response.status_code == 403
    assert error_codes(response) == {"": ["permission_denied"]}


def test_an_unexpected_failure_is_a_500_in_the_same_shape_without_details(officer, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("secret database detail")

    monkeypatch.setattr(OrganisationViewSet, "list", broken)
    client = as_user(officer)
    client.raise_request_exception = False

    response = client.get(PARTNERS)

    assert response.status_code == 500
    assert error_type(response) == "server_error"
    assert "secret" not in response.content.decode()
