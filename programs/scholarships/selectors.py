"""Reads of calls, applications, reviews, rankings, stipends, progress reports and exchange activities,
scoped to who asks.

Who sees what:
- Officers, managers, auditors and administrators (``sees_everything``) see every record.
- A partner user sees the calls their organisation hosts, its scholars (applications awarded at some
  point, whatever happened after), their reports and stipends, and the activities it hosts or takes part
  in; anything else is 404.
- A reviewer sees the applications assigned to them.

Applicants' personal data (email, date of birth, attachments) is a narrower circle than seeing the
application: officers and managers (``Perm.SEE_PERSONAL_DATA``; administrators hold every permission),
the reviewers assigned to that application who are not recused (a reviewer who declared a conflict of
interest must not read the file they stepped away from), and the host institution's users once the
application was awarded. Auditors see applications and aggregates, never personal data. Lists carry a
``personal_data_visible`` annotation computed in SQL, so pages, API and exports redact in one place.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.access import sees_everything
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.scholarships.models import (
    HOLDS_AN_AWARD,
    Application,
    Attachment,
    Call,
    CallStatus,
    ExchangeActivity,
    Participant,
    ProgressReport,
    Review,
    Score,
    StipendTranche,
    TrancheStatus,
)

SCORE = DecimalField(max_digits=5, decimal_places=2)
# A personal field shown to someone who may not see it.
REDACTED = "—"


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _may(user, perm: Perm) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(perm))


def _count(model, link: str, *conditions: Q) -> Coalesce:
    rows = model.objects.filter(*conditions, **{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), Value(0))


# --- calls --------------------------------------------------------------------------------------------------------


def call_status_expression(today: datetime.date) -> Case:
    return Case(
        When(opens_on__gt=today, then=Value(CallStatus.UPCOMING.value)),
        When(closes_on__lt=today, then=Value(CallStatus.CLOSED.value)),
        default=Value(CallStatus.OPEN.value),
    )


def _visible_calls(user) -> QuerySet[Call]:
    if not _may(user, Perm.VIEW_CALL):
        return Call.objects.none()
    if sees_everything(user):
        return Call.objects.all()
    return Call.objects.filter(host_id__in=user_organisation_ids(user))


def call_list(*, user, today: datetime.date | None = None) -> QuerySet[Call]:
    """Calls ``user`` may see, with ``status`` (upcoming/open/closed today), ``application_count`` and
    ``awards_made`` (awarded, accepted, enrolled or completed) computed in SQL."""
    return (
        _visible_calls(user)
        .select_related("programme", "host", "stipend_currency", "responsible_officer")
        .annotate(
            status=call_status_expression(_today(today)),
            application_count=_count(Application, "call"),
            awards_made=_count(Application, "call", Q(status__in=HOLDS_AN_AWARD)),
        )
    )


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


def _personal_data_condition(user) -> Q | None:
    """None means every application; otherwise the SQL condition for the applications whose personal data
    ``user`` may see."""
    if _may(user, Perm.SEE_PERSONAL_DATA):
        return None
    if not (user and user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    as_reviewer = Q(Exists(_reviewing(user).filter(conflict_declared_at__isnull=True)))
    as_host = Q(awarded_at__isnull=False, call__host_id__in=user_organisation_ids(user))
    return as_reviewer | as_host


def with_personal_data_flag(queryset: QuerySet[Application], user) -> QuerySet[Application]:
    """Annotate ``personal_data_visible``: whether ``user`` may see the applicant's email, date of birth and files."""
    condition = _personal_data_condition(user)
    if condition is None:
        return queryset.annotate(personal_data_visible=Value(True))
    return queryset.annotate(personal_data_visible=Case(When(condition, then=Value(True)), default=Value(False)))


def personal_data_ids(*, user, applications) -> set[int]:
    """The ids among ``applications`` (a queryset or ids) whose personal data ``user`` may see: one query."""
    queryset = applications if isinstance(applications, QuerySet) else Application.objects.filter(pk__in=applications)
    condition = _personal_data_condition(user)
    if condition is not None:
        queryset = queryset.filter(condition)
    return set(queryset.values_list("pk", flat=True))


def can_see_personal_data(user, application: Application) -> bool:
    flag = getattr(application, "personal_data_visible", None)
    if flag is not None and getattr(application, "_flag_user_id", None) == getattr(user, "pk", None):
        return flag
    return application.pk in personal_data_ids(user=user, applications=[application.pk])


def redacted(application: Application, field: str):
    """The value of a personal field, or REDACTED when the list's flag says it may not be shown."""
    return getattr(application, field) if getattr(application, "personal_data_visible", False) else REDACTED


def _visible_applications(user) -> QuerySet[Application]:
    if not _may(user, Perm.VIEW_APPLICATION):
        return Application.objects.none()
    if sees_everything(user):
        return Application.objects.all()
    return Application.objects.filter(
        Q(awarded_at__isnull=False, call__host_id__in=user_organisation_ids(user)) | Q(Exists(_reviewing(user)))
    )


def application_list(*, user) -> QuerySet[Application]:
    """Applications ``user`` may see, with ``personal_data_visible``, ``reviews_assigned`` and ``reviews_completed``."""
    queryset = (
        _visible_applications(user)
        .select_related("call__host", "call__programme", "nationality")
        .annotate(
            reviews_assigned=_count(Review, "application"),
            reviews_completed=_count(Review, "application", Q(completed_at__isnull=False)),
        )
    )
    return with_personal_data_flag(queryset, user)


def application_get(*, user, pk) -> Application:
    application = get_object_or_404(
        application_list(user=user).select_related("submitted_by", "award_proposed_by", "awarded_by"), pk=pk
    )
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


def attachment_get(*, user, pk) -> Attachment:
    """One file to stream: 404 unless the user sees the application and its personal data."""
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    visible = application_list(user=user).filter(pk=attachment.application_id)
    if not personal_data_ids(user=user, applications=visible):
        raise Http404
    return attachment


# --- reviews and ranking ------------------------------------------------------------------------------------------


def _review_state() -> Case:
    return Case(
        When(conflict_declared_at__isnull=False, then=Value("recused")),
        When(completed_at__isnull=False, then=Value("completed")),
        default=Value("pending"),
    )


def my_reviews(*, user) -> QuerySet[Review]:
    """The reviewer's own assignments, pending first, with ``state`` (pending, recused, completed)."""
    if not _may(user, Perm.REVIEW_APPLICATION):
        return Review.objects.none()
    return (
        Review.objects.filter(reviewer=user)
        .select_related("application__call", "application__nationality")
        .annotate(state=_review_state())
        .order_by("completed_at", "conflict_declared_at", "application__call__closes_on", "pk")
    )


def application_reviews(*, user, application: Application) -> QuerySet[Review]:
    """The assignments of one application (with ``state`` and the scores), for staff who see reviews."""
    if not (_may(user, Perm.VIEW_REVIEW) and sees_everything(user)):
        return Review.objects.none()
    return (
        application.reviews.select_related("reviewer", "assigned_by")
        .prefetch_related("scores__criterion")
        .annotate(state=_review_state())
    )


def _ranking_annotations(queryset: QuerySet[Application]) -> QuerySet[Application]:
    scored = Score.objects.filter(review__application=OuterRef("pk"), review__completed_at__isnull=False).order_by()
    per_application = scored.values("review__application")
    weighted_total = Subquery(
        per_application.annotate(total=Sum(F("score") * F("criterion__weight"))).values("total"),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )
    weight_total = Subquery(
        per_application.annotate(total=Sum("criterion__weight")).values("total"),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )
    # "* 1.0" keeps SQLite from dividing integers (7 * 2 stored as an integer is 14, and 31 / 4 would be 7).
    average = ExpressionWrapper(weighted_total * Value(Decimal("1.0")) / weight_total, output_field=SCORE)
    return queryset.annotate(
        weighted_score=Round(average, 2, output_field=SCORE),
        reviews_assigned=_count(Review, "application"),
        reviews_completed=_count(Review, "application", Q(completed_at__isnull=False)),
        reviews_recused=_count(Review, "application", Q(conflict_declared_at__isnull=False)),
    ).order_by(F("weighted_score").desc(nulls_last=True), "submitted_on", "pk")


def ranking_of_call(call_id: int) -> QuerySet[Application]:
    """Every application of a call, best first, unscoped (the services use it)."""
    return _ranking_annotations(Application.objects.filter(call_id=call_id))


def ranking(*, user, call: Call) -> QuerySet[Application]:
    """The call's applications best first: ``weighted_score`` (the mean over completed reviews of each review's
    Σ score × weight / Σ weight, in SQL; null until a review is in), ``reviews_completed`` of
    ``reviews_assigned``, ``reviews_recused``, and ``personal_data_visible``.

    Every completed review scores the whole rubric, which cannot change once scoring started, so the mean
    of the reviews' weighted averages equals Σ score × weight / Σ weight over all their scores.
    """
    if not sees_everything(user):
        return Application.objects.none()
    queryset = _ranking_annotations(
        _visible_applications(user).filter(call=call).select_related("nationality", "award_proposed_by")
    )
    return with_personal_data_flag(queryset, user)


# --- stipends and progress reports --------------------------------------------------------------------------------


def _scholar_scope(user, link: str) -> Q | None:
    """None for staff; otherwise the condition for rows about the user's organisation's scholars."""
    if sees_everything(user):
        return None
    return Q(**{f"{link}__awarded_at__isnull": False, f"{link}__call__host_id__in": user_organisation_ids(user)})


def tranche_list(*, user, application: Application | None = None) -> QuerySet[StipendTranche]:
    if not _may(user, Perm.VIEW_STIPEND):
        return StipendTranche.objects.none()
    queryset = StipendTranche.objects.select_related("application__call", "currency", "approved_by")
    scope = _scholar_scope(user, "application")
    if scope is not None:
        queryset = queryset.filter(scope)
    if application is not None:
        queryset = queryset.filter(application=application)
    return queryset.order_by("due_on", "application_id", "number")


def tranches_due(*, user, on: datetime.date | None = None) -> QuerySet[StipendTranche]:
    """Scheduled tranches due on or before ``on`` (today by default), oldest first."""
    return tranche_list(user=user).filter(status=TrancheStatus.SCHEDULED, due_on__lte=_today(on))


def progress_report_list(*, user, application: Application | None = None) -> QuerySet[ProgressReport]:
    if not _may(user, Perm.VIEW_PROGRESS_REPORT):
        return ProgressReport.objects.none()
    queryset = ProgressReport.objects.select_related("application__call", "submitted_by", "reviewed_by")
    scope = _scholar_scope(user, "application")
    if scope is not None:
        queryset = queryset.filter(scope)
    if application is not None:
        queryset = queryset.filter(application=application)
    return queryset.order_by("-period_end", "-pk")


def progress_report_get(*, user, pk) -> ProgressReport:
    return get_object_or_404(progress_report_list(user=user), pk=pk)


def tranche_get(*, user, pk) -> StipendTranche:
    return get_object_or_404(tranche_list(user=user), pk=pk)


# --- exchange activities ------------------------------------------------------------------------------------------


def activity_list(*, user) -> QuerySet[ExchangeActivity]:
    """Activities ``user`` may see (a partner: those their organisation hosts or takes part in), with
    ``participants_count`` (women + men + other) and ``listed_participants`` in SQL."""
    if not _may(user, Perm.VIEW_EXCHANGE_ACTIVITY):
        return ExchangeActivity.objects.none()
    queryset = ExchangeActivity.objects.all()
    if not sees_everything(user):
        organisations = user_organisation_ids(user)
        involved = ExchangeActivity.partners.through.objects.filter(
            exchangeactivity_id=OuterRef("pk"), organisation_id__in=organisations
        )
        queryset = queryset.filter(Q(host_id__in=organisations) | Q(Exists(involved)))
    return queryset.select_related("programme", "host", "country").annotate(
        participants_count=F("women") + F("men") + F("other_gender"),
        listed_participants=_count(Participant, "activity"),
    )


def activity_get(*, user, pk) -> ExchangeActivity:
    return get_object_or_404(activity_list(user=user).prefetch_related("partners"), pk=pk)


def activity_participants(*, user, activity: ExchangeActivity) -> QuerySet[Participant]:
    if not _may(user, Perm.VIEW_PARTICIPANT) or not activity_list(user=user).filter(pk=activity.pk).exists():
        return Participant.objects.none()
    return activity.participants.select_related("country")
