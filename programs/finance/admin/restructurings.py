"""Loan restructurings, read-only: they are proposed, decided and reversed on the loan's pages and the API."""

from django.contrib import admin

from cooperation.admin import ReadOnlyAdminMixin, ScopedHistoryAdmin, ordered
from programs.finance import selectors
from programs.finance.models import LoanRestructuring, Moratorium


@admin.register(LoanRestructuring)
class LoanRestructuringAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    list_display = ("loan", "status", "annual_rate", "installments", "arrears", "proposed_by", "proposed_at")
    list_filter = ("status", "arrears")
    search_fields = ("loan__reference", "loan__borrower__name", "reason")
    list_select_related = ("loan__borrower", "proposed_by")
    date_hierarchy = "proposed_at"
    history_money_fields = ("capitalised", "waived", "new_principal")

    def get_queryset(self, request):
        return ordered(self, request, selectors.restructuring_list(user=request.user))

    def history_currency(self, record):
        return record.loan.currency


@admin.register(Moratorium)
class MoratoriumAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    list_display = ("title", "country", "area", "starts_on", "months", "status", "proposed_by")
    list_filter = ("status", "arrears")
    search_fields = ("title", "area", "reason")
    list_select_related = ("country", "proposed_by")
    date_hierarchy = "starts_on"

    def get_queryset(self, request):
        return ordered(self, request, selectors.moratorium_list(user=request.user))
