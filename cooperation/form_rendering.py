"""How forms are drawn: Django's own widget templates, except that the options of a select, a list of checkboxes
or of radio buttons, the plain inputs (text, number, date, hidden…) and text areas are written out here.

A country, currency or sector list has hundreds of options, and Django's select template includes two more
templates for every one of them (a checkbox, four); a form with a few such lists spent most of its time there. The
HTML written here is the same, character for character, as the templates' (a test compares the two).
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# The templates that draw a plain ``<input>`` (each includes ``input.html``): every filter form has several.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        *("input", "text", "hidden", "number", "email", "url", "password", "search"),
        *("date", "datetime", "time", "checkbox", "color", "tel", "file"),
    )
)
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# Lists of checkboxes or radio buttons, and the template of each of their options.
CHOICE_LIST_TEMPLATES = {
    "django/forms/widgets/checkbox_select.html": "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/radio.html": "django/forms/widgets/radio_option.html",
}


def shown_text(value) -> str:
    """A value as ``{{ value }}`` shows it: in local time and format, escaped unless already safe."""
    if type(value) is str:  # most labels and names: nothing to localize, never safe
        return escape(value)
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def as_string(value) -> str:
    """A value as ``{{ value|stringformat:'s' }}`` shows it: the filter keeps a safe value safe."""
    if type(value) is str:
        return escape(value)
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


def input_html(widget: dict) -> str:
    """A plain input, as ``input.html`` draws it."""
    value = "" if widget["value"] is None else f' value="{as_string(widget["value"])}"'
    return (
        f'<input type="{shown_text(widget["type"])}" name="{shown_text(widget["name"])}"{value}'
        f"{html_attributes(widget['attrs'])}>"
    )


def textarea_html(widget: dict) -> str:
    """A text area, as ``textarea.html`` draws it."""
    value = shown_text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{shown_text(widget["name"])}"{html_attributes(widget["attrs"])}>\n{value}</textarea>'


def _labelled_input(option: dict) -> str:
    """An option of a list of checkboxes or radio buttons, as ``input_option.html`` draws it (label around)."""
    attrs = option["attrs"]
    value = "" if option["value"] is None else f' value="{as_string(option["value"])}"'
    label_for = f' for="{shown_text(attrs["id"])}"' if attrs.get("id") else ""
    return (
        f'<label{label_for}><input type="{shown_text(option["type"])}" name="{shown_text(option["name"])}"{value}'
        f"{html_attributes(attrs)}>\n {shown_text(option['label'])}</label>\n\n"
    )


def choice_list_html(widget: dict) -> str:
    """A list of checkboxes or radio buttons, as ``multiple_input.html`` draws it."""
    attrs = widget["attrs"]
    element_id = f' id="{shown_text(attrs["id"])}"' if attrs.get("id") else ""
    css_class = f' class="{shown_text(attrs["class"])}"' if attrs.get("class") else ""
    parts = [f"<div{element_id}{css_class}>"]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{shown_text(group)}</label>")
        parts.extend(f"<div>\n    {_labelled_input(option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """Django's template renderer, with selects (single and multiple) written out by ``select_html``, lists of
    checkboxes or radio buttons by ``choice_list_html``, plain inputs by ``input_html`` and text areas by
    ``textarea_html``."""

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES and "widget" in context:
            return input_html(context["widget"])
        if template_name == TEXTAREA_TEMPLATE and "widget" in context:
            return textarea_html(context["widget"])
        option_template = OPTION_TEMPLATE if template_name == SELECT_TEMPLATE else None
        option_template = CHOICE_LIST_TEMPLATES.get(template_name, option_template)
        widget = context.get("widget") if option_template else None
        options = [option for _, group, _ in widget["optgroups"] for option in group] if widget else []
        if widget is not None and all(option.get("template_name") == option_template for option in options):
            if template_name == SELECT_TEMPLATE:
                return select_html(widget)
            if all(option.get("wrap_label") is True for option in options):
                return choice_list_html(widget)
        return super().render(template_name, context, request)
