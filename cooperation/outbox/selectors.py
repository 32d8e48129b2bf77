"""Reading the outbox: the messages about some records, for those who may see them."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from cooperation.outbox.models import OutboxMessage
from cooperation.roles import Perm


def _about(record: Model | QuerySet) -> Q:
    if isinstance(record, QuerySet):
        content_type = ContentType.objects.get_for_model(record.model)
        return Q(content_type=content_type, object_id__in=record.values("pk"))
    return Q(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


def messages_about(*, user, records: Iterable[Model | QuerySet]) -> QuerySet[OutboxMessage]:
    """Messages about any of ``records`` (instances, or querysets of them), oldest first; none for those
    who may not read the outbox (the addresses are staff's and partners')."""
    if not user.has_perm(Perm.VIEW_MESSAGE):
        return OutboxMessage.objects.none()
    condition = Q()
    for record in records:
        condition |= _about(record)
    if not condition:
        return OutboxMessage.objects.none()
    return OutboxMessage.objects.filter(condition).order_by("created_at", "pk")


def message_get(*, user, pk) -> OutboxMessage:
    if not user.has_perm(Perm.VIEW_MESSAGE):
        raise Http404
    message = OutboxMessage.objects.filter(pk=pk).first()
    if message is None:
        raise Http404
    return message
