"""The programme list's countries and partners cells read as the template's loops drew them: names escaped, an
acronym or else the name, the role in the tooltip, a dash when there is none."""

import pytest
from django.template import Context, Template
from django.utils.translation import override

from cooperation.reference.codes import OrganisationRole
from programs import selectors
from tests.factories import OrganisationFactory, ParticipationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

LOOPS = Template(
    "<span>{% for country in p.recipient_countries.all %}{{ country.name }}{% if not forloop.last %}, {% endif %}"
    "{% empty %}—{% endfor %}</span>"
    '<span>{% for participation in p.participations.all %}<abbr title="{{ participation.organisation.name }} — '
    '{{ participation.get_role_display }}">'
    "{{ participation.organisation.acronym|default:participation.organisation.name }}</abbr>"
    "{% if not forloop.last %}, {% endif %}{% empty %}—{% endfor %}</span>"
)
FILTERS = Template(
    "{% load programme_lists %}<span>{{ p|country_names }}</span><span>{{ p|partner_abbreviations }}</span>"
)


def test_the_cells_read_as_the_loops_drew_them(manager):
    crowded = ProgrammeFactory(countries=["ID", "TL"])
    ParticipationFactory(programme=crowded, organisation=OrganisationFactory(name='Mitra "Tani" & Co', acronym="<MT>"))
    ParticipationFactory(
        programme=crowded,
        organisation=OrganisationFactory(name="Pacific Relief", acronym=""),
        role=OrganisationRole.FUNDING,
    )
    alone = ProgrammeFactory(countries=["FJ"])
    alone.recipient_countries.clear()
    for language in ("en", "id"):
        with override(language):
            for programme in selectors.programme_list(user=manager):
                context = Context({"p": programme})
                assert FILTERS.render(context) == LOOPS.render(context)
    drawn = FILTERS.render(Context({"p": selectors.programme_list(user=manager).get(pk=crowded.pk)}))
    assert (
        "Mitra &quot;Tani&quot; &amp; Co" in drawn
        and "&lt;MT&gt;</abbr>" in drawn
        and "</abbr>, <abbr" in drawn
        and ">Pacific Relief<" in drawn
    )
    assert FILTERS.render(Context({"p": selectors.programme_list(user=manager).get(pk=alone.pk)})) == (
        "<span>—</span><span>—</span>"
    )
