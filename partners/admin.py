"""Admin for partner organisations, their contacts and the memberships that link users to them."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cooperation.access import sees_everything
from cooperation.admin import ServiceHistoryAdmin, adopt_saved, call_service, fresh_copy, ordered
from cooperation.roles import Perm
from partners import services
from partners.contributions import OrganisationCount, organisation_counts
from partners.models import Contact, Membership, Organisation
from partners.selectors import organisation_list, user_organisation_ids


def _visible_to(user, queryset):
    """Rows of organisation-owned models (contacts, memberships) that ``user`` may see."""
    if sees_everything(user):
        return queryset
    return queryset.filter(organisation_id__in=user_organisation_ids(user))


def _count_column(count: OrganisationCount):
    """A sortable admin column for a count another app registered (``partners.contributions``)."""

    @admin.display(description=count.label, ordering=count.name)
    def column(organisation):
        return getattr(organisation, count.name)

    column.__name__ = count.name
    return column


def _field_values(form, fields) -> dict:
    return {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ("name", "email", "phone", "position", "receives_reminders", "preferred_language", "is_active")
    extra = 0
    # Contacts are retired with "active", never deleted from here (no service deletes them).
    can_delete = False
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(ServiceHistoryAdmin):
    list_display = ("name", "acronym", "kind", "country", "is_active")
    list_filter = ("kind", "is_active", ("country", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "acronym", "iati_identifier", "area")
    list_select_related = ("country",)
    fieldsets = (
        (None, {"fields": ("name", "acronym", "kind", "country", "area", "dac_category", "is_active")}),
        (_("Identification and address"), {"fields": ("iati_identifier", "website", "address")}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    readonly_fields = ("created_at", "updated_at")
    inlines = (ContactInline,)

    list_selector = organisation_list

    def get_list_display(self, request):
        *facts, active = super().get_list_display(request)
        return (*facts, *(_count_column(count) for count in organisation_counts()), active)

    def save_model(self, request, obj, form, change):
        data = _field_values(form, services.ORGANISATION_FIELDS)
        if change:
            self.save_through(
                obj, services.organisation_update, organisation=fresh_copy(obj), updated_by=request.user, **data
            )
        else:
            self.save_through(obj, services.organisation_create, created_by=request.user, **data)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Contact:
            return super().save_formset(request, form, formset, change)
        # What construct_change_message reads after a save.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for contact_form in formset.forms:
            if not contact_form.has_changed():
                continue
            data = _field_values(contact_form, services.CONTACT_FIELDS)
            if contact_form.instance.pk is None:
                contact = call_service(
                    services.contact_create,
                    on_fields=False,
                    organisation=form.instance,
                    created_by=request.user,
                    **data,
                )
                formset.new_objects.append(contact)
            else:
                contact = call_service(
                    services.contact_update,
                    on_fields=False,
                    contact=fresh_copy(contact_form.instance),
                    updated_by=request.user,
                    **data,
                )
                formset.changed_objects.append((contact, contact_form.changed_data))


@admin.register(Contact)
class ContactAdmin(ServiceHistoryAdmin):
    list_display = (
        "name",
        "email",
        "organisation",
        "position",
        "receives_reminders",
        "preferred_language",
        "is_active",
    )
    list_filter = ("receives_reminders", "preferred_language", "is_active", "organisation__kind")
    search_fields = ("name", "email", "position", "organisation__name", "organisation__acronym")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    fields = (
        "organisation",
        "name",
        "email",
        "phone",
        "position",
        "receives_reminders",
        "preferred_language",
        "is_active",
    )

    def get_queryset(self, request):
        return ordered(self, request, _visible_to(request.user, Contact.objects.all()))

    def get_readonly_fields(self, request, obj=None):
        # The services keep a contact with the organisation it was created for.
        return ("organisation",) if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = organisation_list(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = _field_values(form, services.CONTACT_FIELDS)
        if change:
            self.save_through(obj, services.contact_update, contact=fresh_copy(obj), updated_by=request.user, **data)
        else:
            organisation = form.cleaned_data["organisation"]
            self.save_through(obj, services.contact_create, organisation=organisation, created_by=request.user, **data)


@admin.register(Membership)
class MembershipAdmin(ServiceHistoryAdmin):
    list_display = ("user", "organisation", "is_active", "created_at")
    list_filter = ("is_active", "organisation__kind")
    search_fields = ("user__username", "user__email", "user__last_name", "organisation__name", "organisation__acronym")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("user", "organisation")
    fields = ("user", "organisation", "is_active")
    actions = ("deactivate_memberships",)

    def get_queryset(self, request):
        return ordered(self, request, _visible_to(request.user, Membership.objects.all()))

    def has_deactivate_permission(self, request):
        return request.user.has_perm(Perm.CHANGE_MEMBERSHIP)

    @admin.action(description=_("Deactivate (no longer works for the organisation)"), permissions=["deactivate"])
    def deactivate_memberships(self, request, queryset):
        count = 0
        for membership in queryset.filter(is_active=True):
            services.membership_deactivate(membership=membership, deactivated_by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d membership deactivated.", "%(count)d memberships deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def get_readonly_fields(self, request, obj=None):
        return ("user", "organisation") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            saved = call_service(
                services.membership_update,
                membership=fresh_copy(obj),
                updated_by=request.user,
                **_field_values(form, services.MEMBERSHIP_FIELDS),
            )
        else:
            saved = call_service(
                services.membership_create,
                user=form.cleaned_data["user"],
                organisation=form.cleaned_data["organisation"],
                created_by=request.user,
            )
            if not form.cleaned_data.get("is_active", True):
                saved = call_service(services.membership_deactivate, membership=saved, deactivated_by=request.user)
        adopt_saved(obj, saved)
