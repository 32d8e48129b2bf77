"""Admin for documents and their versions: uploaded, changed and withdrawn on the pages, read here with their
history, listed as the selectors let the user see them. Files are streamed by the pages, never linked from here."""

from django.contrib import admin

from cooperation.admin import ReadOnlyAdminMixin, ReadOnlyInline, ScopedHistoryAdmin, ordered
from cooperation.roles import Perm
from programs.documents import selectors
from programs.documents.models import Document, DocumentVersion


class VersionInline(ReadOnlyInline):
    model = DocumentVersion
    fields = ("number", "original_name", "content_type", "size", "uploaded_by", "uploaded_at", "note")
    show_change_link = False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_DOCUMENT)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    list_display = ("title", "kind", "dated", "visibility", "programme", "organisation", "withdrawn_at")
    list_filter = ("kind", "visibility", ("withdrawn_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "programme__code", "organisation__name", "organisation__acronym")
    date_hierarchy = "dated"
    fields = (
        "title",
        "kind",
        "dated",
        "visibility",
        "programme",
        "organisation",
        "created_by",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawal_reason",
    )
    inlines = (VersionInline,)
    list_selector = selectors.visible_documents

    def get_queryset(self, request):
        documents = selectors.visible_documents(user=request.user).select_related("programme", "organisation")
        return ordered(self, request, documents)


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("document", "number", "original_name", "content_type", "size", "uploaded_at")
    search_fields = ("original_name", "document__title")
    list_select_related = ("document",)
    exclude = ("file",)

    def get_queryset(self, request):
        versions = DocumentVersion.objects.filter(document__in=selectors.visible_documents(user=request.user))
        return ordered(self, request, versions)
