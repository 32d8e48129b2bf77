"""The OpenAPI schema is valid and complete, and the interactive docs load nothing from another host."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(officer):
    client = Client()
    client.force_login(officer)
    return client


@pytest.fixture
def schema(signed_in):
    response = signed_in.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_generated_schema_has_no_warnings_and_is_valid(tmp_path):
    target = tmp_path / "schema.yaml"

    # --fail-on-warn turns any drf-spectacular warning (unresolvable type, name collision) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    validate(yaml.safe_load(target.read_text()))


def test_served_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_schema_describes_every_endpoint_and_only_the_allowed_methods(schema):
    paths = schema["paths"]

    assert set(paths["/api/v1/auth/token/"]) == {"post"}
    assert set(paths["/api/v1/programmes/"]) == {"get", "post"}
    assert set(paths["/api/v1/programmes/{id}/"]) == {"get", "put", "patch"}
    assert set(paths["/api/v1/programmes/{id}/updates/"]) == {"post"}
    assert set(paths["/api/v1/partners/{id}/"]) == {"get", "put", "patch"}
    assert set(paths["/api/v1/participations/{id}/"]) == {"get", "put", "patch", "delete"}
    assert set(paths["/api/v1/programme-updates/{id}/"]) == {"get"}


def test_schema_shows_the_input_and_output_shapes(schema):
    components = schema["components"]["schemas"]
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    create = schema["paths"]["/api/v1/programmes/"]["post"]
    listed = schema["paths"]["/api/v1/programmes/"]["get"]

    assert token["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/AuthTokenRequest")
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ProgrammeWriteRequest")
    assert create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/Programme")
    assert {"participants", "budget", "forms"} <= set(components["ProgrammeWriteRequest"]["properties"])
    # Money is a decimal string, never a float.
    assert components["Budget"]["properties"]["amount"]["type"] == "string"
    # The list page's filters are the API's query parameters.
    parameters = {p["name"] for p in listed["parameters"]}
    assert {"q", "status", "form", "country", "partner", "sector", "currency", "ordering", "page"} <= parameters
    assert "search" not in parameters
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


@pytest.mark.parametrize("url", ["/api/docs/"])
def test_docs_page_loads_only_local_assets(signed_in, url):
    client = signed_in
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page should load its scripts and styles"
    for asset in assets:
        assert not re.match(r"^(https?:)?//", asset), f"{asset} comes from another host"
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, f"{asset} is not served"
    assert "/api/schema/" in html
