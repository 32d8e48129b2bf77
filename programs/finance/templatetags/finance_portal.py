"""Template helpers of the partner portal's finance pages."""

from django import template

from cooperation.pages import signed_in_count
from programs.finance.selectors import notification_list

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """How many messages for the signed-in user's organisation are still unread (one COUNT query)."""
    return signed_in_count(context, lambda user: notification_list(user=user).filter(read_at__isnull=True).count())
