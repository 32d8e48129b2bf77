"""The story of a demonstration application: each step is one service call by the role that does it on the pages."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cooperation.reference.models import Country
from partners.selectors import user_organisation_ids
from programs.scholarships import services
from programs.scholarships.demo.applicants import DemoApplicant
from programs.scholarships.demo.calls import S, days_ago
from programs.scholarships.models import Application, Call, ReportStatus
from programs.scholarships.terms import add_months

REVIEWED = ("eligible", "review")
AWARDED = (*REVIEWED, "shortlist", "propose", "approve")
ENROLLED = (*AWARDED, "accept", "enrol", "report", "pay")
PATHS = {
    S.SUBMITTED: (),
    S.INELIGIBLE: ("ineligible",),
    S.ELIGIBLE: REVIEWED,
    S.SHORTLISTED: (*REVIEWED, "shortlist", "propose"),
    S.AWARDED: AWARDED,
    S.ACCEPTED: (*AWARDED, "accept"),
    S.DECLINED: (*AWARDED, "decline"),
    S.ENROLLED: ENROLLED,
    S.COMPLETED: (*ENROLLED, "complete"),
    S.TERMINATED: (*ENROLLED, "terminate"),
    S.WITHDRAWN: ("withdraw",),
}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and a few lines of text: small, real, and readable by any viewer."""
    text = " ".join(f"({_escape(line)}) Tj T*" for line in [title, "", *lines])
    stream = f"BT /F1 12 Tf 16 TL 72 760 Td {text} ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def _attachment(demo: DemoApplicant, name: str) -> SimpleUploadedFile:
    title = name.removesuffix(".pdf").replace("-", " ").capitalize()
    lines = [demo.name, demo.institution, demo.degree, f"Field: {demo.field}", demo.motivation]
    return SimpleUploadedFile(name, demo_pdf(title, lines), content_type="application/pdf")


class _Story:
    """The steps of one application's story, each one service call by the role that does it on the pages."""

    def __init__(self, demo: DemoApplicant, application: Application, users: dict, today: datetime.date):
        self.demo, self.application, self.users, self.today = demo, application, users, today

    @property
    def officer(self):
        return self.users["officer"]

    @property
    def manager(self):
        return self.users["manager"]

    def _host_user(self):
        # The host institution's own staff confirm enrolment and report progress: `partner`'s or `partner2`'s.
        for username in ("partner", "partner2"):
            if self.application.call.host_id in user_organisation_ids(self.users[username]):
                return self.users[username]
        raise ValueError(f"No demo user works for the host of {self.demo.call}.")

    def eligible(self):
        services.application_mark_eligible(application=self.application, decided_by=self.officer)

    def ineligible(self):
        services.application_mark_ineligible(
            application=self.application, decided_by=self.officer, reason=self.demo.reason
        )

    def review(self):
        criteria = list(self.application.call.criteria.all())
        for planned in self.demo.reviews:
            reviewer = self.users[planned.reviewer]
            review = services.review_assign(application=self.application, reviewer=reviewer, assigned_by=self.officer)
            if planned.conflict:
                services.review_declare_conflict(review=review, reviewer=reviewer, note=planned.conflict)
            elif planned.scores:
                scores = dict(zip(criteria, planned.scores, strict=True))
                services.review_submit_scores(review=review, reviewer=reviewer, scores=scores)

    def shortlist(self):
        services.application_shortlist(application=self.application, decided_by=self.officer)

    def propose(self):
        if self.demo.ends == S.SHORTLISTED and not self.demo.proposed:
            return
        # The demo's officer has seen the host's risk flags (an overdue report, loans in arrears) and goes ahead.
        services.application_propose_award(
            application=self.application, proposed_by=self.officer, risk_acknowledged=True
        )

    def approve(self):
        services.application_approve_award(application=self.application, approved_by=self.manager)
        if self.demo.enrolled_days_ago is not None:
            # The award was made weeks before the enrolment the story tells; the service stamps the moment it
            # runs, so the demo dates the award back (enrolment cannot come before the award).
            awarded = days_ago(self.today, self.demo.enrolled_days_ago + 45)
            Application.objects.filter(pk=self.application.pk).update(
                awarded_at=timezone.make_aware(datetime.datetime.combine(awarded, datetime.time(10)))
            )

    def accept(self):
        services.application_accept_award(application=self.application, recorded_by=self.officer)

    def decline(self):
        services.application_decline_award(
            application=self.application, recorded_by=self._host_user(), reason=self.demo.reason
        )

    def enrol(self):
        services.application_confirm_enrolment(
            application=self.application,
            confirmed_by=self._host_user(),
            enrolled_on=days_ago(self.today, self.demo.enrolled_days_ago),
        )

    def report(self):
        self.application.refresh_from_db()
        for planned in self.demo.reports:
            report = services.progress_report_submit(
                application=self.application,
                submitted_by=self._host_user(),
                term_label=planned.term,
                period_end=add_months(self.application.enrolled_on, planned.months),
                result=planned.result,
                remarks=planned.remarks,
            )
            if planned.outcome == ReportStatus.ACCEPTED:
                services.progress_report_accept(report=report, accepted_by=self.officer)
            elif planned.outcome == ReportStatus.RETURNED:
                services.progress_report_return(report=report, returned_by=self.officer, reason=planned.return_reason)

    def pay(self):
        tranches = list(self.application.tranches.order_by("number"))
        for tranche in tranches[: self.demo.tranches_paid + self.demo.tranches_approved]:
            services.tranche_approve(tranche=tranche, approved_by=self.manager)
        for tranche in tranches[: self.demo.tranches_paid]:
            services.tranche_pay(
                tranche=tranche,
                paid_by=self.officer,
                paid_on=min(tranche.due_on + datetime.timedelta(days=3), self.today),
                payment_reference=f"SCH-{self.application.pk}/{tranche.number}",
            )

    def complete(self):
        services.application_complete(
            application=self.application,
            completed_by=self.officer,
            completed_on=days_ago(self.today, self.demo.completed_days_ago),
        )

    def terminate(self):
        services.application_terminate(
            application=self.application, terminated_by=self.officer, reason=self.demo.reason
        )

    def withdraw(self):
        services.application_withdraw(application=self.application, withdrawn_by=self.officer, reason=self.demo.reason)


def create_application(demo: DemoApplicant, call: Call, users, today: datetime.date) -> Application:
    application = services.application_submit(
        call=call,
        submitted_by=users["officer"],
        applicant_name=demo.name,
        email=demo.email,
        nationality=Country.objects.get(code=demo.nationality),
        gender=demo.gender,
        date_of_birth=demo.born,
        current_institution=demo.institution,
        degree=demo.degree,
        field_of_study=demo.field,
        motivation=demo.motivation,
        attachments=[_attachment(demo, name) for name in demo.attachments],
        today=days_ago(today, demo.submitted_days_ago),
    )
    story = _Story(demo, application, users, today)
    for step in PATHS[demo.ends]:
        getattr(story, step)()
    application.refresh_from_db()
    if application.status != demo.ends:
        raise ValueError(f"Demo application of {demo.email} ended {application.status}, not {demo.ends}.")
    return application
