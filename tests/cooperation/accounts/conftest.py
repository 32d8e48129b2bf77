from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache


@pytest.fixture
def clock():
    """A fixed clock that only moves when the test moves it (``clock.shift(seconds)``)."""
    with time_machine.travel(datetime(2026, 5, 4, 9, 0, 5, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # The token throttle counts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def enforced(settings):
    """Two-factor login required where the roles say so, as in production."""
    settings.KERJASAMA_2FA_ENFORCED = True
    return settings


@pytest.fixture
def axes_on(settings):
    from axes.utils import reset

    settings.AXES_ENABLED = True
    reset()
    yield settings
    reset()
