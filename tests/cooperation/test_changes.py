"""The state of the data moves on with every committed write, and only then."""

import pytest
from django.db import connection, transaction

from cooperation import changes
from tests.factories import ProgrammeFactory


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('SELECT "finance_loan"."id" FROM "finance_loan"', False),
        ('SELECT "finance_loan"."id" FROM "finance_loan" FOR UPDATE', False),
        ('SAVEPOINT "s1"', False),
        ('RELEASE SAVEPOINT "s1"', False),
        ("WITH due AS (SELECT 1) SELECT * FROM due", False),
        ('UPDATE "finance_loan" SET "status" = 40', True),
        ('INSERT INTO "finance_repayment" ("amount") VALUES (1)', True),
        ('INSERT OR IGNORE INTO "finance_reminderlog" ("kind") VALUES (1)', True),
        ('DELETE FROM "budgets_expenditure" WHERE "id" = 1', True),
        ('WITH moved AS (UPDATE "finance_loan" SET "status" = 40 RETURNING 1) SELECT 1', True),
        ('TRUNCATE "finance_loan"', True),
        ('ALTER TABLE "finance_loan" ADD COLUMN "x" integer', True),
        ('UPDATE "django_session" SET "expire_date" = now()', False),
        ('UPDATE "core_outboxmessage" SET "status" = 2', True),  # a page shows its messages' delivery
        ('INSERT INTO "accounts_securityevent" ("kind") VALUES (1)', False),
        ('INSERT INTO "axes_accesslog" ("username") VALUES (1)', False),
    ],
)
def test_a_statement_writes_unless_it_reads_or_touches_only_unwatched_tables(sql, writes):
    assert changes.writes(sql) is writes


@pytest.fixture
def shared_cache(settings, tmp_path):
    """A cache every process reads (files in a folder), as Redis is in production."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    }


def test_each_process_keeping_its_own_cache_keeps_nothing(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not changes.is_shared()


def test_keeping_can_be_switched_off(settings, shared_cache):
    assert changes.is_shared()
    settings.KERJASAMA_KEEP_RENDERED = False
    assert not changes.is_shared()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data_db")  # a transactional test before this one may have emptied the tables
def test_a_committed_write_moves_the_state_on_and_a_rolled_back_one_does_not(shared_cache):
    before = changes.token()
    assert before is not None and changes.token() == before  # reading does not move it

    with transaction.atomic():
        ProgrammeFactory(code="P-1")
        assert changes.writes_pending()
        assert changes.token() == before  # not before the commit: others still see the data as it was
    after = changes.token()
    assert after != before and not changes.writes_pending()

    with pytest.raises(RuntimeError), transaction.atomic():
        ProgrammeFactory(code="P-2")
        raise RuntimeError("changed my mind")
    assert changes.token() == after

    with transaction.atomic():
        ProgrammeFactory.build(code="P-3")  # built, never saved: nothing written
        assert not changes.writes_pending()
    assert changes.token() == after


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_moves_the_state_at_once(shared_cache):
    before = changes.token()
    with connection.cursor() as cursor:
        cursor.execute('UPDATE "programs_programme" SET "title" = "title"')
    assert changes.token() != before


@pytest.mark.django_db(transaction=True)
def test_a_write_to_an_unwatched_table_moves_nothing(shared_cache):
    from django.contrib.sessions.backends.db import SessionStore

    before = changes.token()
    session = SessionStore()
    session["seen"] = True
    session.save()
    assert changes.token() == before


class CacheAway:
    def __getattr__(self, name):
        def away(*args, **kwargs):
            raise ConnectionError("no cache server")

        return away


def test_a_cache_that_is_away_gives_no_state_and_moving_on_does_not_fail(monkeypatch):
    monkeypatch.setattr(changes, "cache", CacheAway())
    assert changes.token() is None
    changes.moved()  # logged, not raised: the write it follows has been committed


def test_two_installations_sharing_a_cache_server_never_share_a_state(shared_cache, monkeypatch):
    this_one = changes.token()
    monkeypatch.setitem(connection.settings_dict, "NAME", "another_installation")
    assert changes.token() != this_one
    changes.moved()  # the other installation's write
    monkeypatch.undo()
    assert changes.token() == this_one
