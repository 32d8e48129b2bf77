"""Reading an exported list back as a user's spreadsheet program would."""

import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode


def export_url(source: str, file_format: str = "xlsx", **params) -> str:
    url = reverse("exports:export", args=[source, file_format])
    return url + ("?" + urlencode(params, doseq=True) if params else "")


def sheet_of(response):
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(body)).active


def records(response) -> list[dict]:
    """The exported rows, each as {header: cell value} in the file's column order (the file is read once)."""
    rows = list(sheet_of(response).iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def export_queries(client, url: str) -> int:
    """How many queries answering ``url`` takes, file written included."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        sheet_of(response)
    return len(queries)
