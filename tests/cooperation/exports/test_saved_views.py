"""Saved views: a list's filters and sort under a name, private or shared with a role, opened from the list page."""

import pytest
from django.urls import reverse

from cooperation.exports import services
from cooperation.exports.models import SavedView
from cooperation.reference.codes import ActivityStatus
from cooperation.roles import Role
from tests.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

SOURCE = "programs.programmes"
LIST = reverse("programs:list")
SAVE = reverse("exports:saved_view_create")


@pytest.fixture
def programmes(db):
    return (
        ProgrammeFactory(code="WAT-1", title="Clean water"),
        ProgrammeFactory(code="YEN-1", title="Rice terraces", status=ActivityStatus.PIPELINE),
    )


def _save(client, name="Pipeline", shared_with_role="", params=f"status={ActivityStatus.PIPELINE}&page=2"):
    return client.post(
        SAVE,
        {
            "save-name": name,
            "save-shared_with_role": shared_with_role,
            "save-source": SOURCE,
            "save-list_path": LIST,
            "save-params": params,
        },
    )


def _pipeline_view(owner, shared_with_role=""):
    return services.saved_view_create(
        user=owner,
        name="Pipeline",
        source=SOURCE,
        list_path=LIST,
        params=f"status={ActivityStatus.PIPELINE}",
        shared_with_role=shared_with_role,
    )


def test_saving_the_list_view_goes_back_to_the_list_with_its_filters(client, manager, programmes):
    client.force_login(manager)

    response = _save(client)

    view = SavedView.objects.get()
    assert (view.owner, view.name, view.source, view.list_path) == (manager, "Pipeline", SOURCE, LIST)
    assert view.params == f"status={ActivityStatus.PIPELINE}"  # the page number is not a filter
    assert response.status_code == 302 and response.url == f"{LIST}?status={ActivityStatus.PIPELINE}"
    page = client.get(response.url).content.decode()
    assert "The view “Pipeline” is saved." in page


def test_the_list_page_offers_to_save_its_filters(client, manager, programmes):
    client.force_login(manager)

    html = client.get(LIST, {"status": ActivityStatus.PIPELINE, "page": 1}).content.decode()

    assert f'action="{SAVE}"' in html
    assert f'name="save-params" value="status={ActivityStatus.PIPELINE}"' in html
    assert f'name="save-list_path" value="{LIST}"' in html
    assert f'name="save-source" value="{SOURCE}"' in html


def test_opening_a_saved_view_shows_the_list_with_its_filters(client, manager, programmes):
    view = _pipeline_view(manager)
    client.force_login(manager)

    listed = client.get(LIST).content.decode()
    assert f'href="{view.url}"' in listed
    opened = client.get(view.url).content.decode()

    assert "YEN-1" in opened and "WAT-1" not in opened


def test_a_private_view_is_listed_for_its_owner_only(client, manager, programmes):
    view = _pipeline_view(manager)
    other_manager = UserFactory(role=Role.MANAGER)
    client.force_login(other_manager)

    assert f'data-saved-view="{view.pk}"' not in client.get(LIST).content.decode()


def test_a_shared_view_is_listed_for_the_users_of_its_role_only(client, manager, officer, auditor, programmes):
    view = _pipeline_view(manager, shared_with_role=Role.OFFICER)

    client.force_login(officer)
    officer_page = client.get(LIST).content.decode()
    client.force_login(auditor)
    auditor_page = client.get(LIST).content.decode()

    assert f'data-saved-view="{view.pk}"' in officer_page
    assert "shared by" in officer_page
    assert f'data-saved-view="{view.pk}"' not in auditor_page


def test_a_name_is_used_once_per_list_and_owner(client, manager, programmes):
    _pipeline_view(manager)
    client.force_login(manager)

    response = _save(client, name="  Pipeline ")

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["You already have a view of this list with this name."]
    assert SavedView.objects.count() == 1


def test_a_view_keeps_to_the_sites_own_pages(client, manager, programmes):
    client.force_login(manager)

    response = client.post(
        SAVE, {"save-name": "Away", "save-source": SOURCE, "save-list_path": "//evil.example/programmes/"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["list_path"]
    assert not SavedView.objects.exists()


def test_a_list_the_user_may_not_read_cannot_be_saved(client, partner_user, programmes):
    client.force_login(partner_user)

    assert _save(client).status_code == 403
    assert not SavedView.objects.exists()


def test_only_the_owner_renames_or_deletes_a_view(client, manager, officer, programmes):
    view = _pipeline_view(manager, shared_with_role=Role.OFFICER)
    rename = reverse("exports:saved_view_rename", args=[view.pk])
    delete = reverse("exports:saved_view_delete", args=[view.pk])
    data = {f"rename-{view.pk}-name": "Mine now", f"rename-{view.pk}-shared_with_role": ""}

    client.force_login(officer)
    assert client.post(rename, data).status_code == 404
    assert client.post(delete).status_code == 404
    view.refresh_from_db()
    assert view.name == "Pipeline"

    client.force_login(manager)
    assert client.post(rename, data).status_code == 302
    view.refresh_from_db()
    assert (view.name, view.shared_with_role) == ("Mine now", "")
    assert client.post(delete).status_code == 302
    assert not SavedView.objects.exists()


def test_the_page_of_saved_views_lists_ones_own_and_those_shared(client, manager, officer, programmes):
    mine = services.saved_view_create(user=officer, name="Mine", source=SOURCE, list_path=LIST)
    shared = _pipeline_view(manager, shared_with_role=Role.OFFICER)
    client.force_login(officer)

    page = client.get(reverse("exports:saved_views")).content.decode()

    assert reverse("exports:saved_view_rename", args=[mine.pk]) in page
    assert reverse("exports:saved_view_rename", args=[shared.pk]) not in page
    assert f'href="{shared.url}"' in page


def test_a_rename_to_a_taken_name_is_refused_next_to_the_field(client, manager, programmes):
    _pipeline_view(manager)
    other = services.saved_view_create(user=manager, name="Everything", source=SOURCE, list_path=LIST)
    client.force_login(manager)

    response = client.post(
        reverse("exports:saved_view_rename", args=[other.pk]), {f"rename-{other.pk}-name": "Pipeline"}
    )

    assert response.status_code == 200
    assert "You already have a view of this list with this name." in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Everything"


def test_everyone_signed_in_has_a_page_of_saved_views(client, partner_user):
    page = reverse("exports:saved_views")
    assert client.get(page).status_code == 302

    client.force_login(partner_user)

    response = client.get(page)
    assert response.status_code == 200
    assert "You have no saved views yet." in response.content.decode()
