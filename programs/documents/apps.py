from django.utils.translation import gettext_lazy as _

from cooperation import registry

PANELS = "programs.documents.panels"


class DocumentsConfig(registry.CooperationModuleConfig):
    name = "programs.documents"
    verbose_name = _("Documents")
    order = 80

    def ready(self) -> None:
        super().ready()
        registry.panel("programme.detail", "documents/_programme_hub.html", f"{PANELS}.programme_detail", order=80)
        registry.panel("partner.detail", "documents/_partner_hub.html", f"{PANELS}.partner_detail", order=80)
        registry.panel(
            "portal.programme", "documents/portal/_programme_documents.html", f"{PANELS}.portal_programme", order=80
        )
        registry.contribute(registry.IATI, "programs.documents.iati.parts")
        registry.export_source("documents.documents", "programs.documents.exports.documents")
        registry.export_source("documents_portal.documents", "programs.documents.exports.portal_documents")
