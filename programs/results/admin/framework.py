"""Admin for results frameworks (results, indicators, targets), reporting plans and periods, and disaggregation
dimensions.

The framework is saved through the services, whose refusals show on the form; reporting periods are cut by the
plan (read-only here). Dimensions and their values are a managed list, edited as they are.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperation.admin import (
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    SelectorRows,
    ServiceHistoryAdmin,
    ServiceRefused,
    call_service,
    fresh_copy,
    ordered,
)
from cooperation.roles import Perm
from partners.selectors import organisation_list
from programs.results import services
from programs.results.models import Dimension, DimensionValue, Indicator, Period, PeriodTarget, ReportingPlan, Result
from programs.results.selectors import framework_programmes, indicator_list, period_list, result_list
from programs.results.services.framework import INDICATOR_FIELDS, RESULT_FIELDS


def _mark_formsets_saved(formsets) -> None:
    # construct_change_message reads these; the service did the saving.
    for formset in formsets:
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class FrameworkAdmin(ServiceHistoryAdmin):
    """A part of a programme's framework: read by whoever may see frameworks, written by whoever may build them
    (the services check the same permission)."""

    deletable = False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_RESULT) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return request.user.has_perm(Perm.CHANGE_FRAMEWORK)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(Perm.CHANGE_FRAMEWORK)

    def has_delete_permission(self, request, obj=None):
        return self.deletable and request.user.has_perm(Perm.CHANGE_FRAMEWORK)

    def delete_view(self, request, object_id, extra_context=None):
        # A refusal of the service (something was reported against it) is a message on the record's page.
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefused as refused:
            self.message_user(request, " ".join(refused.error.messages), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))


# --- the framework ------------------------------------------------------------------------------------------------


@admin.register(Result)
class ResultAdmin(FrameworkAdmin):
    list_display = ("title", "level", "programme", "parent", "position")
    list_filter = ("level", ("programme", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "description", "programme__code", "programme__title")
    list_select_related = ("programme", "parent")
    fields = ("programme", "level", "title", "description", "parent", "position", "created_at", "updated_at")
    readonly_fields = ("position", "created_at", "updated_at")
    deletable = True

    def get_queryset(self, request):
        return ordered(self, request, result_list(user=request.user).select_related("parent"))

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "programme") if obj else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            kwargs["queryset"] = framework_programmes(user=request.user).order_by("code")
        elif db_field.name == "parent":
            kwargs["queryset"] = result_list(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in RESULT_FIELDS if name in form.cleaned_data}
        if change:
            self.save_through(obj, services.result_update, result=fresh_copy(obj), updated_by=request.user, **data)
        else:
            programme = form.cleaned_data["programme"]
            self.save_through(obj, services.result_create, programme=programme, created_by=request.user, **data)

    def delete_model(self, request, obj):
        call_service(services.result_delete, result=obj, deleted_by=request.user)


class TargetInline(ReadOnlyInline):
    model = PeriodTarget
    fields = ("period", "value", "text")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_RESULT)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("period")


@admin.register(Indicator)
class IndicatorAdmin(FrameworkAdmin):
    list_display = ("title", "result", "unit", "direction", "baseline_value", "target_value", "reporter")
    list_filter = ("unit", "direction", "cumulative", "dimensions", ("reporter", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "definition", "result__title", "result__programme__code")
    list_select_related = ("result", "reporter")
    fields = (
        "result",
        "title",
        "definition",
        ("unit", "currency"),
        ("direction", "cumulative"),
        ("baseline_value", "baseline_text"),
        ("baseline_on", "baseline_note"),
        ("target_value", "target_text"),
        "reporter",
        "dimensions",
        "measure",
        "revision_reason",
        "position",
    )
    readonly_fields = ("position",)
    inlines = (TargetInline,)

    list_selector = indicator_list

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "result") if obj else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "result":
            kwargs["queryset"] = result_list(user=request.user)
        elif db_field.name == "reporter":
            kwargs["queryset"] = organisation_list(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Saved in save_related, where the dimensions are known: one service call writes the indicator and them.
        pass

    def save_related(self, request, form, formsets, change):
        _mark_formsets_saved(formsets)
        data = {name: form.cleaned_data[name] for name in INDICATOR_FIELDS if name in form.cleaned_data}
        dimensions = list(form.cleaned_data.get("dimensions") or ())
        indicator = form.instance
        if change:
            self.save_through(
                indicator,
                services.indicator_update,
                indicator=fresh_copy(indicator),
                updated_by=request.user,
                revision_reason=form.cleaned_data.get("revision_reason", ""),
                dimensions=dimensions,
                **data,
            )
        else:
            result = form.cleaned_data["result"]
            self.save_through(
                indicator,
                services.indicator_create,
                result=result,
                created_by=request.user,
                dimensions=dimensions,
                **data,
            )


@admin.register(PeriodTarget)
class PeriodTargetAdmin(FrameworkAdmin):
    list_display = ("indicator", "period", "value", "text")
    search_fields = ("indicator__title", "indicator__result__programme__code")
    list_select_related = ("indicator", "period")
    fields = ("indicator", "period", "value", "text")
    deletable = True

    def get_queryset(self, request):
        indicators = indicator_list(user=request.user).values("pk")
        return ordered(self, request, PeriodTarget.objects.filter(indicator__in=indicators))

    def get_readonly_fields(self, request, obj=None):
        return ("indicator", "period") if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = indicator_list(user=request.user).prefetch_related(None)
        elif db_field.name == "period":
            kwargs["queryset"] = period_list(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        indicator, period = obj.indicator, obj.period
        given = obj.value if indicator.is_numeric else obj.text
        call_service(services.targets_set, indicator=indicator, targets={period: given}, set_by=request.user)
        saved = indicator.targets.filter(period=period).first()
        if saved is None:
            field = "value" if indicator.is_numeric else "text"
            raise ServiceRefused(ValidationError({field: _("Give the period's target.")}))
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        call_service(services.targets_set, indicator=obj.indicator, targets={obj.period: None}, set_by=request.user)


@admin.register(ReportingPlan)
class ReportingPlanAdmin(FrameworkAdmin):
    list_display = ("programme", "frequency", "due_after_days", "updated_at")
    list_filter = ("frequency",)
    search_fields = ("programme__code", "programme__title")
    list_select_related = ("programme",)
    fields = ("programme", "frequency", "due_after_days")

    def get_queryset(self, request):
        plans = ReportingPlan.objects.filter(programme__in=framework_programmes(user=request.user))
        return ordered(self, request, plans)

    def get_readonly_fields(self, request, obj=None):
        return ("programme",) if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            kwargs["queryset"] = framework_programmes(user=request.user).order_by("code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        self.save_through(
            obj,
            services.plan_set,
            programme=obj.programme,
            set_by=request.user,
            frequency=form.cleaned_data["frequency"],
            due_after_days=form.cleaned_data["due_after_days"],
        )


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdminMixin, SelectorRows, admin.ModelAdmin):
    """Periods are cut from the programme's dates by its reporting plan."""

    list_display = ("__str__", "programme", "due_on")
    list_filter = (("programme", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("programme__code", "programme__title")
    date_hierarchy = "starts_on"
    fields = ("programme", "starts_on", "ends_on", "due_on")

    list_selector = period_list

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_RESULT) or super().has_view_permission(request, obj)


# --- disaggregation -----------------------------------------------------------------------------------------------


class DimensionValueInline(admin.TabularInline):
    model = DimensionValue
    fields = ("code", "name", "position")
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "covers_everyone", "position")
    list_editable = ("position",)
    search_fields = ("code", "name")
    fields = ("code", "name", "covers_everyone", "position")
    inlines = (DimensionValueInline,)
