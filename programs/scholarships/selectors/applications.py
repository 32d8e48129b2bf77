"""Calls, applications and who may see an applicant's personal data; the awards waiting for a decision."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cooperation.access import sees_everything
from cooperation.pages import in_order
from cooperation.records import with_related
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.scholarships.models import (
    HOLDS_AN_AWARD,
    Application,
    ApplicationStatus,
    Attachment,
    Call,
    CallStatus,
    Review,
)
from programs.scholarships.selectors._common import REDACTED, count_of, may
from programs.selectors import today_or, visible_records

# --- calls --------------------------------------------------------------------------------------------------------


def call_status_expression(today: datetime.date) -> Case:
    return Case(
        When(opens_on__gt=today, then=Value(CallStatus.UPCOMING.value)),
        When(closes_on__lt=today, then=Value(CallStatus.CLOSED.value)),
        default=Value(CallStatus.OPEN.value),
    )


def visible_calls(user) -> QuerySet[Call]:
    return visible_records(user, Call, Perm.VIEW_CALL, "host")


def call_list(*, user, today: datetime.date | None = None) -> QuerySet[Call]:
    """Calls ``user`` may see, with ``status`` (upcoming/open/closed today), ``application_count`` and
    ``awards_made`` (awarded, accepted, enrolled or completed) computed in SQL."""
    return (
        visible_calls(user)
        .select_related("programme", "host", "stipend_currency", "responsible_officer")
        .annotate(
            status=call_status_expression(today_or(today)),
            application_count=count_of(Application, "call"),
            awards_made=count_of(Application, "call", Q(status__in=HOLDS_AN_AWARD)),
        )
    )


def call_rows(*, user, today: datetime.date | None = None) -> QuerySet[Call]:
    """Calls ``user`` may see with their ``status``, without the counts and related rows of ``call_list``: what a
    list sorts, filters and pages before ``call_page`` reads the page's calls whole."""
    return visible_calls(user).annotate(status=call_status_expression(today_or(today)))


def call_page(ids, *, user, rows: QuerySet[Call] | None = None) -> list[Call]:
    """The calls of a page (their ``ids`` in the list's order) as ``rows`` reads them (by default ``call_list``,
    with its counts)."""
    return in_order(ids, call_list(user=user) if rows is None else rows)


def call_choices(*, user) -> QuerySet[Call]:
    """The calls ``user`` may pick in a filter: those their lists show, without the list's counts."""
    return visible_calls(user).order_by("title", "pk")


def call_get(*, user, pk, today: datetime.date | None = None) -> Call:
    return get_object_or_404(call_list(user=user, today=today), pk=pk)


def open_calls(*, user, today: datetime.date | None = None) -> QuerySet[Call]:
    return call_list(user=user, today=today).filter(status=CallStatus.OPEN.value).order_by("closes_on", "title")


def call_criteria(call: Call):
    return call.criteria.all()


def awards_made(call: Call) -> int:
    return Application.objects.filter(call=call, status__in=HOLDS_AN_AWARD).count()


# --- applications and privacy -------------------------------------------------------------------------------------


def _reviewing(user) -> QuerySet[Review]:
    """The user's own assignments on the outer application, recused or not."""
    return Review.objects.filter(application=OuterRef("pk"), reviewer=user)


def personal_data_condition(user) -> Q:
    """The SQL condition for the applications whose personal data ``user`` may see: the one privacy rule.

    By role (officers and managers), as a reviewer assigned to the application, or as its host institution
    after the award; never on an application the user is recused from, whatever the role.
    """
    if not (user and user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    recused = Q(Exists(_reviewing(user).filter(conflict_declared_at__isnull=False)))
    if may(user, Perm.SEE_PERSONAL_DATA):
        return ~recused
    as_reviewer = Q(Exists(_reviewing(user).filter(conflict_declared_at__isnull=True)))
    as_host = Q(awarded_at__isnull=False, call__host_id__in=user_organisation_ids(user))
    return (as_reviewer | as_host) & ~recused


def attachment_condition(user) -> Q:
    """The files ``user`` may see: those of the applications whose personal data they may see."""
    return Q(application__in=Application.objects.filter(personal_data_condition(user)).values("pk"))


def with_personal_data_flag(queryset: QuerySet[Application], user) -> QuerySet[Application]:
    """Annotate ``personal_data_visible``: whether ``user`` may see the applicant's email, date of birth and files."""
    condition = personal_data_condition(user)
    return queryset.annotate(personal_data_visible=Case(When(condition, then=Value(True)), default=Value(False)))


def personal_data_ids(*, user, applications) -> set[int]:
    """The ids among ``applications`` (a queryset or ids) whose personal data ``user`` may see: one query."""
    queryset = applications if isinstance(applications, QuerySet) else Application.objects.filter(pk__in=applications)
    return set(queryset.filter(personal_data_condition(user)).values_list("pk", flat=True))


def can_see_personal_data(user, application: Application) -> bool:
    flag = getattr(application, "personal_data_visible", None)
    if flag is not None and getattr(application, "_flag_user_id", None) == getattr(user, "pk", None):
        return flag
    return application.pk in personal_data_ids(user=user, applications=[application.pk])


def redacted(application: Application, field: str):
    """The value of a personal field, or REDACTED when the list's flag says it may not be shown."""
    return getattr(application, field) if getattr(application, "personal_data_visible", False) else REDACTED


def visible_applications(user) -> QuerySet[Application]:
    if not may(user, Perm.VIEW_APPLICATION):
        return Application.objects.none()
    if sees_everything(user):
        return Application.objects.all()
    return Application.objects.filter(
        Q(awarded_at__isnull=False, call__host_id__in=user_organisation_ids(user)) | Q(Exists(_reviewing(user)))
    )


def application_list(*, user) -> QuerySet[Application]:
    """Applications ``user`` may see, with ``personal_data_visible``, ``reviews_assigned`` and ``reviews_completed``."""
    queryset = (
        visible_applications(user)
        .select_related("call__host", "call__programme", "nationality")
        .annotate(
            reviews_assigned=count_of(Review, "application"),
            reviews_completed=count_of(Review, "application", Q(completed_at__isnull=False)),
        )
    )
    return with_personal_data_flag(queryset, user)


def application_rows(*, user) -> QuerySet[Application]:
    """Applications ``user`` may see, without the figures of ``application_list``: what a list sorts, filters and
    pages before ``application_page`` reads the figures of the page's rows alone."""
    return visible_applications(user)


def application_page(ids, *, user, rows: QuerySet[Application] | None = None) -> list[Application]:
    """The applications of a list's page (their ``ids`` in the list's order) as ``rows`` reads them (by default
    ``application_list``, with its figures and the personal data flag)."""
    return in_order(ids, application_list(user=user) if rows is None else rows)


def application_get(*, user, pk) -> Application:
    queryset = application_list(user=user).select_related(None).select_related("call")
    application = with_related(
        get_object_or_404(queryset, pk=pk), "nationality", "submitted_by", "award_proposed_by", "awarded_by"
    )
    with_related(application.call, "host", "programme")
    application._flag_user_id = user.pk
    return application


def scholar_list(*, user) -> QuerySet[Application]:
    """Applications awarded at some point (the scholars), for the partner portal and the officers alike."""
    return application_list(user=user).filter(awarded_at__isnull=False).order_by("-awarded_at", "pk")


def application_attachments(*, user, application: Application) -> QuerySet[Attachment]:
    """The applicant's files, for those who may see personal data; anyone else is refused."""
    if not can_see_personal_data(user, application):
        raise PermissionDenied(_("Applicants' files are shown only to those who need them."))
    return application.attachments.select_related("uploaded_by")


def attachment_get(*, user, pk, application_id=None) -> Attachment:
    """One file to stream (of ``application_id``, when given): 404 unless the user sees the application and its
    personal data — the same 404 as for a file that does not exist."""
    visible = visible_applications(user).filter(personal_data_condition(user))
    files = Attachment.objects.filter(application__in=visible.values("pk"))
    if application_id is not None:
        files = files.filter(application_id=application_id)
    return get_object_or_404(files.select_related("application"), pk=pk)


# --- officer queues: reviewers, awards, stipends, reports ---------------------------------------------------------


def award_proposals(*, user) -> QuerySet[Application]:
    """Proposed awards waiting for a manager's decision, oldest proposal first, with ``call_awards_held`` (the
    awards their call already holds, for the quota)."""
    return (
        application_list(user=user)
        .filter(status=ApplicationStatus.SHORTLISTED, award_proposed_by__isnull=False)
        .annotate(call_awards_held=count_of(Application, "call", Q(status__in=HOLDS_AN_AWARD), outer="call_id"))
        .select_related("award_proposed_by")
        .order_by("award_proposed_at", "pk")
    )


def recent_awards(*, user, limit: int = 20) -> QuerySet[Application]:
    return (
        application_list(user=user)
        .filter(awarded_at__isnull=False)
        .select_related("award_proposed_by", "awarded_by")
        .order_by("-awarded_at", "-pk")[:limit]
    )


def awards_and_proposals(*, user) -> QuerySet[Application]:
    """Every award: the proposals waiting for a manager's decision first (oldest proposal first), then the awards
    approved, newest first, whatever happened to the scholar after."""
    pending = Q(status=ApplicationStatus.SHORTLISTED, award_proposed_by__isnull=False)
    pending_first = Case(When(pending, then=Value(0)), default=Value(1))
    return (
        application_list(user=user)
        .filter(pending | Q(awarded_at__isnull=False))
        .select_related("award_proposed_by", "awarded_by", "call__stipend_currency")
        .order_by(pending_first, F("awarded_at").desc(), "award_proposed_at", "pk")
    )


def call_quotas(*, user) -> QuerySet[Call]:
    """Calls with an award made or proposed: ``awards_made`` of ``awards_available``, and ``proposals_pending``."""
    pending = Q(status=ApplicationStatus.SHORTLISTED, award_proposed_by__isnull=False)
    return (
        call_list(user=user)
        .annotate(proposals_pending=count_of(Application, "call", pending))
        .filter(Q(awards_made__gt=0) | Q(proposals_pending__gt=0))
        .order_by("-closes_on", "title")
    )
