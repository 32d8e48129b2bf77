"""A daily run pauses the cycle collector while it holds every reminder, and leaves it as it found it."""

import gc
from unittest import mock

import pytest

from cooperation.collector import collector_paused


@pytest.fixture(autouse=True)
def collector_restored():
    yield
    gc.enable()


def test_the_collector_is_paused_in_the_block_and_running_again_after_it():
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_runs_again_after_a_block_that_failed():
    with pytest.raises(ZeroDivisionError), collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_paused_already_stays_paused():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


@pytest.mark.django_db
def test_a_reminder_run_holds_its_reminders_with_the_collector_paused():
    from programs.finance.reminders import LoanReminders

    seen = []
    with mock.patch.object(LoanReminders, "due", lambda self: seen.append(gc.isenabled()) or []):
        assert LoanReminders(None).send() == []
    assert seen == [False] and gc.isenabled()
