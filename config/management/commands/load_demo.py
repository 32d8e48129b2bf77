"""Load a realistic demonstration data set: users of every role, then what each module registered with
``registry.demo(...)`` in its ``AppConfig.ready()``: partners, programmes and their updates, loans and grants,
shipments, scholarships.

Idempotent: every record is looked up by its natural key (username, organisation name, contact email, programme
code, update title, ...) and created through the services only when missing, so a second run changes nothing.

Each loader is called as ``load(run=run)`` in the order it registered; ``run`` carries what the loaders share
(see ``DemoRun``) and a loader may return a summary line, printed after the logins.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cooperation import registry
from cooperation.accounts.user_access import user_set_roles
from cooperation.roles import Role

DEMO_PASSWORD = "kerjasama-demo"  # noqa: S105 — a published demo password, refused in production mode


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    organisation: str = ""  # partner users: the organisation they work for


USERS = (
    DemoUser("admin", "Rudi", "Hartono", Role.ADMINISTRATOR),
    DemoUser("manager", "Sri", "Wahyuni", Role.MANAGER),
    DemoUser("officer", "Budi", "Santoso", Role.OFFICER),
    DemoUser("auditor", "Hannah", "Schmidt", Role.AUDITOR),
    DemoUser("partner", "Siti", "Rahmawati", Role.PARTNER, "Yayasan Air Bersih Nusantara"),
    DemoUser("partner2", "João", "da Costa Belo", Role.PARTNER, "Fundasaun Haburas Komunidade"),
)


@dataclass
class DemoRun:
    """What the loaders share: the demo users by username, the partner users' organisations (by name), and the
    organisations by acronym and by name, which the partners' loader fills for the loaders after it."""

    today: datetime.date
    log: Callable[[str], None]
    users: dict
    workplaces: dict[str, str]
    organisations: dict = field(default_factory=dict)


class Command(BaseCommand):
    help = "Load demonstration users, partners and programmes (safe to run more than once)."

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("load_demo creates accounts with a published password; it refuses production mode.")
        with transaction.atomic():
            run = DemoRun(
                today=timezone.localdate(),
                log=self.stdout.write,
                users=self._users(),
                workplaces={demo.username: demo.organisation for demo in USERS if demo.organisation},
            )
            summaries = [loader(run=run) for loader in registry.demo_loaders()]
        self._print_logins()
        for summary in summaries:
            if summary:
                self.stdout.write(f"\n{summary}")

    # --- users -------------------------------------------------------------------------------------------
    def _users(self) -> dict:
        user_model = get_user_model()
        users = {}
        for demo in USERS:
            user = user_model.objects.filter(username=demo.username).first()
            if user is None:
                user = user_model.objects.create_user(
                    username=demo.username,
                    email=f"{demo.username}@kerjasama.example",
                    password=DEMO_PASSWORD,
                    first_name=demo.first_name,
                    last_name=demo.last_name,
                    is_staff=demo.role is not Role.PARTNER,
                    is_superuser=demo.role is Role.ADMINISTRATOR,
                )
                self.stdout.write(f"  user {demo.username} created")
            # The demo role joins any the user holds. No person acts here: the history records the system.
            held = set(user.groups.values_list("name", flat=True))
            user_set_roles(user=user, roles=held | {demo.role}, changed_by=None)
            users[demo.username] = user
        return users

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for demo in USERS:
            where = f" — {demo.organisation}" if demo.organisation else ""
            self.stdout.write(f"  {demo.username:<10} {demo.role.value}{where}")
        if settings.KERJASAMA_2FA_ENFORCED:
            self.stdout.write("  Two-factor login is enforced: admin and manager enrol an authenticator app first.")
        else:
            self.stdout.write("  Two-factor login is not enforced here (KERJASAMA_2FA_ENFORCED=1 to require it).")
