"""Filter pieces shared by every API module."""

import django_filters
from django import forms

# The range of the database's 64-bit ids.
MIN_ID, MAX_ID = -(2**63), 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A record's id: a whole number the database can hold, so a huge one is a 400, not a failed query."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=MIN_ID, max_value=MAX_ID, **kwargs)
