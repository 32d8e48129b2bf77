"""Reading a list's export as its user gets it: the XLSX file's header and rows."""

import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def export_url(source: str, file_format: str = "xlsx") -> str:
    return reverse("exports:export", args=[source, file_format])


def sheet(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(body)).active


def exported(client, source: str, params=None) -> tuple[tuple, list[dict]]:
    """The XLSX export of ``source`` with the list's query ``params``: its header and each row by header (the first
    of two columns with the same header: the amount's currency)."""
    response = client.get(export_url(source), params or {})
    assert response.status_code == 200, response.status_code
    rows = list(sheet(response).iter_rows(values_only=True))
    header = rows[0]
    return header, [{name: row[header.index(name)] for name in header} for row in rows[1:]]


def export_queries(client, source: str, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(export_url(source), params or {})
        assert response.status_code == 200
        sheet(response)
    return len(queries)
