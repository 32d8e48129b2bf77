"""Template helpers of the partner portal's scholarship pages."""

from dataclasses import dataclass

from django import template
from django.utils import timezone

from programs.scholarships.models import ApplicationStatus
from programs.scholarships.selectors import hosted_scholars, report_due_next

register = template.Library()


@dataclass(frozen=True)
class HostToDo:
    enrolments_to_confirm: int = 0
    reports_due: int = 0


@register.simple_tag(takes_context=True)
def scholars_to_do(context) -> HostToDo:
    """What the signed-in user's institution owes on its scholars: enrolments to confirm and progress reports
    due and not in (one query, whatever the number of scholars)."""
    user = getattr(context.get("request"), "user", None)
    if user is None:
        return HostToDo()
    today = timezone.localdate()
    scholars = hosted_scholars(user=user).filter(status__in=(ApplicationStatus.ACCEPTED, ApplicationStatus.ENROLLED))
    to_enrol = reports_due = 0
    for scholar in scholars:
        if scholar.status == ApplicationStatus.ACCEPTED:
            to_enrol += 1
        elif (due := report_due_next(scholar)) is not None and due <= today:
            reports_due += 1
    return HostToDo(to_enrol, reports_due)
