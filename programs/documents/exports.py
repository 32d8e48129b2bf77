"""The document lists as files (see cooperation.exports): the officers' list, and the partner portal's, which
shows only what is shared with the partner's own organisations and programmes (and not who may see it)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.access import require_perm
from cooperation.exports.tables import Column, Table, attribute
from cooperation.pages import require_workspace
from cooperation.roles import Perm
from programs.documents import selectors
from programs.documents.views import listed_documents
from programs.portal.access import require_portal_user


def _withdrawn_on(document):
    return timezone.localdate(document.withdrawn_at) if document.withdrawn_at else None


def _columns(*, portal: bool) -> tuple[Column, ...]:
    staff_only = () if portal else (Column(_("Visible to"), lambda document: str(document.get_visibility_display())),)
    return (
        Column(_("Title"), attribute("title")),
        Column(_("Type"), lambda document: str(document.get_kind_display())),
        Column(_("Date"), attribute("dated")),
        Column(_("Programme"), attribute("programme.code")),
        Column(_("Partner"), attribute("organisation.name")),
        *staff_only,
        Column(_("Versions"), attribute("version_count")),
        Column(_("Latest version"), attribute("latest_number")),
        Column(_("Latest file"), attribute("latest_name")),
        *(() if portal else (Column(_("Withdrawn"), _withdrawn_on),)),
    )


def documents(request) -> Table:
    require_workspace(request.user, Perm.VIEW_DOCUMENT)
    return Table("documents", _columns(portal=False), listed_documents(request), _("Documents"))


def portal_documents(request) -> Table:
    """The documents shared with the partner user's organisations, as the portal lists them."""
    require_portal_user(request.user)
    require_perm(request.user, Perm.VIEW_DOCUMENT)
    rows = selectors.portal_document_list(user=request.user)
    return Table("documents", _columns(portal=True), rows, _("Documents"))
