"""Demonstration scholarships and exchange activities for ``manage.py load_demo``.

Calls upcoming, open and closed on the technical programmes that `partner`'s and `partner2`'s organisations
take part in; applications in every status, reviewed (one reviewer recused), awards proposed by the officer and
approved by the manager, scholars enrolled by their host's partner user, progress reports accepted, returned and
waiting, stipend tranches paid, approved and scheduled; exchange activities of every kind. Everything goes
through the services with the roles the pages use. Dates count back from today.

One call is published for online applications, with an application sent from its public page and confirmed by
the applicant.

Natural keys make a second run change nothing: a call's title, an applicant's email within a call, an
activity's title.
"""

import datetime
from collections import Counter

from cooperation.demo import counted, status_counts
from programs.scholarships import services
from programs.scholarships.demo.activities import ACTIVITIES, create_activity
from programs.scholarships.demo.alumni import load_alumni
from programs.scholarships.demo.applicants import APPLICANTS
from programs.scholarships.demo.calls import CALLS, S, create_call
from programs.scholarships.demo.online import apply_online
from programs.scholarships.demo.stories import create_application
from programs.scholarships.models import (
    AlumniOutcome,
    Application,
    ApplicationSource,
    Call,
    CallStatus,
    ExchangeActivity,
)
from programs.scholarships.reminders import send_scholarship_reminders
from programs.scholarships.selectors import call_list
from programs.scholarships.services.applications import email_key


def load(*, run) -> str:
    """Create the demo calls, applications and activities that are missing, send the reminders owed today,
    and return the summary line."""
    calls = {}
    for demo in CALLS:
        call = Call.objects.filter(title=demo.title).first()
        if call is None:
            call = create_call(demo, run.users, run.organisations, run.today)
            run.log(f"  scholarship call {call} created")
        elif demo.online and not call.online_applications:
            services.call_update(
                call=call,
                updated_by=run.users["officer"],
                online_applications=True,
                eligibility_questions=list(demo.questions),
            )
            run.log(f"  scholarship call {call} published for online applications")
        calls[demo.title] = call
    for demo in APPLICANTS:
        call = calls[demo.call]
        if Application.objects.filter(call=call, email_key=email_key(demo.email)).exists():
            continue
        application = create_application(demo, call, run.users, run.today)
        run.log(f"  application of {application.applicant_name} created ({application.get_status_display()})")
    for call in calls.values():
        if call.online_applications and not call.applications.filter(source=ApplicationSource.ONLINE).exists():
            application = apply_online(call, run.today)
            run.log(f"  online application of {application.applicant_name} confirmed")
    for demo in ACTIVITIES:
        if ExchangeActivity.objects.filter(title=demo.title).exists():
            continue
        activity = create_activity(demo, run.users, run.organisations, run.today)
        run.log(f"  exchange activity {activity} created")
    outcomes = load_alumni(run=run)
    if outcomes:
        run.log(f"  {outcomes} alumni outcome(s) recorded")
    # The same service as the daily job: each reminder is logged and sent once.
    reminders = send_scholarship_reminders(today=run.today)
    return _summary(run.users["manager"], run.today, len(reminders))


def _summary(manager, today: datetime.date, reminders_sent: int) -> str:
    call_states = Counter(call_list(user=manager, today=today).values_list("status", flat=True))
    by_status = status_counts(Application.objects)
    activities = ExchangeActivity.objects.order_by().values("kind").distinct().count()
    return (
        f"Scholarships: {sum(call_states.values())} calls ({counted(call_states, CallStatus)}); "
        f"{sum(by_status.values())} applications ({counted(by_status, S)}); "
        f"{ExchangeActivity.objects.count()} exchange activities of {activities} kinds; "
        f"{AlumniOutcome.objects.count()} alumni outcomes; "
        f"{reminders_sent} reminder(s) sent today."
    )
