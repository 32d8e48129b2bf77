"""Background jobs of the kernel. Tasks take ids and are safe to run twice."""

from celery import shared_task
from django.contrib.auth import get_user_model

from cooperation import kept


@shared_task
def refresh_kept(*, name: str, user_id: int, path: str, query: str, language: str, zone: str, host: str) -> bool:
    """Compute a page refreshed by the worker (``cooperation.kept.render_refreshed``) for the state of the data
    now, as its reader will see it; whether it was kept (not when someone was first, or the reader is gone)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    return kept.refresh(name=name, user=user, path=path, query=query, language=language, zone=zone, host=host)
