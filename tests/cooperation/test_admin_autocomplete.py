"""Admin forms with autocomplete fields redraw any submitted value with a field error, never a server error."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["abc", "NaN", "1e309", "9" * 40, "-1"])
def test_a_nonsense_organisation_in_the_contact_form_is_a_field_error(client, admin_user, value):
    client.force_login(admin_user)
    assert client.get("/admin/partners/contact/add/", {"organisation": value}).status_code == 200
    response = client.post("/admin/partners/contact/add/", {"organisation": value, "name": "Ana"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_nonsense_partner_in_a_programme_participant_row_is_a_field_error(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/programs/participation/add/", {"organisation": "abc", "programme": "x"})
    assert response.status_code == 200
