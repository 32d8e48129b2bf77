"""The NUL character is refused wherever text arrives, before any view or query sees it."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_query_string_is_a_400(client, officer):
    client.force_login(officer)
    response = client.get("/partners/?country=%00")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_json_body_is_a_400_and_nothing_is_saved(client, officer):
    from partners.models import Organisation

    client.force_login(officer)
    before = Organisation.objects.count()
    body = '{"name": "Yayasan Baru", "acronym": "YB", "country": "I\\u0000D", "organisation_type": "22"}'
    response = client.post("/api/v1/partners/", body, content_type="application/json")
    assert response.status_code == 400
    assert Organisation.objects.count() == before
    # The API answers in its one error shape, with a code a client can match.
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"] == [
        {"code": "null_character", "detail": "Text cannot contain the NUL character.", "attr": None}
    ]


def test_a_nul_in_a_form_post_is_a_400(client, officer):
    client.force_login(officer)
    response = client.post(
        "/partners/new/", "name=Yayasan&country=I%00D", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_ordinary_requests_and_uploads_pass(client, officer):
    client.force_login(officer)
    assert client.get("/partners/?q=air").status_code == 200
