import os
import re

import pytest

from cooperation.roles import Role
from tests.factories import MembershipFactory, OrganisationFactory, ParticipationFactory, ProgrammeFactory, UserFactory


def _broker_of_this_worker(url: str) -> str:
    """Under pytest-xdist each worker process gets a Redis database of its own (10, 11, ...), so a test that
    purges the queue or starts a worker never takes another process's messages."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url.startswith("redis://") or not worker.startswith("gw"):
        return url
    database = 10 + int(worker[2:])
    return re.sub(r"(/\d+)?$", f"/{database}", url.split("?")[0].rstrip("/"), count=1)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.CELERY_BROKER_URL = _broker_of_this_worker(settings.CELERY_BROKER_URL)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.AXES_ENABLED = False
    settings.KERJASAMA_2FA_ENFORCED = False  # as in development; tests of the enforcement turn it on themselves
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"  # applicants' files: a folder of the test's own, never var/


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the API throttles and the online applications' limits count in it, and
    another test's counts (a demo loaded earlier in the same process) must not refuse this one's requests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in the default language: a request in Indonesian leaves it active in the thread."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", role=Role.OFFICER)


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", role=Role.MANAGER)


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", role=Role.AUDITOR)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True, role=Role.ADMINISTRATOR)


@pytest.fixture
def partner_org(db):
    return OrganisationFactory(name="Yayasan Air Bersih", acronym="YAB")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Pacific Relief Network", acronym="PRN")


@pytest.fixture
def partner_user(partner_org):
    return MembershipFactory(user__username="partner", organisation=partner_org).user


@pytest.fixture
def other_partner_user(other_org):
    return MembershipFactory(user__username="partner2", organisation=other_org).user


@pytest.fixture
def own_programme(partner_org):
    """A programme the partner user's organisation takes part in."""
    programme = ProgrammeFactory(code="OWN-001", title="Clean water for Nusa Tenggara")
    ParticipationFactory(programme=programme, organisation=partner_org)
    return programme


@pytest.fixture
def foreign_programme(other_org):
    """A programme only the other organisation takes part in."""
    programme = ProgrammeFactory(code="FOREIGN-001", title="Pacific cyclone relief")
    ParticipationFactory(programme=programme, organisation=other_org)
    return programme


@pytest.fixture
def reference_data_db(transactional_db):
    """A transactional database with the reference data and roles that migrations normally provide.

    Transactional tests empty every table when they end, so each one reloads
    what the data migrations created.
    """
    import importlib

    from django.apps import apps

    from cooperation.reference.loading import load_reference_data
    from cooperation.roles import sync_roles

    load_reference_data(apps)
    sync_roles()
    # The managed list of disaggregation dimensions (sex, age group, ...), as its data migration makes it.
    importlib.import_module("programs.results.migrations.0002_dimensions_and_roles").add_dimensions(apps, None)
