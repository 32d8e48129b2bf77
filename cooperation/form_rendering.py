"""How forms are drawn: Django's own widget templates, except that a select's options are written out here.

A country, currency or sector list has hundreds of options, and Django's select template includes two more
templates for every one of them; a form with a few such lists spent most of its time there. The HTML written
here is the same, character for character, as the templates' (a test compares the two).
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def shown_text(value) -> str:
    """A value as ``{{ value }}`` shows it: in local time and format, escaped unless already safe."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def as_string(value) -> str:
    """A value as ``{{ value|stringformat:'s' }}`` shows it: the filter keeps a safe value safe."""
    text = "%s" % value  # noqa: UP031 (the filter's own formatting, which also takes non-strings)
    return text if isinstance(value, SafeData) else escape(text)


def html_attributes(attrs: dict) -> str:
    return "".join(
        f" {name}" if value is True else f' {name}="{as_string(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict) -> str:
    parts = [f'<select name="{shown_text(widget["name"])}"{html_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{shown_text(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{as_string(option["value"])}"{html_attributes(option["attrs"])}>'
                f"{shown_text(option['label'])}</option>\n"  # the option template's own last line break
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """Django's template renderer, with selects (single and multiple) written out by ``select_html``."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT_TEMPLATE else None
        options = [option for _, group, _ in widget["optgroups"] for option in group] if widget else []
        if widget is not None and all(option.get("template_name") == OPTION_TEMPLATE for option in options):
            return select_html(widget)
        return super().render(template_name, context, request)
