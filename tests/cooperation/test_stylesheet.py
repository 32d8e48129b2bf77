"""A first visit draws the page from one request: the stylesheet comes inside it, under the answer's CSP nonce;
a browser that holds the file (its cookie names the file's version) gets a link to it instead."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cooperation import stylesheet

pytestmark = pytest.mark.django_db

SOURCE = Path(settings.BASE_DIR) / "static" / "css" / "kerjasama.css"
INLINE = re.compile(r'<style nonce="([^"]+)" data-stylesheet="([^"]+)" data-version="([^"]+)">(.*?)</style>', re.S)
LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">')


def _style_nonces(response) -> list[str]:
    policy = {part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split(";")}
    return [value[len("'nonce-") : -1] for value in policy["style-src"] if value.startswith("'nonce-")]


def test_a_first_visit_gets_the_stylesheet_inside_the_page_under_its_nonce(client):
    response = client.get(reverse("account:login"))

    html = response.content.decode()
    [(nonce, url, version, text)] = INLINE.findall(html)
    assert text == SOURCE.read_text()
    assert _style_nonces(response) == [nonce]
    assert url.endswith("css/kerjasama.css")
    assert LINK.findall(html) == []
    assert client.get(url).status_code == 200  # what the page's script fetches into the cache afterwards
    assert version == stylesheet.stylesheet("css/kerjasama.css").version


def test_a_browser_holding_this_version_gets_a_link_and_no_nonce(client, officer):
    client.force_login(officer)
    client.cookies[stylesheet.COOKIE] = stylesheet.stylesheet("css/kerjasama.css").version

    response = client.get(reverse("programs:list"))

    html = response.content.decode()
    assert INLINE.findall(html) == []
    assert [url for url in LINK.findall(html) if url.endswith("css/kerjasama.css")]
    assert _style_nonces(response) == []


def test_a_browser_holding_an_older_version_gets_the_new_one_inline(client):
    client.cookies[stylesheet.COOKIE] = "0123456789abcdef"

    html = client.get(reverse("account:login")).content.decode()

    [(_, _, version, text)] = INLINE.findall(html)
    assert text == SOURCE.read_text()
    assert version != "0123456789abcdef"


def test_a_changed_file_is_read_again_with_a_new_version(tmp_path, settings):
    css = tmp_path / "css" / "site.css"
    css.parent.mkdir()
    css.write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [tmp_path]
    first = stylesheet.stylesheet("css/site.css")

    css.write_text("body { color: navy; }")
    later = css.stat().st_mtime + 5

    os.utime(css, (later, later))
    second = stylesheet.stylesheet("css/site.css")

    assert (first.text, second.text) == ("body { color: black; }", "body { color: navy; }")
    assert first.version != second.version


def test_a_file_that_would_close_the_style_block_is_linked_instead(tmp_path, settings, rf):
    css = tmp_path / "odd.css"
    css.write_text('a::after { content: "</style><script>"; }')
    settings.STATICFILES_DIRS = [tmp_path]

    html = stylesheet.stylesheet_tag({"request": rf.get("/")}, "odd.css")

    assert html.startswith('<link rel="stylesheet" href="') and "<style" not in html
