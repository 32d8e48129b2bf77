"""The OpenAPI schema is valid and complete, and the interactive docs load nothing from another host."""

import json
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


# --- Error responses -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def documented(django_db_blocker):
    """The schema as served (JSON), generated once for the tests below: it depends on the code only."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    with django_db_blocker.unblock():
        generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


def _resolve(schema, ref_holder):
    name = ref_holder["$ref"].rsplit("/", 1)[-1]
    return schema["components"]["schemas"][name]


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_every_operation_documents_its_errors_in_the_one_error_shape(documented):
    for path, method, operation in _operations(documented):
        responses = operation["responses"]
        where = f"{method.upper()} {path}"
        filters = [p for p in operation.get("parameters", []) if p["in"] == "query" and p["name"] != "page"]
        takes_input = method != "get" or bool(filters)
        signed_in = path != "/api/v1/auth/token/"
        expected = {"404", "405", "406", "415", "500"}  # 404: also `?format=` unknown
        expected |= {"400"} if takes_input else set()
        expected |= {"401"} if signed_in else set()
        # Logging out takes the token alone: no permission and no session check can refuse it.
        expected |= {"403"} if signed_in and path != "/api/v1/auth/logout/" else set()
        expected |= {"429"} if not signed_in else set()
        errors = {status for status in responses if status >= "400"}
        assert errors == expected, where
        for status in errors:
            body = _resolve(documented, responses[status]["content"]["application/json"]["schema"])
            variants = [_resolve(documented, variant) for variant in body.get("oneOf", [])] or [body]
            for variant in variants:
                assert set(variant["required"]) == {"type", "errors"}, (where, status)


def test_a_write_documents_its_input_errors_with_codes_and_admits_refusals_by_business_rules(documented):
    components = documented["components"]["schemas"]
    response = documented["paths"]["/api/v1/programmes/"]["post"]["responses"]["400"]
    variants = _resolve(documented, response["content"]["application/json"]["schema"])["oneOf"]
    validation = _resolve(documented, variants[0])
    items = _resolve(documented, validation["properties"]["errors"]["items"])["anyOf"]
    by_attr = {}
    for ref in items:
        attr = _resolve(documented, ref)["properties"]["attr"]
        by_attr[attr.get("pattern") or (attr.get("enum") or ["*"])[0]] = _resolve(documented, ref)["properties"]["code"]

    assert {"required", "blank", "max_length"} <= set(by_attr["title"]["enum"])
    # Rows of a list are named by their position.
    assert {"required", "does_not_exist"} <= set(by_attr[r"^participants\.\d+\.organisation$"]["enum"])
    assert items[-1]["$ref"].endswith("/RefusalError")
    assert components["RefusalError"]["properties"]["code"] == {"type": "string"}


def test_a_list_documents_the_errors_of_its_filters_exactly(documented):
    response = documented["paths"]["/api/v1/loans/"]["get"]["responses"]["400"]
    variants = _resolve(documented, response["content"]["application/json"]["schema"])["oneOf"]
    items = _resolve(documented, _resolve(documented, variants[0])["properties"]["errors"]["items"])

    assert "anyOf" not in items  # no business rule runs on a read: only the documented filter errors
    attrs = {_resolve(documented, ref)["properties"]["attr"]["enum"][0] for ref in items["oneOf"]}
    assert {"status", "currency", "borrower", "programme"} <= attrs


def test_a_kept_list_documents_the_time_an_answer_as_it_was_was_computed_and_nothing_else_does(documented):
    documenting = set()
    for path, method, operation in _operations(documented):
        headers = operation["responses"].get("200", {}).get("headers", {})
        if "Figures-As-Of" in headers:
            assert headers["Figures-As-Of"]["schema"] == {"type": "string", "format": "date-time"}, path
            documenting.add((method, path))
    assert {("get", "/api/v1/loans/"), ("get", "/api/v1/partners/"), ("get", "/api/v1/results-reports/")} <= documenting
    assert all(method == "get" and "{" not in path for method, path in documenting)  # lists, not a record
    assert ("get", "/api/v1/auth/tokens/") not in documenting  # one's own tokens are never kept


def test_the_login_documents_throttling_and_lockout(documented):
    response = documented["paths"]["/api/v1/auth/token/"]["post"]["responses"]["429"]
    body = _resolve(documented, response["content"]["application/json"]["schema"])
    error = _resolve(documented, body["properties"]["errors"]["items"])
    codes = _resolve(documented, error["properties"]["code"])

    assert codes["enum"] == ["throttled", "locked_out"]


@pytest.mark.parametrize(
    ("path", "request_component", "response_component"),
    [
        ("/api/v1/loans/{id}/cancel/", "ReasonRequest", "LoanDetail"),
        ("/api/v1/loans/{id}/submit/", None, "LoanDetail"),
        ("/api/v1/shipments/{id}/dispatch/", "DispatchRequest", "ShipmentDetail"),
        ("/api/v1/scholarship-applications/{id}/withdraw/", "MoveReasonRequest", "Application"),
    ],
)
def test_a_move_documents_the_record_it_answers_with_not_its_input(
    documented, path, request_component, response_component
):
    operation = documented["paths"][path]["post"]

    assert operation["summary"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert answer.endswith(f"/{response_component}")
    if request_component:
        sent = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert sent.endswith(f"/{request_component}")


def test_an_operation_is_described_by_its_own_view_never_by_a_kernel_base(documented):
    from cooperation.api import viewsets

    kernel_texts = [
        " ".join(base.__doc__.split()[:8])
        for base in vars(viewsets).values()
        if isinstance(base, type) and base.__module__ == viewsets.__name__ and base.__doc__
    ]
    assert kernel_texts
    leaking = [
        f"{method.upper()} {path}"
        for path, method, operation in _operations(documented)
        if any(text in " ".join(operation.get("description", "").split()) for text in kernel_texts)
    ]
    assert leaking == []
