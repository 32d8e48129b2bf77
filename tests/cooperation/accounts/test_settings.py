"""The account settings' defaults: two-factor login enforced in production only; nonsense values refused."""

from tests.cooperation.test_settings import PRODUCTION_ENV, random_secret_key, run_manage

SHOW = (
    "from django.conf import settings as s; "
    "print(s.KERJASAMA_2FA_ENFORCED, s.KERJASAMA_TRUSTED_PROXIES, s.SESSION_IDLE_MINUTES, s.API_TOKEN_TTL_HOURS)"
)


def test_production_enforces_two_factor_login_by_default():
    result = run_manage("shell", "-c", SHOW, SECRET_KEY=random_secret_key(), **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == ["True", "0", "30", "24"]


def test_development_does_not_unless_asked():
    assert run_manage("shell", "-c", SHOW, KERJASAMA_PRODUCTION="0").stdout.split()[-4:] == ["False", "0", "30", "24"]
    asked = run_manage("shell", "-c", SHOW, KERJASAMA_PRODUCTION="0", KERJASAMA_2FA_ENFORCED="1")
    assert asked.stdout.split()[-4] == "True"


NONSENSE = [("KERJASAMA_TRUSTED_PROXIES", "-1"), ("SESSION_IDLE_MINUTES", "0"), ("API_TOKEN_TTL_HOURS", "0")]


def test_nonsense_values_refuse_to_start():
    for name, value in NONSENSE:
        result = run_manage("check", KERJASAMA_PRODUCTION="0", **{name: value})
        assert result.returncode != 0, name
        assert name in result.stderr, name
