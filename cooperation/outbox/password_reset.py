"""Django's password reset, with its email written to the outbox instead of sent while the visitor waits."""

import uuid

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template import loader
from django.utils import translation

from cooperation.outbox import kinds
from cooperation.outbox.services import dedupe_key, enqueue, message


class OutboxPasswordResetForm(PasswordResetForm):
    """The link is rendered now, in the visitor's language; the row is marked sensitive, so its body is shown to
    nobody and erased once delivered."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        subject = " ".join(loader.render_to_string(subject_template_name, context).split())
        body = loader.render_to_string(email_template_name, context)
        with transaction.atomic():
            enqueue(
                [
                    message(
                        kind=kinds.PASSWORD_RESET,
                        # Each request is a new link: never the same key twice.
                        key=dedupe_key(kinds.PASSWORD_RESET, user.pk, uuid.uuid4().hex),
                        to=to_email,
                        subject=subject,
                        body=body,
                        language=translation.get_language() or "en",
                        about=user,
                        sensitive=True,
                    )
                ]
            )
