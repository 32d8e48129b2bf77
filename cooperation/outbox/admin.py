"""The outbox in the admin: every message with its state and last error, read-only, and "Send again"."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy, ngettext

from cooperation.admin import ReadOnlyAdminMixin
from cooperation.outbox import kinds, services
from cooperation.outbox.models import OutboxMessage
from cooperation.roles import Perm


class KindFilter(admin.SimpleListFilter):
    title = gettext_lazy("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kinds.kind_choices()

    def queryset(self, request, queryset):
        known = {name for name, _label in kinds.kind_choices()}
        if self.value() in known:
            return queryset.filter(kind=self.value())
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind_display", "recipient", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", KindFilter)
    search_fields = ("recipient", "subject", "dedupe_key")
    date_hierarchy = "created_at"
    list_select_related = ("content_type",)
    actions = ["send_again"]
    fields = (
        "kind_display",
        "recipient",
        "reply_to",
        "subject",
        "body_display",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "resent_by",
        "resent_at",
        "about_display",
        "dedupe_key",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_display(self, message):
        return kinds.kind_label(message.kind)

    @admin.display(description=gettext_lazy("body"))
    def body_display(self, message):
        if message.sensitive:
            return gettext_lazy("(not shown: it carries a secret for its recipient only)")
        return message.body

    @admin.display(description=gettext_lazy("about"))
    def about_display(self, message):
        if message.content_type_id is None:
            return "—"
        return f"{message.content_type.name} #{message.object_id}"

    def has_send_again_permission(self, request):
        return request.user.has_perm(Perm.RESEND_MESSAGE)

    @admin.action(description=gettext_lazy("Send the selected failed messages again"), permissions=["send_again"])
    def send_again(self, request, queryset):
        sent_again, refused = 0, []
        for message in queryset:
            try:
                services.outbox_message_retry(message=message, user=request.user)
            except ValidationError as error:
                refused.append(f"{message.recipient}: {' '.join(error.messages)}")
            else:
                sent_again += 1
        if sent_again:
            self.message_user(
                request,
                ngettext("%(count)d message will be sent again.", "%(count)d messages will be sent again.", sent_again)
                % {"count": sent_again},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.WARNING)
