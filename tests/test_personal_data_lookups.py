"""No page, portal page or API list answers a question about personal data it would not show.

Every list of the project (officer pages, the dashboard, exports, the API's lists, a call's pages) is asked, by
an auditor and by a manager recused from one application, to filter, search and sort by that applicant's email and
date of birth. Each request is made twice, identically: once with the applicant's real data, once after that data
changed. The answers must be the same byte for byte: what the user may not see cannot change what they are told
(a filter or a sort on personal data is refused or ignored, never obeyed). The admin is walked in
``tests/cooperation``.
"""

import datetime

import pytest
from django.urls import reverse

from programs.scholarships import services
from programs.scholarships.models import Application, ApplicationStatus
from tests.programs.scholarships.factories import ApplicationFactory, AttachmentFactory, CallFactory, ReviewFactory
from tests.responses import comparable
from tests.test_access_matrix import EXPECTED, NOT_WALKED_PREFIXES, _named_patterns

pytestmark = pytest.mark.django_db

EMAIL, BORN = "siti.rahmawati@mail.example", datetime.date(1997, 3, 14)
# The same applicant after their data changed: first in every sort by email or birth date, matched by no filter.
CHANGED = {
    "email": "aaa.changed@mail.example",
    "email_key": "aaa.changed@mail.example",
    "date_of_birth": datetime.date(1961, 1, 1),
}
FILTERS = {
    "email": EMAIL,
    "email__istartswith": "siti",
    "email__icontains": "rahmawati",
    "applicant_email": EMAIL,
    "application__email": EMAIL,
    "email_key": EMAIL,
    "date_of_birth": BORN.isoformat(),
    "date_of_birth__gte": "1990-01-01",
    "birth_date": BORN.isoformat(),
    "application__date_of_birth": BORN.isoformat(),
}
# Every filter at once (each alone would tell the two apart when obeyed), with a sort by personal data.
PROBES = [
    FILTERS | {"ordering": order, "sort": order} for order in ("email", "date_of_birth", "application__email")
] + [{"q": EMAIL, "search": EMAIL}]
# A call's own pages list its applications.
CALL_PAGES = ("scholarships:call_detail", "scholarships:call_ranking", "scholarships:call_reviewers")
# Not lists: forms, and the API's schema and docs (slow, and about no record).
NOT_LISTS = ("create", "edit", "new", "preview", "api-schema", "api-docs")


@pytest.fixture
def applications():
    call = CallFactory()
    applicant = ApplicationFactory(
        call=call,
        applicant_name="Siti Rahmawati",
        email=EMAIL,
        email_key=EMAIL,
        date_of_birth=BORN,
        status=ApplicationStatus.ELIGIBLE,
    )
    AttachmentFactory(application=applicant)
    # On either side of the applicant in every order by email or birth date, until the applicant's data changes.
    ApplicationFactory(call=call, email="ana.soares@mail.example", date_of_birth=datetime.date(1995, 1, 1))
    ApplicationFactory(call=call, email="zeca.lopes@mail.example", date_of_birth=datetime.date(2001, 1, 1))
    return call, applicant


@pytest.fixture
def recused_manager(manager, applications):
    _, applicant = applications
    review = ReviewFactory(application=applicant, reviewer=manager)
    services.review_declare_conflict(review=review, reviewer=manager, note="A relative.")
    return manager


def _lists(call):
    for name, pattern in _named_patterns():
        if name.startswith(NOT_WALKED_PREFIXES) or not EXPECTED.get(name) or any(part in name for part in NOT_LISTS):
            continue
        if not pattern.pattern.converters:
            yield name, reverse(name)
        elif name in CALL_PAGES:
            yield name, reverse(name, args=[call.pk])


@pytest.mark.parametrize("role", ["auditor", "recused_manager"])
def test_no_list_answers_a_question_about_personal_data(client, request, applications, role):
    user = request.getfixturevalue(role)
    call, applicant = applications
    real = {field: getattr(applicant, field) for field in CHANGED}
    rows = Application.objects.filter(pk=applicant.pk)
    client.force_login(user)
    failures, compared = [], 0
    for name, url in _lists(call):
        if ("manager" if role == "recused_manager" else role) not in EXPECTED[name]:
            continue
        for params in PROBES:
            before = comparable(client.get(url, params))
            rows.update(**CHANGED)
            after = comparable(client.get(url, params))
            rows.update(**real)
            compared += 1
            if before != after:
                failures.append(f"{name} {url}?{'&'.join(f'{k}={v}' for k, v in params.items())}")
    assert failures == [], "These answers changed with the applicant's hidden data:\n" + "\n".join(failures)
    assert compared > 100
