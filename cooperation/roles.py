"""Roles and the named permissions each one holds — the one place where they are mapped.

Each role is a ``Group``; ``sync_roles`` makes the groups hold exactly the
permissions listed here. It runs from a migration and after every ``migrate``,
so permissions added by later modules reach their roles.
"""

from enum import StrEnum

from django.db import DEFAULT_DB_ALIAS


class Role(StrEnum):
    OFFICER = "Programme officer"
    MANAGER = "Manager"
    PARTNER = "Partner user"
    AUDITOR = "Auditor"
    ADMINISTRATOR = "Administrator"


class Perm(StrEnum):
    ACCESS_WORKSPACE = "cooperation.access_workspace"
    ACCESS_PORTAL = "cooperation.access_portal"
    VIEW_DASHBOARD = "cooperation.view_dashboard"
    VIEW_HISTORY = "cooperation.view_history"
    EXPORT_DATA = "cooperation.export_data"
    RESET_TWO_FACTOR = "accounts.reset_two_factor"  # another user's lost authenticator: an administrator's job

    VIEW_USER = "auth.view_user"  # user accounts, their roles and the history of both
    CHANGE_USER = "auth.change_user"  # giving or removing roles, activating or deactivating accounts

    VIEW_ORGANISATION = "partners.view_organisation"
    ADD_ORGANISATION = "partners.add_organisation"
    CHANGE_ORGANISATION = "partners.change_organisation"
    VIEW_CONTACT = "partners.view_contact"
    ADD_CONTACT = "partners.add_contact"
    CHANGE_CONTACT = "partners.change_contact"
    VIEW_MEMBERSHIP = "partners.view_membership"
    ADD_MEMBERSHIP = "partners.add_membership"
    CHANGE_MEMBERSHIP = "partners.change_membership"

    VIEW_ALL_PROGRAMMES = "programs.view_all_programmes"
    VIEW_PROGRAMME = "programs.view_programme"
    ADD_PROGRAMME = "programs.add_programme"
    CHANGE_PROGRAMME = "programs.change_programme"
    VIEW_PARTICIPATION = "programs.view_participation"
    ADD_PARTICIPATION = "programs.add_participation"
    CHANGE_PARTICIPATION = "programs.change_participation"
    DELETE_PARTICIPATION = "programs.delete_participation"
    VIEW_PROGRAMME_UPDATE = "programs.view_programmeupdate"
    ADD_PROGRAMME_UPDATE = "programs.add_programmeupdate"

    VIEW_NOTIFICATION = "partners.view_notification"

    # The outbox: what the system emailed, its state and errors; sending a failed message again.
    VIEW_MESSAGE = "core.view_outboxmessage"
    RESEND_MESSAGE = "core.resend_message"

    VIEW_LOAN = "finance.view_loan"
    ADD_LOAN = "finance.add_loan"
    CHANGE_LOAN = "finance.change_loan"
    APPROVE_LOAN = "finance.approve_loan"
    VIEW_INSTALLMENT = "finance.view_installment"
    VIEW_REPAYMENT = "finance.view_repayment"
    ADD_REPAYMENT = "finance.add_repayment"  # a partner notifying a payment, or an officer recording one
    RECORD_REPAYMENT = "finance.record_repayment"  # confirm and reverse: the finance officer's side
    VIEW_REMINDER = "finance.view_reminderlog"
    VIEW_GRANT = "finance.view_grant"
    ADD_GRANT = "finance.add_grant"
    CHANGE_GRANT = "finance.change_grant"
    VIEW_TRANCHE = "finance.view_tranche"
    CHANGE_TRANCHE = "finance.change_tranche"
    APPROVE_TRANCHE = "finance.approve_tranche"

    VIEW_SHIPMENT = "shipments.view_shipment"
    ADD_SHIPMENT = "shipments.add_shipment"
    CHANGE_SHIPMENT = "shipments.change_shipment"
    APPROVE_DISPATCH = "shipments.approve_dispatch"
    VIEW_SHIPMENT_ITEM = "shipments.view_shipmentitem"
    ADD_SHIPMENT_ITEM = "shipments.add_shipmentitem"
    CHANGE_SHIPMENT_ITEM = "shipments.change_shipmentitem"  # also removing an item from a draft packing list
    VIEW_TRACKING_EVENT = "shipments.view_trackingevent"
    ADD_TRACKING_EVENT = "shipments.add_trackingevent"
    VIEW_RECEIPT = "shipments.view_receipt"
    ADD_RECEIPT = "shipments.add_receipt"  # the consignee confirming what arrived

    VIEW_CALL = "scholarships.view_call"
    ADD_CALL = "scholarships.add_call"
    CHANGE_CALL = "scholarships.change_call"
    VIEW_APPLICATION = "scholarships.view_application"
    ADD_APPLICATION = "scholarships.add_application"  # an officer recording an application received
    CHANGE_APPLICATION = "scholarships.change_application"  # eligibility, shortlist, award proposal, closing moves
    # Viewing applications never shows applicants' email, date of birth or files: this does (see selectors).
    SEE_PERSONAL_DATA = "scholarships.see_personal_data"
    VIEW_ATTACHMENT = "scholarships.view_attachment"  # listed only where personal data may be seen
    APPROVE_AWARD = "scholarships.approve_award"
    RECORD_AWARD_RESPONSE = "scholarships.record_award_response"  # the scholar accepted or declined
    CONFIRM_ENROLMENT = "scholarships.confirm_enrolment"  # the host institution's side
    VIEW_REVIEW = "scholarships.view_review"
    ADD_REVIEW = "scholarships.add_review"  # assigning reviewers
    REVIEW_APPLICATION = "scholarships.review_application"  # scoring or declaring a conflict, as the reviewer
    VIEW_PROGRESS_REPORT = "scholarships.view_progressreport"
    ADD_PROGRESS_REPORT = "scholarships.add_progressreport"  # the host institution reporting a term
    CHANGE_PROGRESS_REPORT = "scholarships.change_progressreport"  # accepting or returning a report
    VIEW_STIPEND = "scholarships.view_stipendtranche"
    CHANGE_STIPEND = "scholarships.change_stipendtranche"  # paying or cancelling
    APPROVE_STIPEND = "scholarships.approve_stipendtranche"
    VIEW_SCHOLARSHIP_REMINDER = "scholarships.view_reminderlog"
    VIEW_EXCHANGE_ACTIVITY = "scholarships.view_exchangeactivity"
    ADD_EXCHANGE_ACTIVITY = "scholarships.add_exchangeactivity"
    CHANGE_EXCHANGE_ACTIVITY = "scholarships.change_exchangeactivity"
    REPORT_EXCHANGE_ACTIVITY = "scholarships.report_exchangeactivity"  # participants and outcomes
    VIEW_PARTICIPANT = "scholarships.view_participant"
    VIEW_ALUMNI_OUTCOME = "scholarships.view_alumnioutcome"
    ADD_ALUMNI_OUTCOME = "scholarships.add_alumnioutcome"  # the host institution recording or correcting one
    LOCK_ALUMNI_OUTCOME = "scholarships.lock_alumnioutcome"  # a manager closing it to changes

    VIEW_RESULT = "results.view_result"  # a programme's results framework: results, indicators, targets, periods
    CHANGE_FRAMEWORK = "results.change_result"  # building and revising the framework
    VIEW_RESULTS_REPORT = "results.view_report"
    ADD_RESULTS_REPORT = "results.add_report"  # filling and submitting a report: the partner, or an officer for it
    REVIEW_RESULTS_REPORT = "results.review_report"  # approving or returning a submitted report

    # Exchange rates that convert money events into the reporting currency, entered by hand or from a CSV file.
    VIEW_EXCHANGE_RATE = "reference.view_exchangerate"
    ADD_EXCHANGE_RATE = "reference.add_exchangerate"
    CHANGE_EXCHANGE_RATE = "reference.change_exchangerate"

    # The OECD DAC thresholds a loan is judged concessional by (administrators keep them; auditors read them).
    VIEW_DAC_RULE = "finance.view_dacrule"
    ADD_DAC_RULE = "finance.add_dacrule"
    CHANGE_DAC_RULE = "finance.change_dacrule"

    # A programme's budget lines (revising one asks for a reason) and the expenditures officers record.
    VIEW_BUDGET_LINE = "budgets.view_budgetline"
    ADD_BUDGET_LINE = "budgets.add_budgetline"
    CHANGE_BUDGET_LINE = "budgets.change_budgetline"
    VIEW_EXPENDITURE = "budgets.view_expenditure"
    ADD_EXPENDITURE = "budgets.add_expenditure"
    CHANGE_EXPENDITURE = "budgets.change_expenditure"
    VIEW_DOCUMENT = "documents.view_document"  # a partner user: only "partner and staff" documents of their own
    ADD_DOCUMENT = "documents.add_document"  # uploading a document, or a new version of one
    CHANGE_DOCUMENT = "documents.change_document"  # its title, type, date and visibility; withdrawing it


_OFFICER = {
    Perm.ACCESS_WORKSPACE,
    Perm.VIEW_HISTORY,
    Perm.VIEW_ORGANISATION,
    Perm.ADD_ORGANISATION,
    Perm.CHANGE_ORGANISATION,
    Perm.VIEW_CONTACT,
    Perm.ADD_CONTACT,
    Perm.CHANGE_CONTACT,
    Perm.VIEW_MEMBERSHIP,
    Perm.VIEW_ALL_PROGRAMMES,
    Perm.VIEW_PROGRAMME,
    Perm.ADD_PROGRAMME,
    Perm.CHANGE_PROGRAMME,
    Perm.VIEW_PARTICIPATION,
    Perm.ADD_PARTICIPATION,
    Perm.CHANGE_PARTICIPATION,
    Perm.DELETE_PARTICIPATION,
    Perm.VIEW_PROGRAMME_UPDATE,
    Perm.ADD_PROGRAMME_UPDATE,
    Perm.VIEW_MESSAGE,
    Perm.RESEND_MESSAGE,
    Perm.VIEW_LOAN,
    Perm.ADD_LOAN,
    Perm.CHANGE_LOAN,
    Perm.VIEW_INSTALLMENT,
    Perm.VIEW_REPAYMENT,
    Perm.ADD_REPAYMENT,
    Perm.RECORD_REPAYMENT,
    Perm.VIEW_REMINDER,
    Perm.VIEW_GRANT,
    Perm.ADD_GRANT,
    Perm.CHANGE_GRANT,
    Perm.VIEW_TRANCHE,
    Perm.CHANGE_TRANCHE,
    Perm.VIEW_SHIPMENT,
    Perm.ADD_SHIPMENT,
    Perm.CHANGE_SHIPMENT,
    Perm.VIEW_SHIPMENT_ITEM,
    Perm.ADD_SHIPMENT_ITEM,
    Perm.CHANGE_SHIPMENT_ITEM,
    Perm.VIEW_TRACKING_EVENT,
    Perm.ADD_TRACKING_EVENT,
    Perm.VIEW_RECEIPT,
    Perm.VIEW_CALL,
    Perm.ADD_CALL,
    Perm.CHANGE_CALL,
    Perm.VIEW_APPLICATION,
    Perm.ADD_APPLICATION,
    Perm.CHANGE_APPLICATION,
    Perm.SEE_PERSONAL_DATA,
    Perm.VIEW_ATTACHMENT,
    Perm.RECORD_AWARD_RESPONSE,
    Perm.VIEW_REVIEW,
    Perm.ADD_REVIEW,
    Perm.REVIEW_APPLICATION,
    Perm.VIEW_PROGRESS_REPORT,
    Perm.CHANGE_PROGRESS_REPORT,
    Perm.VIEW_STIPEND,
    Perm.CHANGE_STIPEND,
    Perm.APPROVE_STIPEND,
    Perm.VIEW_SCHOLARSHIP_REMINDER,
    Perm.VIEW_EXCHANGE_ACTIVITY,
    Perm.ADD_EXCHANGE_ACTIVITY,
    Perm.CHANGE_EXCHANGE_ACTIVITY,
    Perm.REPORT_EXCHANGE_ACTIVITY,
    Perm.VIEW_PARTICIPANT,
    Perm.VIEW_ALUMNI_OUTCOME,
    Perm.VIEW_RESULT,
    Perm.CHANGE_FRAMEWORK,
    Perm.VIEW_RESULTS_REPORT,
    Perm.ADD_RESULTS_REPORT,
    Perm.REVIEW_RESULTS_REPORT,
    Perm.VIEW_EXCHANGE_RATE,
    Perm.ADD_EXCHANGE_RATE,
    Perm.CHANGE_EXCHANGE_RATE,
    Perm.VIEW_BUDGET_LINE,
    Perm.ADD_BUDGET_LINE,
    Perm.CHANGE_BUDGET_LINE,
    Perm.VIEW_EXPENDITURE,
    Perm.ADD_EXPENDITURE,
    Perm.CHANGE_EXPENDITURE,
    Perm.VIEW_DOCUMENT,
    Perm.ADD_DOCUMENT,
    Perm.CHANGE_DOCUMENT,
}

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.OFFICER: _OFFICER,
    Role.MANAGER: _OFFICER
    | {
        Perm.VIEW_DASHBOARD,
        Perm.EXPORT_DATA,
        Perm.APPROVE_LOAN,
        Perm.APPROVE_TRANCHE,
        Perm.APPROVE_DISPATCH,
        Perm.APPROVE_AWARD,
        Perm.LOCK_ALUMNI_OUTCOME,
    },
    # Partner users hold read permissions too; selectors narrow every read to their organisation.
    Role.PARTNER: {
        Perm.ACCESS_PORTAL,
        Perm.VIEW_ORGANISATION,
        Perm.VIEW_PROGRAMME,
        Perm.VIEW_PARTICIPATION,
        Perm.VIEW_PROGRAMME_UPDATE,
        Perm.ADD_PROGRAMME_UPDATE,
        Perm.VIEW_NOTIFICATION,
        Perm.VIEW_LOAN,
        Perm.VIEW_INSTALLMENT,
        Perm.VIEW_REPAYMENT,
        Perm.ADD_REPAYMENT,
        Perm.VIEW_GRANT,
        Perm.VIEW_TRANCHE,
        Perm.VIEW_SHIPMENT,
        Perm.VIEW_SHIPMENT_ITEM,
        Perm.VIEW_TRACKING_EVENT,
        Perm.VIEW_RECEIPT,
        Perm.ADD_RECEIPT,
        Perm.VIEW_CALL,
        Perm.VIEW_APPLICATION,  # their institution's scholars only, from the award on
        Perm.RECORD_AWARD_RESPONSE,
        Perm.CONFIRM_ENROLMENT,
        Perm.VIEW_PROGRESS_REPORT,
        Perm.ADD_PROGRESS_REPORT,
        Perm.VIEW_STIPEND,
        Perm.VIEW_EXCHANGE_ACTIVITY,
        Perm.REPORT_EXCHANGE_ACTIVITY,
        Perm.VIEW_PARTICIPANT,
        Perm.VIEW_ALUMNI_OUTCOME,  # their institution's alumni only
        Perm.ADD_ALUMNI_OUTCOME,
        Perm.VIEW_RESULT,
        Perm.VIEW_RESULTS_REPORT,
        Perm.ADD_RESULTS_REPORT,
        Perm.VIEW_DOCUMENT,
    },
    Role.AUDITOR: {
        Perm.ACCESS_WORKSPACE,
        Perm.VIEW_DASHBOARD,
        Perm.VIEW_HISTORY,
        Perm.VIEW_USER,  # who holds which role, and who gave it
        Perm.EXPORT_DATA,
        Perm.VIEW_ALL_PROGRAMMES,
    },
    # Administrators hold every permission; see sync_roles.
    Role.ADMINISTRATOR: set(),
}

# Auditors read everything: every view_* permission of the project's apps joins their set. Applicants'
# personal data is not theirs to read: it needs SEE_PERSONAL_DATA, which is not a view_* permission.
AUDITED_APPS = (
    "core",
    "partners",
    "programs",
    "reference",
    "finance",
    "shipments",
    "scholarships",
    "results",
    "budgets",
    "documents",
)


def sync_roles(using: str = DEFAULT_DB_ALIAS) -> None:
    from django.contrib.auth.models import Group, Permission

    all_permissions = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        if role is Role.ADMINISTRATOR:
            wanted = list(all_permissions.values())
        else:
            wanted_names = set(names)
            if role is Role.AUDITOR:
                wanted_names |= {
                    name for name in all_permissions if name.split(".")[0] in AUDITED_APPS and ".view_" in name
                }
            wanted = [all_permissions[name] for name in wanted_names if name in all_permissions]
        group.permissions.set(wanted)


def sync_roles_in_migration(apps, schema_editor) -> None:
    """A data migration's step: create any new permissions now, then give each role its own."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias)
    sync_roles(using=schema_editor.connection.alias)


def sync_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    from django.apps import apps

    # post_migrate is sent once per app that has a models module; by the last one every permission exists.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label == with_models[-1].label:
        sync_roles(using=using)


# Two-factor login is required, where enforced, for these roles (and every superuser); the setting
# KERJASAMA_2FA_FOR_ALL_STAFF adds every staff role. Partner users may turn it on for themselves.
TWO_FACTOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.MANAGER})
STAFF_ROLES = frozenset({Role.OFFICER, Role.MANAGER, Role.AUDITOR, Role.ADMINISTRATOR})


def two_factor_required_by_role(user, *, all_staff: bool) -> bool:
    if not (user and user.is_authenticated):
        return False
    roles = roles_of(user)
    if roles & TWO_FACTOR_ROLES:
        return True
    return all_staff and bool(user.is_staff or roles & STAFF_ROLES)


def roles_of(user) -> set[Role]:
    if not user.is_authenticated:
        return set()
    names = {group.name for group in user.groups.all()}
    roles = {role for role in Role if role.value in names}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles
