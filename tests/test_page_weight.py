"""Pages travel well on a slow link: each page a manager opens, with the demo loaded, weighs under 60 KB compressed
on first load — its HTML and the stylesheets and scripts it loads, gzipped as a server or proxy sends them.

The pages walked: every page of the workspace without an argument (the lists, the dashboard, the forms, home),
and the record page of the first row of each list.
"""

import gzip
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

LIMIT = 60 * 1024
NOT_PAGES = ("admin", "api", "api-", "healthz", "set_language", "waiting_count", "autocomplete")
ASSET = re.compile(r'(?:src|href)="/static/([^"?]+\.(?:css|js))"')
ROW_LINK = re.compile(r'<tbody>.*?<a href="(/[^"?#]+/\d+/)"', re.S)


def _page_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _page_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.converters:
            yield f"{namespace}{pattern.name}"


def _compressed(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=6))


def _asset_weight(path: str, cache: dict) -> int:
    if path not in cache:
        found = finders.find(path)
        assert found, f"/static/{path} is not a static file"
        with open(found, "rb") as handle:
            cache[path] = _compressed(handle.read())
    return cache[path]


def test_every_page_a_manager_opens_weighs_under_60_kb_compressed(client):
    call_command("load_demo", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="manager"))
    urls = [
        reverse(name)
        for name in sorted(set(_page_names()))
        if not name.split(":")[0].startswith(NOT_PAGES) and not name.startswith("logout")
    ]
    assets: dict[str, int] = {}
    weights, walked = {}, set()
    while urls:
        url = urls.pop(0)
        if url in walked:
            continue
        walked.add(url)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content
        page = html.decode()
        weights[url] = _compressed(html) + sum(_asset_weight(path, assets) for path in set(ASSET.findall(page)))
        row = ROW_LINK.search(page)
        if row:  # the list's first record
            urls.append(row.group(1))

    assert len(weights) > 40  # the lists, the dashboard and record pages, not a handful
    assert any(re.fullmatch(r"/shipments/\d+/", url) for url in weights)
    heavy = {url: f"{weight / 1024:.1f} KB" for url, weight in weights.items() if weight >= LIMIT}
    assert heavy == {}, f"Pages over {LIMIT // 1024} KB compressed on first load: {heavy}"
