"""Template helpers of the partner portal's finance pages."""

from django import template

from programs.finance.selectors import notification_list

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """How many messages for the signed-in user's organisation are still unread (one COUNT query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return 0
    return notification_list(user=user).filter(read_at__isnull=True).count()
