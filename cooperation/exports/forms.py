"""Forms of saved views and their schedules; the services decide, the forms only read the input."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cooperation.exports import selectors
from cooperation.exports.saved import LAST_DAY_OF_MONTH, SHARED_CHOICES, Frequency, SavedView, Weekday

SHARING_CHOICES = [("", _("Only me")), *SHARED_CHOICES]


def _sharing_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Who sees it"), choices=SHARING_CHOICES, required=False)


class SavedViewForm(forms.Form):
    """The "Save this view" form of a list page: a name, who else sees it, and the list it keeps (hidden). Its
    fields are prefixed, so they never meet the list's own filters."""

    PREFIX = "save"

    name = forms.CharField(label=_("Name"), max_length=100)
    shared_with_role = _sharing_field()
    source = forms.CharField(widget=forms.HiddenInput, max_length=80)
    list_path = forms.CharField(widget=forms.HiddenInput, max_length=200)
    params = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class SavedViewRenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    shared_with_role = _sharing_field()


def _user_label(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class _Recipients(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _user_label(obj)


class ScheduleForm(forms.Form):
    """A saved view's schedule. The recipients offered are those who may open the view and read its list; the
    service checks each chosen one again."""

    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices, initial=Frequency.WEEKLY)
    weekday = forms.TypedChoiceField(
        label=_("Weekday (weekly)"),
        choices=[("", "—"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
        initial=Weekday.MONDAY,
    )
    day_of_month = forms.TypedChoiceField(
        label=_("Day of the month (monthly)"),
        choices=[("", "—"), *((day, str(day)) for day in range(1, LAST_DAY_OF_MONTH + 1))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    recipients = _Recipients(
        label=_("Recipients"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each gets the list as they see it themselves."),
    )
    active = forms.BooleanField(label=_("On"), required=False, initial=True)

    def __init__(self, *args, view: SavedView, **kwargs):
        schedule = selectors.schedule_of(view)
        if schedule is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "frequency": schedule.frequency,
                "weekday": schedule.weekday,
                "day_of_month": schedule.day_of_month,
                "recipients": [user.pk for user in schedule.recipients.all()],
                "active": schedule.active,
            }
        super().__init__(*args, **kwargs)
        field = self.fields["recipients"]
        # Any active user may be posted (the service names who may not receive it); those who may are offered.
        field.queryset = get_user_model().objects.filter(is_active=True)
        offered = selectors.possible_recipients(view)
        if schedule is not None:
            offered += [user for user in schedule.recipients.all() if user not in offered]
        field.widget.choices = [(user.pk, _user_label(user)) for user in offered]
