"""Admin for partners' results reports with their values, breakdowns, narratives and evidence: written by the
partners and the officers' review, read-only here, listed as the selectors let the user see them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cooperation.admin import ReadOnlyAdminMixin, ReadOnlyInline, ScopedHistoryAdmin, ordered
from cooperation.roles import Perm
from programs.results import selectors
from programs.results.models import ActualValue, Breakdown, Evidence, Narrative, Report


class ReportPartInline(ReadOnlyInline):
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_RESULTS_REPORT)


class ActualValueInline(ReportPartInline):
    model = ActualValue
    fields = ("indicator", "value", "text", "comment", "review_comment", "computed")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


class NarrativeInline(ReportPartInline):
    model = Narrative
    fields = ("result", "text")
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("result")


class EvidenceInline(ReportPartInline):
    model = Evidence
    # The file is streamed by the pages to those allowed, never linked from here.
    fields = ("original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    """Reports are filled in and submitted by the partners and reviewed on the officers' pages."""

    list_display = ("organisation", "period", "programme_display", "status", "submitted_at", "reviewed_by")
    list_filter = ("status", "on_behalf", ("organisation", admin.RelatedOnlyFieldListFilter))
    search_fields = ("organisation__name", "organisation__acronym", "period__programme__code")
    date_hierarchy = "submitted_at"
    fields = (
        "period",
        "organisation",
        "status",
        "on_behalf",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
    )
    inlines = (ActualValueInline, NarrativeInline, EvidenceInline)

    list_selector = selectors.report_list

    @admin.display(description=_("programme"), ordering="period__programme__code")
    def programme_display(self, report):
        return report.period.programme.code


def _visible_reports(request):
    return selectors.report_list(user=request.user).values("pk")


class BreakdownInline(ReportPartInline):
    model = Breakdown
    fields = ("dimension_value", "value")
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("dimension_value__dimension")


@admin.register(ActualValue)
class ActualValueAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    list_display = ("indicator", "report", "value", "text", "computed")
    list_filter = ("computed",)
    search_fields = ("indicator__title", "report__organisation__name")
    list_select_related = ("indicator", "report__organisation", "report__period")
    fields = ("report", "indicator", "value", "text", "comment", "review_comment", "computed")
    inlines = (BreakdownInline,)

    def get_queryset(self, request):
        return ordered(self, request, ActualValue.objects.filter(report__in=_visible_reports(request)))


@admin.register(Breakdown)
class BreakdownAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("dimension_value", "value", "actual")
    list_filter = ("dimension_value__dimension",)
    search_fields = ("actual__indicator__title", "dimension_value__name")
    list_select_related = ("dimension_value__dimension", "actual__indicator")
    fields = ("actual", "dimension_value", "value")

    def get_queryset(self, request):
        parts = Breakdown.objects.filter(actual__report__in=_visible_reports(request))
        return ordered(self, request, parts)


@admin.register(Narrative)
class NarrativeAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    list_display = ("result", "report")
    search_fields = ("text", "result__title", "report__organisation__name")
    list_select_related = ("result", "report__organisation", "report__period")
    fields = ("report", "result", "text")

    def get_queryset(self, request):
        return ordered(self, request, Narrative.objects.filter(report__in=_visible_reports(request)))


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("original_name", "report", "content_type", "size", "uploaded_at")
    search_fields = ("original_name", "report__organisation__name")
    list_select_related = ("report__organisation", "report__period")
    exclude = ("file",)  # the file is streamed by the pages to those allowed, never linked from here

    def get_queryset(self, request):
        return ordered(self, request, Evidence.objects.filter(report__in=_visible_reports(request)))
