"""A record's ``get_<field>_display()`` reads as Django's own: the choice's label in the active language, and a value
that is no choice as it is."""

import pytest
from django.db.models import Model
from django.utils.translation import override

from cooperation.reference.codes import ActivityStatus, OrganisationRole
from programs.models import Participation, Programme


def _django_label(record, name):
    return Model._get_FIELD_display(record, record._meta.get_field(name))


@pytest.mark.parametrize("language", ["en", "id", "en"])
def test_each_choice_reads_as_django_reads_it(language):
    with override(language):
        for status in ActivityStatus.values:
            programme = Programme(status=status)
            assert (
                programme.get_status_display()
                == _django_label(programme, "status")
                == str(ActivityStatus(status).label)
            )
        for role in OrganisationRole.values:
            participation = Participation(role=role)
            assert participation.get_role_display() == _django_label(participation, "role")


def test_the_label_follows_the_language_of_the_moment():
    participation = Participation(role=OrganisationRole.values[0])
    with override("en"):
        english = participation.get_role_display()
    with override("id"):
        indonesian = participation.get_role_display()
    with override("en"):
        assert participation.get_role_display() == english
    assert indonesian == _with_language("id", OrganisationRole(OrganisationRole.values[0]).label) != english


def _with_language(language, label):
    with override(language):
        return str(label)


@pytest.mark.parametrize("value", ["no-such-status", "", None])
def test_a_value_that_is_no_choice_is_given_back_as_it_is(value):
    programme = Programme(status=value)
    assert programme.get_status_display() == _django_label(programme, "status") == value
