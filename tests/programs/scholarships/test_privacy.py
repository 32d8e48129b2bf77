"""Who sees what: applicants' email, date of birth and files only for officers, managers, the reviewers
assigned (not recused) and the host institution after award; partner users see only their institution's
calls, scholars and activities (404 otherwise); auditors see applications but never personal data."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cooperation.roles import Role
from programs.scholarships import selectors, services
from programs.scholarships.models import ApplicationStatus
from tests.factories import MembershipFactory, UserFactory
from tests.programs.scholarships.factories import (
    ApplicationFactory,
    AttachmentFactory,
    CallFactory,
    ExchangeActivityFactory,
    ReviewFactory,
    staff,
    take_part,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def call(partner_org):
    return CallFactory(host=partner_org)


@pytest.fixture
def applicant(call):
    application = ApplicationFactory(call=call)
    AttachmentFactory(application=application)
    return application


@pytest.fixture
def scholar(call):
    application = ApplicationFactory(call=call, status=S.ENROLLED)
    type(application).objects.filter(pk=application.pk).update(
        awarded_at="2026-01-05T09:00:00Z", award_proposed_by=staff()
    )
    return application


def sees(user, application) -> bool:
    return selectors.can_see_personal_data(user, application)


def test_officers_and_managers_see_personal_data(officer, manager, applicant):
    assert sees(officer, applicant) and sees(manager, applicant)
    assert len(selectors.application_attachments(user=officer, application=applicant)) == 1


def test_auditors_see_the_application_but_not_its_personal_data(auditor, applicant):
    row = selectors.application_get(user=auditor, pk=applicant.pk)
    assert row.personal_data_visible is False and not sees(auditor, applicant)
    assert selectors.redacted(row, "email") == selectors.REDACTED
    with pytest.raises(PermissionDenied):
        selectors.application_attachments(user=auditor, application=applicant)
    with pytest.raises(Http404):
        selectors.attachment_get(user=auditor, pk=applicant.attachments.get().pk)


def reviewer_without_the_officer_permission():
    """A staff reviewer whose role does not carry SEE_PERSONAL_DATA: only the assignment can open the file."""
    user = UserFactory(role=Role.OFFICER)
    from django.contrib.auth.models import Permission

    user.groups.clear()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["review_application", "view_application", "view_review"])
    )
    return type(user).objects.get(pk=user.pk)


def test_an_assigned_reviewer_sees_personal_data_until_recused(applicant):
    reviewer = reviewer_without_the_officer_permission()
    assert selectors.application_list(user=reviewer).count() == 0
    review = ReviewFactory(application=applicant, reviewer=reviewer)
    assert sees(reviewer, applicant)
    assert selectors.application_list(user=reviewer).get().personal_data_visible is True
    services.review_declare_conflict(review=review, reviewer=reviewer, note="Relative.")
    assert not sees(reviewer, applicant)
    with pytest.raises(Http404):
        selectors.attachment_get(user=reviewer, pk=applicant.attachments.get().pk)


def test_the_host_sees_scholars_only_from_the_award_on(partner_user, applicant, scholar):
    visible = selectors.application_list(user=partner_user)
    assert list(visible.values_list("pk", flat=True)) == [scholar.pk]
    assert visible.get().personal_data_visible is True
    assert not sees(partner_user, applicant)
    with pytest.raises(Http404):
        selectors.application_get(user=partner_user, pk=applicant.pk)


def test_another_institution_gets_404_for_the_scholar(other_partner_user, scholar):
    with pytest.raises(Http404):
        selectors.application_get(user=other_partner_user, pk=scholar.pk)
    assert not sees(other_partner_user, scholar)
    assert list(selectors.scholar_list(user=other_partner_user)) == []
    assert list(selectors.tranche_list(user=other_partner_user)) == []
    assert list(selectors.progress_report_list(user=other_partner_user)) == []


def test_partners_see_only_the_calls_their_institution_hosts(partner_user, other_partner_user, call):
    assert list(selectors.call_list(user=partner_user)) == [call]
    with pytest.raises(Http404):
        selectors.call_get(user=other_partner_user, pk=call.pk)


def test_personal_data_ids_in_one_query(officer, auditor, partner_user, applicant, scholar, django_assert_num_queries):
    ids = [applicant.pk, scholar.pk]
    for user in (officer, auditor, partner_user):  # permissions and memberships are looked up once per user
        selectors.personal_data_ids(user=user, applications=ids)
    with django_assert_num_queries(1):
        assert selectors.personal_data_ids(user=officer, applications=ids) == set(ids)
    with django_assert_num_queries(1):
        assert selectors.personal_data_ids(user=auditor, applications=ids) == set()
    with django_assert_num_queries(1):
        assert selectors.personal_data_ids(user=partner_user, applications=ids) == {scholar.pk}


def test_the_application_list_costs_the_same_queries_for_few_and_many(officer, call, django_assert_num_queries):
    officer.has_perm(Role.OFFICER)

    def read():
        with django_assert_num_queries(1):
            return [
                (a.call.host.name, a.nationality.name, a.personal_data_visible)
                for a in selectors.application_list(user=officer)
            ]

    ApplicationFactory(call=call)
    assert len(read()) == 1
    for _ in range(8):
        ApplicationFactory(call=CallFactory())
    assert len(read()) == 9


def test_partners_see_the_activities_they_host_or_take_part_in(partner_user, partner_org, other_org):
    hosted = ExchangeActivityFactory(host=partner_org)
    involved = ExchangeActivityFactory(host=other_org)
    take_part(involved.programme, partner_org)
    involved.partners.add(partner_org)
    ExchangeActivityFactory(host=other_org)
    assert set(selectors.activity_list(user=partner_user)) == {hosted, involved}
    stranger = MembershipFactory().user
    with pytest.raises(Http404):
        selectors.activity_get(user=stranger, pk=hosted.pk)
