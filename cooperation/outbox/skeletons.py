"""Many messages from a few templates: each shape rendered once per language, the texts that differ put in.

A daily run writes thousands of emails from a handful of templates, and what differs between two of them is
mostly plain text (a reference, a name, an amount already formatted), while a few values decide the template's
branches and plural forms (the kind of reminder, the days overdue, whether anything was paid). So a template is
rendered once per *shape* — the template, the active language and those deciding values — with a marker in place
of each text, and every message of that shape is the rendered skeleton with its own texts put in, in one pass
(a text is never searched for markers again).

The skeleton's context is built from the shape alone, so two messages of one shape can differ only in their texts.
Texts are put in as they are: this is for plain-text templates that render under ``{% autoescape off %}``, and a
text must be what the template would have printed for its value (formatted in the language, as
``render_value_in_context`` does).
"""

import re
from collections.abc import Callable, Hashable, Mapping

from django.template.loader import get_template
from django.utils import translation

_MARK = re.compile("\ue000([A-Za-z0-9_]+)\ue001")


def slot(name: str) -> str:
    """The marker a skeleton's context holds where the text ``name`` goes."""
    return f"\ue000{name}\ue001"


class Skeletons:
    """Renders ``template`` for a shape once per language, through ``context(shape)``; then fills in texts."""

    def __init__(self, context: Callable[[Hashable], dict]):
        self.context = context
        self._templates: dict = {}
        self._rendered: dict = {}

    def render(self, template: str, shape: Hashable, texts: Mapping[str, str], language: str | None = None) -> str:
        """``template`` as the active language renders it for ``shape``, with ``texts`` in place of its slots. A
        caller rendering many messages in one language may name it (``language``: the active one), which saves
        looking it up for each."""
        key = (template, language or translation.get_language(), shape)
        parts = self._rendered.get(key)
        if parts is None:
            compiled = self._templates.get(template)
            if compiled is None:
                compiled = self._templates[template] = get_template(template)
            # The text between the slots and the slots' names, alternately: a message is its texts joined in.
            parts = self._rendered[key] = _MARK.split(compiled.render(self.context(shape)))
        return "".join([part if index % 2 == 0 else texts[part] for index, part in enumerate(parts)])
