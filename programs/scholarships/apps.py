from django.utils.translation import gettext_lazy as _

from cooperation import registry
from cooperation.outbox.kinds import Kind

# The lists that export to CSV and XLSX: (source name, its function under programs.scholarships.exports).
EXPORT_SOURCES = (
    ("scholarships.applications", "applications.applications"),
    ("scholarships.calls", "calls.calls"),
    ("scholarships_portal.scholars", "scholars.portal_scholars"),
    ("scholarships.tranches", "stipends.tranches"),
    ("scholarships.reports", "stipends.reports"),
    ("scholarships.reviews", "applications.reviews"),
    ("scholarships.awards", "applications.awards"),
    ("scholarships.activities", "activities.activities"),
    ("scholarships_portal.activities", "activities.portal_activities"),
)


class ScholarshipsConfig(registry.CooperationModuleConfig):
    name = "programs.scholarships"
    verbose_name = _("Technical and cultural cooperation")
    order = 50

    def ready(self) -> None:
        super().ready()
        from cooperation import autocomplete

        autocomplete.register(
            "calls", "programs.scholarships.selectors.call_choices", search=("title",), lookup=("title",)
        )
        autocomplete.register(
            "technical-programmes",
            "programs.scholarships.filters.technical_programmes",
            search=("code", "title"),
            lookup=("code",),
        )
        autocomplete.register(
            "exchange-programmes",
            "programs.scholarships.filters.exchange_programme_choices",
            search=("code", "title"),
            lookup=("code",),
        )
        from cooperation import personal_data
        from programs.scholarships import selectors
        from programs.scholarships.models import Application, Attachment, OnlineSubmission

        personal_data.register(Application, selectors.personal_data_condition)
        personal_data.register(Attachment, selectors.attachment_condition)
        personal_data.register(OnlineSubmission, selectors.online_submission_condition)
        registry.urls("apply/", "programs.scholarships.public_urls")
        registry.panel(
            "programme.detail",
            "scholarships/_programme_hub.html",
            "programs.scholarships.panels.programme_hub",
            order=self.order,
        )
        registry.panel(
            "partner.detail",
            "scholarships/_partner_hub.html",
            "programs.scholarships.panels.partner_hub",
            order=self.order,
        )
        registry.panel(
            "dashboard",
            "scholarships/_alumni_rates.html",
            "programs.scholarships.panels.dashboard_alumni",
            order=self.order,
        )
        registry.contribute(registry.RISK, "programs.scholarships.risk.partner_flags")
        registry.contribute(registry.INBOX, "programs.scholarships.inbox.waiting_for")
        registry.contribute(registry.SEARCH, "programs.scholarships.search.search")
        registry.contribute(registry.MONEY_FLOWS, "programs.scholarships.flows.money_flows")
        registry.contribute(registry.BULK, "programs.scholarships.bulk.generate")
        for name, source in EXPORT_SOURCES:
            registry.export_source(name, f"programs.scholarships.exports.{source}")
        registry.measure(
            "scholarships.completed",
            _("Scholars who completed their studies"),
            ("number",),
            "programs.scholarships.measures.scholars_completed",
        )
        registry.measure(
            "scholarships.participants",
            _("Participants of exchange activities"),
            ("number",),
            "programs.scholarships.measures.participants",
        )

    def outbox_kinds(self):
        from programs.scholarships import alumni, reminders
        from programs.scholarships.services import online

        return (
            Kind(reminders.REPORT_DUE, _("Progress report reminder"), reminders.report_reminder_still_wanted),
            Kind(reminders.STIPEND_DUE, _("Stipend tranche reminder"), reminders.stipend_reminder_still_wanted),
            Kind(online.CONFIRM_KIND, _("Online application: confirmation link"), online.confirmation_still_wanted),
            Kind(online.STATUS_LINK_KIND, _("Online application: status link")),
            Kind(alumni.ALUMNI_OUTCOME_DUE, _("Alumni outcome invitation"), alumni.invitation_still_wanted),
        )
