"""Alumni outcomes: when each milestone falls, and the daily run that asks the alumnus (and the host) for it.

A scholar who completed on ``completed_on`` is asked about their situation one, three and five years later (a
completion on 29 February falls due on 28 February of a common year). Each day's run finds every milestone that
has fallen due, is not recorded yet and was not asked about yet, and claims an ``AlumniInvitation`` for it: one
per (scholar, milestone), whose unique key lets only one run claim it (cooperation.reminders), so a missed day is
caught up by the next run and a second or concurrent run sends nothing twice. A milestone passed longer ago than a
link lasts (``ALUMNI_LINK_DAYS``) is not asked about any more.

The invitation carries the alumnus's private link: a random key whose SHA-256 only is kept, which records the
outcome once and ends when used or at ``expires_at``. The alumnus hears in their language, the host's active
contacts in theirs (without the link: they record it in the portal). An invitation not delivered yet when the
outcome is recorded is dropped by the outbox.
"""

import datetime
import secrets

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from cooperation.accounts.models import key_digest
from cooperation.outbox.models import OutboxMessage
from cooperation.outbox.services import compose
from cooperation.reminders import ReminderRun, Sent, to_contacts
from partners.models import Contact
from programs.scholarships.models import AlumniInvitation, AlumniOutcome, Application, ApplicationStatus, Milestone

ALUMNI_OUTCOME_DUE = "scholarships.alumni_outcome_due"
TEMPLATE = "scholarships/email/alumni_outcome_due"
HOST_TEMPLATE = "scholarships/email/alumni_outcome_due_host"
# The language of the alumni's emails and link page: Bahasa Indonesia for Indonesian nationals, otherwise the
# site's language (the application records no language of its own).
LANGUAGE_BY_NATIONALITY = {"ID": "id"}


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def milestone_due(completed_on: datetime.date, milestone: int) -> datetime.date:
    return add_years(completed_on, int(milestone))


def link_days() -> int:
    return int(settings.ALUMNI_LINK_DAYS)


def alumni_language_for(application: Application) -> str:
    return LANGUAGE_BY_NATIONALITY.get(application.nationality_id, settings.LANGUAGE_CODE)


def link_url(key: str) -> str:
    return settings.SITE_URL + reverse("scholarships:alumni_link", kwargs={"key": key})


def new_key() -> str:
    """256 random bits, URL-safe: only its digest is stored."""
    return secrets.token_urlsafe(32)


def milestones_owed(today: datetime.date) -> list[tuple[Application, int, datetime.date]]:
    """(scholar, milestone, due date) for every completed scholar whose milestone fell due within the link's life,
    neither recorded nor asked about yet: one query, whatever the number of scholars."""
    oldest = today - datetime.timedelta(days=link_days())
    windows = Q()
    for milestone in Milestone:
        # A day of slack each side for 29 February; the exact due date is checked below.
        windows |= Q(
            completed_on__lte=add_years(today, -milestone.value) + datetime.timedelta(days=1),
            completed_on__gte=add_years(oldest, -milestone.value) - datetime.timedelta(days=1),
        )
    scholars = (
        Application.objects.filter(status=ApplicationStatus.COMPLETED, completed_on__isnull=False)
        .filter(windows)
        .select_related("call__host", "call__programme", "nationality")
        .annotate(
            **{
                f"asked_{milestone.value}": Exists(
                    AlumniInvitation.objects.filter(application=OuterRef("pk"), milestone=milestone.value)
                )
                for milestone in Milestone
            },
            **{
                f"recorded_{milestone.value}": Exists(
                    AlumniOutcome.objects.filter(application=OuterRef("pk"), milestone=milestone.value)
                )
                for milestone in Milestone
            },
        )
        .order_by("completed_on", "pk")
    )
    owed = []
    for scholar in scholars:
        for milestone in Milestone:
            due = milestone_due(scholar.completed_on, milestone)
            if not oldest < due <= today:
                continue
            if getattr(scholar, f"asked_{milestone.value}") or getattr(scholar, f"recorded_{milestone.value}"):
                continue
            owed.append((scholar, milestone.value, due))
    return owed


def invitation_context(invitation: AlumniInvitation) -> dict:
    scholar = invitation.application
    return {
        "scholar": scholar,
        "call": scholar.call,
        "milestone": invitation.get_milestone_display(),
        "years": invitation.milestone,
        "due_on": invitation.due_on,
        "expires_at": invitation.expires_at,
    }


def alumnus_email(invitation: AlumniInvitation, key: str) -> OutboxMessage:
    """The invitation's email to the alumnus, in their language, with the private link of ``key`` (unsaved, without
    its outbox key)."""
    return compose(
        kind=ALUMNI_OUTCOME_DUE,
        to=invitation.application.email,
        template=TEMPLATE,
        context=invitation_context(invitation) | {"link": link_url(key)},
        language=alumni_language_for(invitation.application),
        sensitive=True,  # the body holds the private link
    )


class AlumniInvitations(ReminderRun):
    """The day's invitations: one per scholar and milestone, to the alumnus (with their private link) and to the
    host institution's active contacts."""

    log_model = AlumniInvitation
    log_key = ("application_id", "milestone")

    def due(self):
        expires_at = timezone.now() + datetime.timedelta(days=link_days())
        self.keys = {}
        invitations = []
        for scholar, milestone, due_on in milestones_owed(self.today):
            key = new_key()
            invitation = AlumniInvitation(
                application=scholar,
                milestone=milestone,
                due_on=due_on,
                key_digest=key_digest(key),
                expires_at=expires_at,
            )
            self.keys[scholar.pk, milestone] = key
            invitations.append(invitation)
        return invitations

    def prepare(self, logs: list) -> None:
        """The host institutions' active contacts, read once for all the invitations."""
        self.contacts = {}
        hosts = {log.application.call.host_id for log in logs}
        for contact in (
            Contact.objects.filter(organisation_id__in=hosts, is_active=True)
            .exclude(email="")
            .order_by("name", "email")
        ):
            self.contacts.setdefault(contact.organisation_id, []).append(contact)

    def messages(self, log) -> list[OutboxMessage]:
        scholar = log.application
        context = invitation_context(log)
        alumnus = alumnus_email(log, self.keys[scholar.pk, log.milestone])
        portal = settings.SITE_URL + reverse(
            "scholarships_portal:scholar_outcome", kwargs={"pk": scholar.pk, "milestone": log.milestone}
        )
        hosts = to_contacts(
            self.contacts.get(scholar.call.host_id, []),
            kind=ALUMNI_OUTCOME_DUE,
            template=HOST_TEMPLATE,
            context=context | {"portal_link": portal},
        )
        return [alumnus, *hosts]

    @classmethod
    def describe(cls, sent: Sent) -> str:
        log = sent.log
        recipients = ", ".join(sent.recipients) or "-"
        return f"{log.application.applicant_name}  {log.milestone}y  {log.due_on.isoformat()}  {recipients}"


def send_alumni_invitations(*, today: datetime.date | None = None) -> list[Sent]:
    """Claim every milestone invitation owed and not sent yet, with its emails (see AlumniInvitations)."""
    return AlumniInvitations(today).send()


def invitation_still_wanted(message: OutboxMessage) -> bool:
    """Nothing goes out once the outcome of that milestone is recorded."""
    invitation = AlumniInvitation.objects.filter(pk=message.object_id).first()
    if invitation is None:
        return False
    return not AlumniOutcome.objects.filter(
        application_id=invitation.application_id, milestone=invitation.milestone
    ).exists()
