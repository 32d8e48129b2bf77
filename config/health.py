"""Health check: is the database reachable, is the broker reachable; and how much the outbox holds."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means the database is down for our purpose
        return "down"
    return "ok"


def _broker_state() -> str:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # kombu raises transport-specific errors
        return "down"
    return "ok"


def _outbox_backlog() -> dict | None:
    """Messages waiting and the lateness of the oldest due one: for monitoring, never a reason to fail health
    (a backlog is what the outbox is for while the mail server or the broker is away)."""
    from cooperation.outbox.delivery import backlog

    try:
        return backlog()
    except Exception:  # the database state already says why
        return None


@never_cache
@require_GET
def healthz(request):
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(value == "ok" for value in state.values())
    body = {"status": "ok" if healthy else "degraded", **state}
    if state["database"] == "ok":
        body["outbox"] = _outbox_backlog()
    return JsonResponse(body, status=200 if healthy else 503)
