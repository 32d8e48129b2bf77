"""Documents kept on a programme or a partner: agreements, MoUs, reports and photos, each a private file whose every
version is kept. A document is never deleted: it is withdrawn, and its files stay for the record."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.dates import BoundedDateField
from cooperation.fields import happened_at, part_of, protected_link, reason_field, unique, user_link
from cooperation.files import private_storage
from cooperation.models import TimeStampedModel


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement or MoU")
    REPORT = "report", _("Report")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other")


class Visibility(models.TextChoices):
    STAFF = "staff", _("Staff only")
    PARTNER = "partner", _("Partner and staff")


class Document(TimeStampedModel):
    """A document about exactly one programme or one partner organisation."""

    programme = protected_link("programs.Programme", _("programme"), optional=True, related_name="documents")
    organisation = protected_link("partners.Organisation", _("partner"), optional=True, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    dated = BoundedDateField(_("date"))
    visibility = models.CharField(_("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.STAFF)
    created_by = user_link(_("created by"))
    withdrawn_at = happened_at(_("withdrawn"))
    withdrawn_by = user_link(_("withdrawn by"), optional=True)
    withdrawal_reason = reason_field(_("reason for withdrawal"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-dated", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=(Q(programme__isnull=False) & Q(organisation__isnull=True))
                | (Q(programme__isnull=True) & Q(organisation__isnull=False)),
                name="document_on_programme_or_partner",
                violation_error_message=_("A document belongs to a programme or to a partner, not both."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def version_path(version: "DocumentVersion", filename: str) -> str:
    # The stored name tells nothing; the name the uploader gave is kept in ``original_name``.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{uuid.uuid4().hex}.{extension}"


class DocumentVersion(models.Model):
    """One file of a document; the newest number is the current version, the older ones stay downloadable."""

    document = part_of(Document, _("document"), related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), storage=private_storage, upload_to=version_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = user_link(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            unique(
                ("document", "number"),
                name="document_version_number_unique",
                message=_("This version number is already taken."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"
