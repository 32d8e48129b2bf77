"""Habits every template keeps, checked over the whole templates folder."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# ``{{ record.pk }}`` is localized like any number: record 1234 would become "1,234" (or "1.234" in Indonesian),
# breaking hidden form values, element ids and the links and scripts that look them up.
BARE_ID = re.compile(r"\{\{ ?[a-z_][a-z_.]*\.(?:pk|id) ?\}\}")


def test_record_ids_are_never_written_with_thousand_separators():
    bare = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if BARE_ID.search(line)
    ]
    assert bare == [], "write ids as {{ record.pk|unlocalize }} ({% load l10n %})"


@pytest.mark.django_db
def test_a_record_id_above_a_thousand_reaches_the_page_as_plain_digits(client, officer):
    from tests.programs.shipments.factories import ShipmentItemFactory

    item = ShipmentItemFactory(id=12345)
    client.force_login(officer)
    html = client.get(reverse("shipments:detail", args=[item.shipment.pk])).content.decode()
    assert 'data-item="12345"' in html


# --- Under the Content-Security-Policy ----------------------------------------------------------------------------
# The policy (SECURE_CSP) admits scripts and styles from the application's own files only: an inline style attribute,
# an event-handler attribute, a javascript: link, or a <script>/<style> block in the page is refused by the browser.
TEMPLATE_SYNTAX = re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
STYLE_ATTRIBUTE = re.compile(r"(?:^|\s)style\s*=", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"(?:^|\s)on[a-z]+\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"=\s*[\"']?\s*javascript:", re.IGNORECASE)
SOURCE_ATTRIBUTE = re.compile(r"(?:^|\s)src\s*=", re.IGNORECASE)
DATA_BLOCK = re.compile(r"(?:^|\s)type\s*=\s*[\"']?application/(?:ld\+)?json", re.IGNORECASE)
NONCE = "{% csp_nonce_attr %}"
# Inline blocks that carry the request's nonce, and why they cannot be files.
NONCED_BLOCKS = {
    # drf-spectacular's Swagger UI start-up script: rendered per request (the schema's address, the CSRF token).
    "drf_spectacular/swagger_ui.html": "script",
}


def _inline_code(path):
    """What the browser would refuse in one template: (line, what) pairs."""
    raw = path.read_text()
    refused = []
    for match in TAG.finditer(TEMPLATE_SYNTAX.sub(lambda tag: " " * len(tag.group()), raw)):
        name, attributes = match.group(1).lower(), match.group(2)
        line = raw.count("\n", 0, match.start()) + 1
        if STYLE_ATTRIBUTE.search(attributes):
            refused.append((line, "a style attribute"))
        if HANDLER_ATTRIBUTE.search(attributes):
            refused.append((line, "an event-handler attribute"))
        if SCRIPT_URL.search(attributes):
            refused.append((line, "a javascript: URL"))
        inline_block = name == "style" or (
            name == "script" and not SOURCE_ATTRIBUTE.search(attributes) and not DATA_BLOCK.search(attributes)
        )
        if inline_block:
            tag_as_written = raw[match.start() : raw.index(">", match.start()) + 1]
            relative = str(path.relative_to(TEMPLATES))
            if NONCED_BLOCKS.get(relative) != name or NONCE not in tag_as_written:
                refused.append((line, f"an inline <{name}> block"))
    return refused


def test_no_template_holds_code_the_content_security_policy_refuses():
    refused = [
        f"{path.relative_to(TEMPLATES)}:{line}: {what}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for line, what in _inline_code(path)
    ]
    assert refused == [], "move styles to static/css/ and scripts to static/js/"


def test_the_inline_code_check_finds_what_the_browser_refuses(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.TEMPLATES", tmp_path)
    refused = {
        "styled.html": '<div class="card" style="margin: 0">',
        "handler.html": '<button type="button"\n  onclick="go()">Go</button>',
        "link.html": '<a href="javascript:go()">Go</a>',
        "script.html": "<script>go();</script>",
        "style.html": "<style>p { color: red; }</style>",
        "unjustified.html": f"<script {NONCE}>go();</script>",
    }
    admitted = {
        "files.html": '<script src="{% static \'js/a.js\' %}" defer></script><link rel="stylesheet" href="a.css">',
        "data.html": '<script type="application/json" id="d">{"a": 1}</script>',
        "tag_argument.html": '{% render_field field style=style %}<svg><rect width="3" fill="#fff"></rect></svg>',
        "comment.html": '{% comment %}<div style="x">{% endcomment %}{# <b onclick="x"> #}<p>Based on=facts</p>',
        "drf_spectacular/swagger_ui.html": f"<script {NONCE}>start();</script>",
    }
    for name, text in {**refused, **admitted}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    found = {str(path.relative_to(tmp_path)): _inline_code(path) for path in sorted(tmp_path.rglob("*.html"))}

    assert {name for name, what in found.items() if what} == set(refused)
    assert found["handler.html"] == [(1, "an event-handler attribute")]
    assert found["styled.html"] == [(1, "a style attribute")]
    # The justified block without its nonce is refused like any other.
    (tmp_path / "drf_spectacular/swagger_ui.html").write_text("<script>start();</script>")
    assert _inline_code(tmp_path / "drf_spectacular/swagger_ui.html") == [(1, "an inline <script> block")]
