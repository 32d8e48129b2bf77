"""Reading a scholarship list's export the way a user opens it: the spreadsheet's header and rows."""

import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def export_url(source: str, file_format: str = "xlsx", **params) -> str:
    url = reverse("exports:export", args=[source, file_format])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")


def sheet(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(body)).active


def table(client, source: str, **params) -> list[dict]:
    """The exported rows as {header: value}, in the file's order."""
    response = client.get(export_url(source, **params))
    assert response.status_code == 200, response.status_code
    header, *rows = list(sheet(response).iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def header(client, source: str, **params) -> tuple:
    return next(sheet(client.get(export_url(source, **params))).iter_rows(values_only=True))


def queries(client, source: str, **params) -> int:
    """How many queries the export of ``source`` makes (its rows read to the end)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(export_url(source, **params))
        assert response.status_code == 200
        sheet(response)
    return len(captured)
