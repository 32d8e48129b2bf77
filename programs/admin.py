"""Admin for programmes, their objectives and participants, and progress updates."""

from collections import defaultdict

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperation.admin import (
    SafeAutocompleteMixin,
    SelectorRows,
    ServiceAdminMixin,
    ServiceHistoryAdmin,
    adopt_saved,
    call_service,
    fresh_copy,
)
from cooperation.money import money_display
from cooperation.roles import Perm
from partners.selectors import organisation_list
from programs import selectors, services
from programs.models import FORM_FIELDS, Participation, Programme, ProgrammeObjective, ProgrammeUpdate


def users_holding(perm: Perm):
    """Active users who hold ``perm`` through a role or directly (superusers hold every permission)."""
    app_label, codename = perm.split(".")
    through_group = Q(groups__permissions__content_type__app_label=app_label, groups__permissions__codename=codename)
    direct = Q(user_permissions__content_type__app_label=app_label, user_permissions__codename=codename)
    return (
        get_user_model()
        .objects.filter(through_group | direct | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


def _programme_choices(request):
    return selectors.programme_list(user=request.user).order_by("code")


class ProgrammePartsInline(SafeAutocompleteMixin, admin.TabularInline):
    """Objectives and participants are parts of the programme: who may change the programme may change them."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_PROGRAMME) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        needed = Perm.ADD_PROGRAMME if obj is None else Perm.CHANGE_PROGRAMME
        return request.user.has_perm(needed) and self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(Perm.CHANGE_PROGRAMME) and self._may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(Perm.CHANGE_PROGRAMME) and self._may_edit(request)

    def _may_edit(self, request) -> bool:
        return True


class ObjectiveInline(ProgrammePartsInline):
    model = ProgrammeObjective
    fields = ("objective",)
    verbose_name_plural = _("objectives")


class ParticipationInline(ProgrammePartsInline):
    model = Participation
    fields = ("organisation", "role", "committed_amount")
    autocomplete_fields = ("organisation",)
    verbose_name_plural = _("participants")

    def _may_edit(self, request) -> bool:
        return may_edit_participants(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


def may_edit_participants(user) -> bool:
    return all(
        user.has_perm(perm) for perm in (Perm.ADD_PARTICIPATION, Perm.CHANGE_PARTICIPATION, Perm.DELETE_PARTICIPATION)
    )


def _kept_rows(formset):
    """The cleaned rows of an inline formset that the user did not mark for deletion."""
    for row_form in formset.forms:
        data = getattr(row_form, "cleaned_data", None)
        if data and not data.get("DELETE"):
            yield data


def _mark_formset_saved(formset) -> None:
    # construct_change_message reads these; the service did the saving.
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class ProgrammeAdminForm(forms.ModelForm):
    """Shares left empty are no shares ({}), as on the programme's own form."""

    def clean_country_percentages(self):
        return self.cleaned_data.get("country_percentages") or {}

    def clean_sector_percentages(self):
        return self.cleaned_data.get("sector_percentages") or {}


@admin.register(Programme)
class ProgrammeAdmin(ServiceHistoryAdmin):
    form = ProgrammeAdminForm
    list_display = (
        "code",
        "title",
        "forms_display",
        "status",
        "budget_display",
        "partners_display",
        "responsible_officer",
        "planned_start",
    )
    list_display_links = ("code", "title")
    list_filter = (
        "status",
        "is_financial",
        "is_technical",
        "is_cultural",
        "is_in_kind",
        ("budget_currency", admin.RelatedOnlyFieldListFilter),
        ("recipient_countries", admin.RelatedOnlyFieldListFilter),
        ("sectors", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("code", "title", "description", "participations__organisation__name")
    list_select_related = ("budget_currency", "responsible_officer")
    date_hierarchy = "planned_start"
    filter_horizontal = ("recipient_countries", "sectors")
    readonly_fields = ("created_by", "created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "title",
                    "title_indonesian",
                    "description",
                    "description_indonesian",
                    "status",
                    "responsible_officer",
                )
            },
        ),
        (_("Forms of cooperation"), {"fields": (("is_financial", "is_technical", "is_cultural", "is_in_kind"),)}),
        (_("Dates"), {"fields": (("planned_start", "planned_end"), ("actual_start", "actual_end"))}),
        (_("Budget"), {"fields": (("budget_amount", "budget_currency"), "dac_category")}),
        (
            _("Where and what"),
            {"fields": ("recipient_countries", "country_percentages", "area", "sectors", "sector_percentages")},
        ),
        (_("IATI"), {"fields": ("publish_to_iati",)}),
        (_("Record"), {"fields": ("created_by", "created_at", "updated_at")}),
    )
    inlines = (ObjectiveInline, ParticipationInline)

    list_selector = selectors.programme_list

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsible_officer":
            kwargs["queryset"] = users_holding(Perm.CHANGE_PROGRAMME)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("forms"))
    def forms_display(self, programme):
        return ", ".join(str(label) for label in programme.get_forms_display())

    @admin.display(description=_("budget"), ordering="budget_amount")
    def budget_display(self, programme):
        return money_display(programme.budget_amount, programme.budget_currency)

    @admin.display(description=_("partners"))
    def partners_display(self, programme):
        # participations are prefetched by the selector: no query per row.
        return ", ".join(p.organisation.acronym or p.organisation.name for p in programme.participations.all())

    def save_model(self, request, obj, form, change):
        # Saved in save_related, where the objectives and participants are known: one service call
        # writes the programme and its parts in one transaction.
        pass

    def save_related(self, request, form, formsets, change):
        data = {name: form.cleaned_data[name] for name in services.PROGRAMME_FIELDS if name in form.cleaned_data}
        if all(field in form.cleaned_data for field in FORM_FIELDS.values()):
            data["forms"] = [form_ for form_, field in FORM_FIELDS.items() if form.cleaned_data[field]]
        for name in ("recipient_countries", "sectors"):
            if name in form.cleaned_data:
                data[name] = list(form.cleaned_data[name])
        participants = None
        for formset in formsets:
            _mark_formset_saved(formset)
            if formset.model is ProgrammeObjective:
                data["objectives"] = [row["objective"] for row in _kept_rows(formset)]
            elif formset.model is Participation and may_edit_participants(request.user):
                participants = [
                    services.ParticipantInput(row["organisation"], row["role"], row.get("committed_amount"))
                    for row in _kept_rows(formset)
                ]
        programme = form.instance
        if change:
            self.save_through(
                programme,
                services.programme_update,
                programme=fresh_copy(programme),
                updated_by=request.user,
                participants=participants,
                **data,
            )
        else:
            self.save_through(
                programme, services.programme_create, created_by=request.user, participants=participants or (), **data
            )


@admin.register(Participation)
class ParticipationAdmin(ServiceHistoryAdmin):
    """One partner's role in one programme. Saved by rewriting the programme's participant list
    through programme_update, the one service that writes participations."""

    list_display = ("programme", "organisation", "role", "committed_display")
    list_filter = ("role", "organisation__kind", "programme__status")
    search_fields = (
        "programme__code",
        "programme__title",
        "organisation__name",
        "organisation__acronym",
    )
    list_select_related = ("programme__budget_currency", "organisation")
    autocomplete_fields = ("programme", "organisation")
    fields = ("programme", "organisation", "role", "committed_amount")
    bulk_delete_through_service = True

    list_selector = selectors.participation_list

    def get_readonly_fields(self, request, obj=None):
        return ("programme", "organisation") if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            kwargs["queryset"] = _programme_choices(request)
        elif db_field.name == "organisation":
            kwargs["queryset"] = organisation_list(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("committed"), ordering="committed_amount")
    def committed_display(self, participation):
        if participation.committed_amount is None:
            return "—"
        return money_display(participation.committed_amount, participation.programme.budget_currency)

    @staticmethod
    def _rows(programme, *, without=()):
        return [
            services.ParticipantInput(p.organisation, p.role, p.committed_amount)
            for p in programme.participations.select_related("organisation")
            if p.pk not in without
        ]

    def save_model(self, request, obj, form, change):
        programme = fresh_copy(obj.programme)
        rows = self._rows(programme, without={obj.pk} if change else ())
        rows.append(services.ParticipantInput(obj.organisation, obj.role, obj.committed_amount))
        call_service(services.programme_update, programme=programme, updated_by=request.user, participants=rows)
        adopt_saved(obj, programme.participations.get(organisation=obj.organisation))

    def delete_model(self, request, obj):
        programme = fresh_copy(obj.programme)
        services.programme_update(
            programme=programme, updated_by=request.user, participants=self._rows(programme, without={obj.pk})
        )

    def delete_queryset(self, request, queryset):
        by_programme = defaultdict(set)
        for participation in queryset:
            by_programme[participation.programme_id].add(participation.pk)
        for programme in Programme.objects.filter(pk__in=list(by_programme)):
            services.programme_update(
                programme=programme,
                updated_by=request.user,
                participants=self._rows(programme, without=by_programme[programme.pk]),
            )


@admin.register(ProgrammeUpdate)
class ProgrammeUpdateAdmin(ServiceAdminMixin, SelectorRows, admin.ModelAdmin):
    """Progress notes are a dated record without change history: posted, never edited."""

    list_display = ("reported_on", "programme", "title", "author", "organisation", "digested_at")
    list_filter = (
        "reported_on",
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("digested_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("title", "body", "programme__code", "programme__title", "author__username")
    list_select_related = ("programme", "author", "organisation")
    autocomplete_fields = ("programme",)
    date_hierarchy = "reported_on"
    fields = ("programme", "reported_on", "title", "body", "author", "organisation", "created_at", "digested_at")
    readonly_fields = ("author", "organisation", "created_at", "digested_at")

    list_selector = selectors.programme_updates

    def has_change_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            kwargs["queryset"] = _programme_choices(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        self.save_through(
            obj,
            services.programme_update_post,
            programme=form.cleaned_data["programme"],
            author=request.user,
            reported_on=form.cleaned_data["reported_on"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
