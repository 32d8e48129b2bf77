"""The OECD DAC thresholds for concessional loans: a change of the rules is a new row valid from its date."""

from django.contrib import admin

from cooperation.admin import ServiceHistoryAdmin
from cooperation.admin.services import fresh_copy
from programs.finance.models import DacRule
from programs.finance.services import dac


@admin.register(DacRule)
class DacRuleAdmin(ServiceHistoryAdmin):
    list_display = ("category", "minimum_grant_element", "discount_rate", "valid_from")
    list_filter = ("category",)
    ordering = ("category", "-valid_from")
    fields = dac.DAC_RULE_FIELDS

    def has_delete_permission(self, request, obj=None):
        return False  # a rule no longer in force stays: loans committed under it are judged by it

    def save_model(self, request, obj, form, change):
        values = {field: form.cleaned_data[field] for field in dac.DAC_RULE_FIELDS if field in form.cleaned_data}
        if change:
            self.save_through(obj, dac.dac_rule_update, rule=fresh_copy(obj), updated_by=request.user, **values)
        else:
            self.save_through(obj, dac.dac_rule_create, created_by=request.user, **values)
