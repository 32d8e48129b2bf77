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
the reviewers assigned to that application, and the host institution's users once the application was
awarded. Recusal overrides all of these, application by application: whoever declared a conflict of interest
on an application (a reviewer, a manager, an administrator) no longer sees its personal data, whatever else
their role allows. Auditors see applications and aggregates, never personal data.

``personal_data_condition`` is that rule, as one SQL condition: lists carry it as the ``personal_data_visible``
annotation, so pages, API, admin, history and downloads decide it in the query, in one place (it is registered
with ``cooperation.personal_data`` for the admin's filters and search).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

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
from cooperation.money import quantize
from cooperation.reference.models import Currency
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.scholarships.models import (
    HOLDS_AN_AWARD,
    ActivityKind,
    Application,
    ApplicationStatus,
    Attachment,
    Call,
    CallStatus,
    ExchangeActivity,
    ExchangeStatus,
    Gender,
    Participant,
    ProgressReport,
    ReportStatus,
    Review,
    Score,
    StipendTranche,
    TrancheStatus,
)
from programs.scholarships.terms import latest_report_due, report_due_dates

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


def personal_data_condition(user) -> Q:
    """The SQL condition for the applications whose personal data ``user`` may see: the one privacy rule.

    By role (officers and managers), as a reviewer assigned to the application, or as its host institution
    after the award; never on an application the user is recused from, whatever the role.
    """
    if not (user and user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    recused = Q(Exists(_reviewing(user).filter(conflict_declared_at__isnull=False)))
    if _may(user, Perm.SEE_PERSONAL_DATA):
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


def attachment_get(*, user, pk, application_id=None) -> Attachment:
    """One file to stream (of ``application_id``, when given): 404 unless the user sees the application and its
    personal data — the same 404 as for a file that does not exist."""
    visible = _visible_applications(user).filter(personal_data_condition(user))
    files = Attachment.objects.filter(application__in=visible.values("pk"))
    if application_id is not None:
        files = files.filter(application_id=application_id)
    return get_object_or_404(files.select_related("application"), pk=pk)


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


def _weighted_score() -> Round:
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
    return Round(average, 2, output_field=SCORE)


def _ranking_annotations(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.annotate(
        weighted_score=_weighted_score(),
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


# --- the host institution's scholars and what it owes -------------------------------------------------------------


def hosted_scholars(*, user) -> QuerySet[Application]:
    """``scholar_list`` with ``latest_report_end``: the end of the latest period covered by a report that is in
    (submitted or accepted; a returned one is to be replaced), in SQL, for ``report_due_next``."""
    in_hand = ProgressReport.objects.filter(
        application=OuterRef("pk"), status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    ).order_by("-period_end")
    return scholar_list(user=user).annotate(latest_report_end=Subquery(in_hand.values("period_end")[:1]))


def report_due_next(scholar: Application) -> datetime.date | None:
    """The first progress report due date no report in hand covers yet (past or coming), for an enrolled scholar
    from ``hosted_scholars``; None when the scholar is not enrolled or every report is in."""
    if scholar.status != ApplicationStatus.ENROLLED or scholar.enrolled_on is None:
        return None
    covered = scholar.latest_report_end
    for due in report_due_dates(scholar.enrolled_on, scholar.call.duration_months):
        if covered is None or covered < due:
            return due
    return None


def scholar_get(*, user, pk) -> Application:
    """One scholar (an application awarded at some point) ``user`` may see, flagged for personal data; else 404."""
    scholar = get_object_or_404(
        hosted_scholars(user=user).select_related("call__stipend_currency", "enrolment_confirmed_by"), pk=pk
    )
    scholar._flag_user_id = user.pk
    return scholar


# --- officer queues: reviewers, awards, stipends, reports ---------------------------------------------------------


def reviewer_candidates():
    """Active staff who may review: holders of REVIEW_APPLICATION through a role or directly, and administrators."""
    from django.contrib.auth import get_user_model

    app_label, codename = Perm.REVIEW_APPLICATION.value.split(".")
    holds = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    holders = get_user_model().objects.filter(Q(is_superuser=True) | holds).values("pk")
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, pk__in=holders)
        .order_by("first_name", "last_name", "username")
    )


def review_get(*, user, pk) -> Review:
    """One assignment, for staff who see reviews (to take the reviewer off); anyone else gets 404."""
    if not (_may(user, Perm.VIEW_REVIEW) and sees_everything(user)):
        raise Http404
    return get_object_or_404(Review.objects.select_related("application__call", "reviewer"), pk=pk)


def award_proposals(*, user) -> QuerySet[Application]:
    """Proposed awards waiting for a manager's decision, oldest proposal first."""
    return (
        application_list(user=user)
        .filter(status=ApplicationStatus.SHORTLISTED, award_proposed_by__isnull=False)
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


def call_quotas(*, user) -> QuerySet[Call]:
    """Calls with an award made or proposed: ``awards_made`` of ``awards_available``, and ``proposals_pending``."""
    pending = Q(status=ApplicationStatus.SHORTLISTED, award_proposed_by__isnull=False)
    return (
        call_list(user=user)
        .annotate(proposals_pending=_count(Application, "call", pending))
        .filter(Q(awards_made__gt=0) | Q(proposals_pending__gt=0))
        .order_by("-closes_on", "title")
    )


def tranche_queue(*, user) -> QuerySet[StipendTranche]:
    """``tranche_list`` with the period ends of the scholar's latest accepted (``accepted_report_end``), latest
    submitted, still undecided (``submitted_report_end``, ``submitted_report_id``) and latest returned
    (``returned_report_end``) progress reports, so ``tranche_report_gate`` needs no query per row."""

    def latest(status, field="period_end"):
        reports = ProgressReport.objects.filter(application=OuterRef("application_id"), status=status)
        return Subquery(reports.order_by("-period_end", "-pk").values(field)[:1])

    return tranche_list(user=user).annotate(
        accepted_report_end=latest(ReportStatus.ACCEPTED),
        submitted_report_end=latest(ReportStatus.SUBMITTED),
        submitted_report_id=latest(ReportStatus.SUBMITTED, "pk"),
        returned_report_end=latest(ReportStatus.RETURNED),
    )


def tranche_report_gate(tranche: StipendTranche) -> tuple[datetime.date | None, str]:
    """(the due date of the report the tranche waits for, "none", "accepted", "submitted", "returned" or "missing");
    the same rule as ``services.stipends.report_gate``, read from ``tranche_queue``'s annotations."""
    application = tranche.application
    due = latest_report_due(application.enrolled_on, application.call.duration_months, tranche.due_on)
    if due is None:
        return None, "none"
    for state in ("accepted", "submitted", "returned"):
        period_end = getattr(tranche, f"{state}_report_end")
        if period_end is not None and period_end >= due:
            return due, state
    return due, "missing"


def report_queue(*, user) -> QuerySet[ProgressReport]:
    """Progress reports, those awaiting an officer's decision first, then the newest periods."""
    awaiting = Case(When(status=ReportStatus.SUBMITTED, then=Value(0)), default=Value(1))
    return progress_report_list(user=user).order_by(awaiting, "period_end", "pk")


def with_weighted_score(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate ``weighted_score`` as ``ranking`` computes it (null until a review is in), keeping the order."""
    return queryset.annotate(weighted_score=_weighted_score())


# --- the manager dashboard ----------------------------------------------------------------------------------------

CALLS_SHOWN = 10
TOP_NATIONALITIES = 10
PERCENT = Decimal("0.01")
AS = ApplicationStatus
# The statuses an application reaches once it passed each step; a scholar who withdrew or was terminated after
# the award passed them all, and one who withdrew before is found in the history (see ``_reached``).
PAST_ELIGIBILITY = frozenset(
    {AS.ELIGIBLE, AS.SHORTLISTED, AS.AWARDED, AS.ACCEPTED, AS.DECLINED, AS.ENROLLED, AS.COMPLETED}
)
PAST_SHORTLIST = PAST_ELIGIBILITY - {AS.ELIGIBLE}
SCHOLAR_STATUSES = (AS.AWARDED, AS.ACCEPTED, AS.DECLINED, AS.ENROLLED, AS.COMPLETED, AS.WITHDRAWN, AS.TERMINATED)


def _percent(part: int | Decimal, whole: int | Decimal) -> Decimal:
    if not whole:
        return Decimal(0).quantize(PERCENT)
    return (100 * Decimal(part) / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class LabelCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class CallFigures:
    """One call's funnel: each number counts the applications that reached that step, wherever they are now."""

    pk: int
    title: str
    applications: int
    eligible: int
    shortlisted: int
    awards_made: int
    awards_available: int


@dataclass(frozen=True)
class StipendProgress:
    """One currency's tranches: scheduled (every tranche not cancelled), due by the day, and paid."""

    currency: Currency
    scheduled_amount: Decimal
    scheduled_count: int
    due_amount: Decimal
    due_count: int
    paid_amount: Decimal
    paid_count: int

    @property
    def paid_percent(self) -> Decimal:
        """Paid ÷ scheduled, by amount."""
        return _percent(self.paid_amount, self.scheduled_amount)


@dataclass(frozen=True)
class KindParticipants:
    kind: str
    label: str
    activities: int
    women: int
    men: int
    other_gender: int

    @property
    def total(self) -> int:
        return self.women + self.men + self.other_gender


@dataclass(frozen=True)
class ScholarshipDashboard:
    calls: list[CallFigures]  # the most recent CALLS_SHOWN calls
    call_count: int
    application_count: int
    awards_made: int
    scholars_by_status: list[LabelCount]
    scholars_by_gender: list[LabelCount]
    scholars_by_nationality: list[LabelCount]
    stipends: list[StipendProgress]
    participants_by_kind: list[KindParticipants]

    @property
    def scholar_count(self) -> int:
        return sum(row.count for row in self.scholars_by_status)

    def _scholars(self, status: ApplicationStatus) -> int:
        return next(row.count for row in self.scholars_by_status if row.key == status.value)

    @property
    def completed_count(self) -> int:
        return self._scholars(AS.COMPLETED)

    @property
    def finished_count(self) -> int:
        """Scholars whose scholarship ended after the award: completed, terminated or withdrawn."""
        return sum(self._scholars(status) for status in (AS.COMPLETED, AS.TERMINATED, AS.WITHDRAWN))

    @property
    def completion_rate(self) -> Decimal:
        """Completed ÷ (completed + terminated + withdrawn after the award), in percent.

        Scholars still on their way (awarded, accepted, enrolled) have not finished yet, and a declined award
        never started, so neither counts. Zero while nobody has finished.
        """
        return _percent(self.completed_count, self.finished_count)

    @property
    def participants_by_gender(self) -> dict[str, int]:
        return {
            field: sum(getattr(row, field) for row in self.participants_by_kind)
            for field in ("women", "men", "other_gender")
        }

    @property
    def participants_total(self) -> int:
        return sum(row.total for row in self.participants_by_kind)


def _reached(statuses: frozenset) -> Q:
    """The application is in one of ``statuses``, was awarded, or passed through one of them before leaving."""
    passed = Application.history.model.objects.filter(id=OuterRef("pk"), status__in=statuses)
    return Q(status__in=statuses) | Q(awarded_at__isnull=False) | Q(Exists(passed))


def _call_figures(calls: QuerySet[Call]) -> list[CallFigures]:
    rows = (
        calls.order_by("-opens_on", "title", "pk")
        .annotate(
            n_applications=_count(Application, "call"),
            n_eligible=_count(Application, "call", _reached(PAST_ELIGIBILITY)),
            n_shortlisted=_count(Application, "call", _reached(PAST_SHORTLIST)),
            n_held=_count(Application, "call", Q(status__in=HOLDS_AN_AWARD)),
        )
        .values("pk", "title", "awards_available", "n_applications", "n_eligible", "n_shortlisted", "n_held")[
            :CALLS_SHOWN
        ]
    )
    return [
        CallFigures(
            pk=row["pk"],
            title=row["title"],
            applications=row["n_applications"],
            eligible=row["n_eligible"],
            shortlisted=row["n_shortlisted"],
            awards_made=row["n_held"],
            awards_available=row["awards_available"],
        )
        for row in rows
    ]


def _nationalities(scholars: QuerySet[Application]) -> list[LabelCount]:
    """Scholars per nationality, the largest first, the ``TOP_NATIONALITIES`` largest then one row for the rest."""
    # One row per nationality at most (a bounded reference list), whatever the number of scholars.
    per_country = list(
        scholars.values("nationality_id", "nationality__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "nationality__name")
    )
    rows = [LabelCount(row["nationality_id"], row["nationality__name"], row["count"]) for row in per_country]
    if len(rows) <= TOP_NATIONALITIES:
        return rows
    others = sum(row.count for row in rows[TOP_NATIONALITIES:])
    return [*rows[:TOP_NATIONALITIES], LabelCount("other", _("Other nationalities"), others)]


def _stipends(user, today: datetime.date) -> list[StipendProgress]:
    if not _may(user, Perm.VIEW_STIPEND):
        return []
    tranches = StipendTranche.objects.exclude(status=TrancheStatus.CANCELLED)
    scope = _scholar_scope(user, "application")
    if scope is not None:
        tranches = tranches.filter(scope)
    due = Q(due_on__lte=today)
    paid = Q(status=TrancheStatus.PAID)
    rows = (
        tranches.order_by()
        .values("currency_id", "currency__name", "currency__minor_unit")
        .annotate(
            scheduled_amount=Sum("amount"),
            scheduled_count=Count("pk"),
            due_amount=Sum("amount", filter=due),
            due_count=Count("pk", filter=due),
            paid_amount=Sum("amount", filter=paid),
            paid_count=Count("pk", filter=paid),
        )
        .order_by("currency_id")
    )
    progress = []
    for row in rows:
        currency = Currency(code=row["currency_id"], name=row["currency__name"], minor_unit=row["currency__minor_unit"])
        progress.append(
            StipendProgress(
                currency=currency,
                scheduled_amount=quantize(Decimal(row["scheduled_amount"] or 0), currency),
                scheduled_count=row["scheduled_count"],
                due_amount=quantize(Decimal(row["due_amount"] or 0), currency),
                due_count=row["due_count"],
                paid_amount=quantize(Decimal(row["paid_amount"] or 0), currency),
                paid_count=row["paid_count"],
            )
        )
    return progress


def _participants(user) -> list[KindParticipants]:
    """Every activity kind, in the list's order, with the participants its activities reached (a cancelled
    activity reached nobody)."""
    activities = ExchangeActivity.objects.filter(pk__in=activity_list(user=user).values("pk")).exclude(
        status=ExchangeStatus.CANCELLED
    )
    rows = {
        row["kind"]: row
        for row in activities.order_by()
        .values("kind")
        .annotate(activities=Count("pk"), sum_women=Sum("women"), sum_men=Sum("men"), sum_other=Sum("other_gender"))
    }
    empty = {"activities": 0, "sum_women": 0, "sum_men": 0, "sum_other": 0}
    return [
        KindParticipants(
            kind=kind.value,
            label=kind.label,
            activities=rows.get(kind.value, empty)["activities"],
            women=rows.get(kind.value, empty)["sum_women"] or 0,
            men=rows.get(kind.value, empty)["sum_men"] or 0,
            other_gender=rows.get(kind.value, empty)["sum_other"] or 0,
        )
        for kind in ActivityKind
    ]


def scholarship_dashboard(*, user, today: datetime.date | None = None) -> ScholarshipDashboard:
    """The managers' numbers on scholarships and exchange activities, aggregated in SQL: six queries whatever
    the number of calls, applications, tranches and activities. Aggregates only: no applicant is named.

    Scholars are the applications awarded at some point, whatever happened after. Stipends stay per currency.
    """
    today = _today(today)
    calls = _visible_calls(user)
    applications = _visible_applications(user).order_by()
    scholar = Q(awarded_at__isnull=False)
    counts = applications.aggregate(
        applications=Count("pk"),
        awards_made=Count("pk", filter=Q(status__in=HOLDS_AN_AWARD)),
        **{f"status_{status.value}": Count("pk", filter=scholar & Q(status=status)) for status in SCHOLAR_STATUSES},
        **{f"gender_{gender.value}": Count("pk", filter=scholar & Q(gender=gender)) for gender in Gender},
    )
    return ScholarshipDashboard(
        calls=_call_figures(calls),
        call_count=calls.count(),
        application_count=counts["applications"],
        awards_made=counts["awards_made"],
        scholars_by_status=[
            LabelCount(status.value, status.label, counts[f"status_{status.value}"]) for status in SCHOLAR_STATUSES
        ],
        scholars_by_gender=[
            LabelCount(gender.value, gender.label, counts[f"gender_{gender.value}"]) for gender in Gender
        ],
        scholars_by_nationality=_nationalities(applications.filter(scholar)),
        stipends=_stipends(user, today),
        participants_by_kind=_participants(user),
    )


# --- reviews for the API ------------------------------------------------------------------------------------------


def review_list(*, user) -> QuerySet[Review]:
    """Every assignment for staff who see reviews (officers, managers, auditors); a reviewer without that sees only
    their own; anyone else nothing. With ``state`` (pending, recused, completed) and the scores prefetched."""
    if _may(user, Perm.VIEW_REVIEW) and sees_everything(user):
        queryset = Review.objects.all()
    elif _may(user, Perm.REVIEW_APPLICATION):
        queryset = Review.objects.filter(reviewer=user)
    else:
        return Review.objects.none()
    return (
        queryset.select_related("application__call", "reviewer", "assigned_by")
        .prefetch_related("scores__criterion")
        .annotate(state=_review_state())
        .order_by("-created_at", "-pk")
    )


def visible_review_get(*, user, pk) -> Review:
    """One assignment from ``review_list``: 404 for anyone who may not see it."""
    return get_object_or_404(review_list(user=user), pk=pk)
