"""The staff's search box among programmes: by code or title."""

from cooperation.search import search
from tests.factories import ProgrammeFactory


def _programmes(user, query):
    groups = {group.key: group for group in search(user, query)}
    return groups.get("programs.programmes")


def test_officer_finds_programmes_by_code_and_title(officer, own_programme, foreign_programme):
    by_code = _programmes(officer, "OWN-001")
    assert [hit.title for hit in by_code.hits] == ["OWN-001 · Clean water for Nusa Tenggara"]
    assert by_code.hits[0].url == f"/programmes/{own_programme.pk}/"
    by_title = _programmes(officer, "cyclone relief")
    assert [hit.title for hit in by_title.hits] == ["FOREIGN-001 · Pacific cyclone relief"]
    assert _programmes(officer, "no such programme") is None


def test_auditor_finds_every_programme(auditor, own_programme, foreign_programme):
    ProgrammeFactory(code="KSM-2026-9999", title="Water and cyclone shelters")
    found = _programmes(auditor, "001")
    assert {hit.title.split(" · ")[0] for hit in found.hits} == {"OWN-001", "FOREIGN-001"}
    assert _programmes(auditor, "cyclone").total == 2


def test_partner_users_find_nothing_for_now(partner_user, own_programme):
    assert search(partner_user, "OWN-001") == []
    assert search(partner_user, "Clean water") == []
