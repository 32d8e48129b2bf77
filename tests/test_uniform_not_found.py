"""A record someone may not see answers exactly as a record that does not exist.

Every URL of the project that names a record (pages, the partner portal, the API, downloads) is asked, by each
user who may not see that record, once for the real record and once for ids that do not exist: the status, the
content type, the body (per-request tokens and the URL itself aside) and the redirect target must be the same.
A partner user of another organisation, someone signed out, a partner user on staff pages, an auditor asking for
an applicant's file and a manager opening someone else's review learn nothing from the answer.
"""

import uuid

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.urls.converters import IntConverter, UUIDConverter

from tests.api_errors import error_fields
from tests.responses import comparable
from tests.test_access_matrix import (  # noqa: F401 (world is a fixture)
    EVERYONE,
    EXPECTED,
    NAMED_LISTS,
    NOT_WALKED_PREFIXES,
    _named_patterns,
    world,
)

pytestmark = pytest.mark.django_db

MISSING = 987654321
REFUSALS = {302, 401, 403, 404, 405}
# Applicants' files: the auditor sees the application, never the file.
PERSONAL_FILES = {"scholarships:attachment_download", "api:application-attachment"}
# A review is its reviewer's: other staff see the application, not the assignment's own page.
OWN_REVIEW = {"scholarships:review_detail", "scholarships:review_conflict"}


class _Rollback(Exception):
    pass


def _askers(name: str) -> set[str]:
    """Who, among the world's users, may not see the record this URL names."""
    askers = {"anonymous", "partner2"}  # the world's records belong to `partner`'s organisation or to staff
    if EXPECTED[name] and "partner" not in EXPECTED[name]:
        askers.add("partner")  # a staff page: the partner user's own organisation's record is not theirs here
    if name in PERSONAL_FILES:
        askers.add("auditor")
    if name in OWN_REVIEW:
        askers |= {"manager", "auditor", "admin"}
    return askers


def _missing(converter):
    """An id of the converter's kind that names no record."""
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=0)
    if isinstance(converter, IntConverter):
        return MISSING
    return "missing"  # a signed token, say


def _variants(name: str, pattern, objects) -> tuple[str, list[str]]:
    """The record's URL, and the same URL with each of its ids, then all of them, replaced by missing ones."""
    kwargs = next(values for prefix, values in objects.items() if name.startswith(prefix))
    converters = pattern.pattern.converters
    real = {key: kwargs[key] for key in converters}
    absent = {key: _missing(converter) for key, converter in converters.items()}
    missing = [reverse(name, kwargs=real | {key: absent[key]}) for key in real]
    if len(real) > 1:
        missing.append(reverse(name, kwargs=absent))
    return reverse(name, kwargs=real), missing


def _ask(client: Client, method: str, url: str) -> tuple:
    try:
        with transaction.atomic():
            response = client.post(url) if method == "POST" else client.get(url)
            answer = comparable(response, [url])
            raise _Rollback
    except _Rollback:
        return answer


def test_a_record_one_may_not_see_answers_as_one_that_does_not_exist(world):
    objects, users = world
    failures, compared = [], 0
    for name, pattern in _named_patterns():
        if name.startswith(NOT_WALKED_PREFIXES) or not pattern.pattern.converters or name in NAMED_LISTS:
            continue
        if EXPECTED[name] == EVERYONE:
            continue  # a link whose key is the credential (the alumni's): whoever holds it may open it
        method = "GET" if EXPECTED[name] else "POST"  # URLs that no role may GET take a POST
        real, missing_urls = _variants(name, pattern, objects)
        for role in sorted(_askers(name)):
            client = Client()
            if users[role] is not None:
                client.force_login(users[role])
            foreign = _ask(client, method, real)
            if foreign[0] not in REFUSALS:
                failures.append(f"{role} {method} {real} ({name}) → {foreign[0]}: the record was shown")
                continue
            for missing_url in missing_urls:
                missing = _ask(client, method, missing_url)
                compared += 1
                if missing != foreign:
                    parts = zip(("status", "type", "location", "body"), foreign, missing, strict=True)
                    differs = ", ".join(part for part, mine, theirs in parts if mine != theirs)
                    failures.append(f"{role} {method} {name}: {real} ≠ {missing_url} ({differs})")
    assert failures == [], "\n".join(failures)
    assert compared > 300  # every record URL was asked about, not a handful


def test_the_not_found_page_says_nothing_of_the_record_in_either_language(client, partner_user):
    client.force_login(partner_user)
    page = client.get("/portal/scholarships/scholars/987654321/")
    assert page.status_code == 404 and "Page not found" in page.text and "matches the given query" not in page.text
    page = client.get("/portal/scholarships/scholars/987654321/", headers={"accept-language": "id"})
    assert "Halaman tidak ditemukan" in page.text


def test_the_api_not_found_answer_is_one_fixed_message(client, partner_user):
    client.force_login(partner_user)
    addresses = (
        "/api/v1/loans/987654321/",
        "/api/v1/scholarship-applications/987654321/attachments/1/",
        "/api/v1/scholarship-calls/%C2%AF%0A%C3%97/",  # a line break in the id
    )
    for url in addresses:
        response = client.get(url)
        assert response.status_code == 404
        assert error_fields(response) == {"": ["Not found."]}, url
