"""Template helpers of the programme list: a row's countries and partners written out in Python, the way the
template wrote them (the same HTML), because a page of programmes lists some two hundred partners."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

NONE = "—"


@register.filter
def country_names(programme) -> str:
    """``Indonesia, Timor-Leste``, or ``—`` without a recipient country (from the prefetched countries)."""
    names = [conditional_escape(country.name) for country in programme.recipient_countries.all()]
    return mark_safe(", ".join(names) or NONE)  # noqa: S308 - each name is escaped


@register.filter
def partner_abbreviations(programme) -> str:
    """Each partner's acronym (its name without one), its full name and role in a tooltip, or ``—`` without a
    partner (from the prefetched participations and their organisations)."""
    partners = [
        format_html(
            '<abbr title="{} — {}">{}</abbr>',
            participation.organisation.name,
            participation.get_role_display(),
            participation.organisation.acronym or participation.organisation.name,
        )
        for participation in programme.participations.all()
    ]
    return mark_safe(", ".join(partners) or NONE)  # noqa: S308 - each part is built by format_html
