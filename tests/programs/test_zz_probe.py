import pytest, html, re
from tests.programs.test_api import as_user
pytestmark = pytest.mark.django_db
def test_probe(officer, own_programme):
    r = as_user(officer).get(f"/api/v1/programmes/{own_programme.pk}/", HTTP_ACCEPT="text/html")
    m = re.findall(r'<textarea[^>]*>(.*?)</textarea>', r.content.decode(), re.S)
    print(html.unescape(m[0]) if m else "none")
