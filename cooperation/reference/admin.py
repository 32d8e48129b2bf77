"""Admin for the reference tables: administrators maintain them, auditors read them."""

from django.contrib import admin

from cooperation.reference.models import Country, Currency, Sector


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
