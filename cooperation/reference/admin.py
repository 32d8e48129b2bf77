"""Admin for the reference tables: administrators maintain them, auditors read them."""

from django.contrib import admin

from cooperation.admin.history import ReadOnlyAdminMixin, ScopedHistoryAdmin
from cooperation.admin.services import ServiceHistoryAdmin, fresh_copy
from cooperation.reference import selectors, services
from cooperation.reference.models import Country, Currency, ExchangeRate, FixedRate, Sector
from cooperation.roles import Perm


class ReferenceAdmin(admin.ModelAdmin):
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    ordering = ("code",)

    def get_readonly_fields(self, request, obj=None):
        # The code is the primary key: editing it would silently create a second row.
        return ("code",) if obj else ()


@admin.register(Country)
class CountryAdmin(ReferenceAdmin):
    list_display = ("code", "name", "is_active")
    ordering = ("name",)


@admin.register(Currency)
class CurrencyAdmin(ReferenceAdmin):
    list_display = ("code", "name", "minor_unit", "is_active")
    list_filter = ("is_active", "minor_unit")


@admin.register(Sector)
class SectorAdmin(ReferenceAdmin):
    list_display = ("code", "name", "category_code", "category_name", "is_active")
    list_filter = ("is_active", "category_name")
    search_fields = ("code", "name", "category_code", "category_name")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ServiceHistoryAdmin):
    """Rates are entered and corrected through the services (the rate pages say the same); never deleted, since a
    money event may have been converted with one."""

    list_display = ("on", "from_currency", "to_currency", "rate", "source", "created_by", "created_at")
    list_filter = (("on", admin.DateFieldListFilter), "from_currency", "to_currency")
    search_fields = ("from_currency__code", "to_currency__code", "source")
    date_hierarchy = "on"
    list_select_related = ("from_currency", "to_currency", "created_by")
    list_selector = staticmethod(selectors.exchange_rate_list)
    ordering = ("-on", "from_currency", "to_currency")
    fields = ("on", "from_currency", "to_currency", "rate", "source", "created_by", "created_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("created_by", "created_at")
        return ("on", "from_currency", "to_currency", "created_by", "created_at")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {field: form.cleaned_data[field] for field in form.cleaned_data if field in services.RATE_FIELDS}
        if change:
            self.save_through(
                obj,
                services.exchange_rate_update,
                exchange_rate=fresh_copy(obj),
                updated_by=request.user,
                **{field: values[field] for field in services.CORRECTABLE_FIELDS if field in values},
            )
        else:
            self.save_through(obj, services.exchange_rate_create, created_by=request.user, **values)


@admin.register(FixedRate)
class FixedRateAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    """The rate each money event of a currency and date was converted at: written once by the conversions, read
    here."""

    list_display = ("on", "currency", "reporting_currency", "rate", "rate_on", "fixed_at")
    list_filter = (("on", admin.DateFieldListFilter), "currency", "reporting_currency")
    search_fields = ("currency__code",)
    date_hierarchy = "on"
    list_select_related = ("currency", "reporting_currency")
    ordering = ("-on", "currency")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_EXCHANGE_RATE) or super().has_view_permission(request, obj)
