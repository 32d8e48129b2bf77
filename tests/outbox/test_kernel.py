"""The kernel is a library beneath the modules: it imports none of them, and modules reach it by registering."""

import ast
from pathlib import Path

from django.conf import settings

from cooperation.outbox import kinds

KERNEL = Path(settings.BASE_DIR) / "cooperation"
MODULES = ("partners", "programs")


def imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_kernel_imports_no_module():
    offenders = {
        f"{path.relative_to(KERNEL)}: {name}"
        for path in KERNEL.rglob("*.py")
        for name in imported_names(path)
        if name.split(".")[0] in MODULES
    }
    assert offenders == set()


def test_every_module_registers_the_kinds_it_sends():
    registered = {name for name, _label in kinds.kind_choices()}
    assert registered == {
        "accounts.password_reset",
        "exports.ready",
        "exports.scheduled_report",
        "finance.loan_reminder",
        "finance.loan_reminder_copy",
        "finance.overdue_digest",
        "programs.update_posted",
        "programs.updates_digest",
        "results.report_due_soon",
        "results.report_due_today",
        "results.report_escalated",
        "results.report_overdue",
        "scholarships.online_confirm",
        "scholarships.online_status_link",
        "scholarships.alumni_outcome_due",
        "scholarships.report_due",
        "scholarships.stipend_due",
        "shipments.delay_alert",
        "shipments.dispatch_notice",
        "shipments.expiry_alert",
    }


def test_only_the_outbox_talks_to_the_mail_server():
    """Every email is an outbox row: no module sends one itself (where it could be lost or sent twice)."""
    sending = ("send_mail(", "send_mass_mail(", ".send_messages(", "mailers.", "EmailMessage(", "mail_admins(")
    project = Path(settings.BASE_DIR)
    senders = {
        str(path.relative_to(project))
        for top in ("config", "cooperation", "partners", "programs")
        for path in (project / top).rglob("*.py")
        if any(call in path.read_text() for call in sending)
    }
    # The delivery itself, and the password reset form, whose send_mail() is Django's hook where it writes a row.
    assert senders <= {"cooperation/outbox/delivery.py", "cooperation/outbox/password_reset.py"}
    assert "cooperation/outbox/delivery.py" in senders
