"""Production mode passes Django's deployment checks, and refuses to start without a real secret key."""

import json
import os
import secrets
import string
import subprocess
import sys

from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")


# Set by the test run itself (the browser tests allow sync ORM calls inside Playwright's event loop),
# or by a developer's shell: none of them belongs in the production process checked here.
NOT_INHERITED = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SECRET_KEY", "EMAIL_HOST", "EMAIL_BACKEND"}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def random_secret_key(length: int = 60) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#$%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


PRODUCTION_ENV = {"KERJASAMA_PRODUCTION": "1", "ALLOWED_HOSTS": "example.org"}


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=random_secret_key(),
        EMAIL_HOST="smtp.example.org",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_mail_server_fails_the_deploy_check():
    # Password-reset mail printed to a console nobody reads would be lost: Django's deploy check says so.
    environment = {"SECRET_KEY": random_secret_key(), **PRODUCTION_ENV}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", EMAIL_HOST="", **environment)
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_development_settings_fail_the_deploy_check():
    # The check above can fail: without production mode the same command reports problems.
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", KERJASAMA_PRODUCTION="0")
    assert result.returncode != 0
    assert "security.W" in result.stderr + result.stdout


def test_production_without_secret_key_refuses_to_start():
    result = run_manage("check", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_with_a_short_secret_key_refuses_to_start():
    result = run_manage("check", SECRET_KEY="too-short", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


SHOW_HEADERS = """
import json
from django.test import Client
response = Client(HTTP_HOST="example.org").get("/api/v1/", secure=True, HTTP_ACCEPT_ENCODING="gzip")
print(json.dumps({name: response.get(name) for name in (
    "Content-Security-Policy", "Permissions-Policy", "Referrer-Policy", "X-Content-Type-Options",
    "Cross-Origin-Opener-Policy", "Strict-Transport-Security",
)}))
"""


def test_production_answers_carry_the_security_headers():
    result = run_manage("shell", "-c", SHOW_HEADERS, SECRET_KEY=random_secret_key(), **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    headers = json.loads(result.stdout.splitlines()[-1])

    policy = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"} <= {
        item.strip() for item in headers["Permissions-Policy"].split(",")
    }
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
