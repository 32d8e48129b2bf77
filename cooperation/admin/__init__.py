"""What every Kerjasama admin screen shares: saves go through services, history is read-only and scoped.

The admin is one more front end on the same services and selectors as the pages
and the API: it never writes a model directly where a service exists, and it
only lists what the selector lets the user see.
"""

from cooperation.admin.checks import check_personal_data, personal_data_errors
from cooperation.admin.history import (
    MoneyHistoryContextHelper,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    ScopedHistoryAdmin,
    SelectorRows,
    ordered,
)
from cooperation.admin.personal_data import PersonalDataAdminMixin, PersonalDataChangeList
from cooperation.admin.services import (
    KnownValuesAutocompleteSelect,
    KnownValuesAutocompleteSelectMultiple,
    SafeAutocompleteMixin,
    ServiceAdminMixin,
    ServiceHistoryAdmin,
    ServiceRefused,
    add_service_errors,
    adopt_saved,
    call_service,
    fresh_copy,
)

__all__ = [
    "KnownValuesAutocompleteSelect",
    "KnownValuesAutocompleteSelectMultiple",
    "MoneyHistoryContextHelper",
    "PersonalDataAdminMixin",
    "PersonalDataChangeList",
    "ReadOnlyAdminMixin",
    "ReadOnlyInline",
    "SafeAutocompleteMixin",
    "ScopedHistoryAdmin",
    "SelectorRows",
    "ServiceAdminMixin",
    "ServiceHistoryAdmin",
    "ServiceRefused",
    "add_service_errors",
    "adopt_saved",
    "call_service",
    "check_personal_data",
    "fresh_copy",
    "ordered",
    "personal_data_errors",
]
