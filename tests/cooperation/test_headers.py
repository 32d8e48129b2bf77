"""What every answer tells the browser: the Content-Security-Policy, the Permissions-Policy and the other
security headers; and compressed pages and JSON for clients that accept them."""

import gzip
import json
import re

import pytest
from django.urls import reverse

from cooperation import stylesheet
from tests.factories import ProgrammeFactory
from tests.programs.finance.factories import LoanFactory
from tests.responses import COMPUTED

pytestmark = pytest.mark.django_db

DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE_ATTRIBUTE = re.compile(rb'nonce="[^"]+"')


def _policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: values for name, *values in directives}


def _nonce(response) -> str:
    found = [value for value in _policy(response)["script-src"] if value.startswith("'nonce-")]
    assert len(found) == 1, response["Content-Security-Policy"]
    return found[0].removeprefix("'nonce-").removesuffix("'")


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


def test_pages_and_api_answers_carry_the_content_security_policy(client, signed_in):
    for response in (
        client.get(reverse("programs:list")),
        client.get(reverse("api:programme-list")),
        client.get("/no-such-page/"),
    ):
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"][0] == "'self'"
        assert policy["style-src"][0] == "'self'"
        assert policy["img-src"] == ["'self'", "data:"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]


def test_the_policy_admits_no_inline_code_and_no_other_site(client):
    policy = _policy(client.get(reverse("account:login")))

    sources = [value for values in policy.values() for value in values]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"} & set(sources)
    assert [value for value in sources if "://" in value or value in {"http:", "https:"}] == []


def test_the_api_docs_start_up_script_runs_with_its_own_answers_nonce(signed_in):
    first = signed_in.get(reverse("api-docs"))
    second = signed_in.get(reverse("api-docs"))

    html = first.content.decode()
    assert f'<script nonce="{_nonce(first)}">' in html
    assert _nonce(first) != _nonce(second)  # a nonce is good for one answer only
    assert len(re.findall(r"<script(?![^>]*\bsrc=)", html)) == 1  # the one inline script is the nonce'd one
    assert "<style" not in html and "style=" not in html
    assert '"validatorUrl": null' in html  # no badge fetched from an outside validator
    assert first["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_without_inline_code_carry_no_nonce(client):
    # Once the browser holds the stylesheet nothing on an ordinary page needs one: the header stays free of a value
    # an attacker could hope to reuse.
    client.cookies[stylesheet.COOKIE] = stylesheet.stylesheet("css/kerjasama.css").version

    assert "'nonce-" not in client.get(reverse("account:login"))["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/programmes/", "/static/css/kerjasama.css"])
def test_every_answer_denies_device_features(client, path):
    response = client.get(path)

    features = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    for feature in DENIED_FEATURES:
        assert features[feature] == "()", feature


def test_pages_keep_the_referrer_sniffing_and_opener_policies(client):
    response = client.get(reverse("account:login"))

    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_browsers_asking_for_the_site_icon_get_it(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


# --- Compression -----------------------------------------------------------------------------------------------


@pytest.fixture
def filled_pages(officer):
    for number in range(30):
        ProgrammeFactory(code=f"KSM-{number:03d}", title=f"Clean water for village {number}")
    loan = LoanFactory(created_by=officer)
    return {
        "programme list": reverse("programs:list"),
        "loan page": reverse("finance:loan_detail", kwargs={"pk": loan.pk}),
        "API programme list": reverse("api:programme-list"),
    }


def _fresh_values(html: bytes) -> bytes:
    return COMPUTED.sub(rb"\1", NONCE_ATTRIBUTE.sub(b"", CSRF_FIELD.sub(b"", html)))


def test_pages_and_json_are_compressed_for_clients_that_accept_it(signed_in, filled_pages):
    for name, url in filled_pages.items():
        plain = signed_in.get(url)
        packed = signed_in.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

        assert packed["Content-Encoding"] == "gzip", name
        assert "Accept-Encoding" in packed["Vary"], name
        assert "Content-Encoding" not in plain, name
        unpacked = gzip.decompress(packed.content)
        assert len(packed.content) < len(plain.content) / 3, name
        if plain["Content-Type"].startswith("application/json"):
            assert json.loads(unpacked) == plain.json(), name
        else:  # the same page, but for the CSRF token, the CSP nonce and the time its figures were computed
            assert _fresh_values(unpacked) == _fresh_values(plain.content), name


def test_compressed_pages_vary_in_length_and_mask_their_csrf_token(signed_in, filled_pages):
    # BREACH guesses a secret from the compressed size of answers that echo a guess next to it. Django's gzip
    # pads every compressed answer with a random-length file name, and masks the CSRF token afresh each time.
    answers = [signed_in.get(filled_pages["programme list"], HTTP_ACCEPT_ENCODING="gzip") for _ in range(6)]

    assert all(answer.content[3] & gzip.FNAME for answer in answers)  # the padding field of the gzip header
    assert len({len(answer.content) for answer in answers}) > 1
    tokens = {CSRF_FIELD.search(gzip.decompress(answer.content)).group(1) for answer in answers}
    assert len(tokens) == len(answers)
