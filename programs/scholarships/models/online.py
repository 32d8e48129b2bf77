"""Applications sent from a call's public page, kept aside until the applicant confirms their email address."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperation import personal_data
from cooperation.fields import happened_at, part_of
from programs.scholarships.models.applications import Application
from programs.scholarships.models.calls import Call


class OnlineSubmission(models.Model):
    """What an applicant sent online. Nothing is registered until they open the link emailed to them: then the
    application is recorded through the same service as a paper one, what was kept here is erased, and the row
    stays only to answer the applicant's private status link. Unconfirmed rows, with their files, are deleted once
    they expire.

    Of both links only a digest is stored (``cooperation.accounts.models.key_digest``): the links themselves are
    in the applicant's email and browser alone."""

    # Everything here is the applicant's: nobody reads it but the services that confirm or expire it.
    PERSONAL_FIELDS = personal_data.ALL

    call = part_of(Call, _("call"), related_name="online_submissions")
    language = models.CharField(_("language"), max_length=10)
    # The applicant's answers to the form, as the service cleaned them; erased on confirmation.
    details = models.JSONField(_("details"), default=dict, blank=True)
    eligibility_answers = models.JSONField(_("eligibility answers"), default=list, blank=True)
    # The PDF files sent, stored privately until confirmation makes them the application's attachments.
    files = models.JSONField(_("files"), default=list, blank=True)
    confirm_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    confirmed_at = happened_at(_("confirmed"))
    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="online_submission",
        verbose_name=_("application"),
    )
    status_digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("online application waiting for confirmation")
        verbose_name_plural = _("online applications waiting for confirmation")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.call} #{self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
