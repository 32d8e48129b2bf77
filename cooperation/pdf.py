"""What an uploaded PDF is allowed to be: a real PDF document that only shows pages.

A file is read with pypdf (never rendered) and refused when it cannot be read as a PDF at all (an HTML page
that begins with ``%PDF-``), when it is encrypted (its content cannot be checked), when it has more pages or
objects than a document sent with an application needs, and when anywhere in it there is content that acts
on the reader's computer rather than being shown:

- JavaScript: ``/JS``, ``/JavaScript`` actions and name trees (also behind ``/OpenAction`` and ``/AA``);
- launch actions (``/Launch``) and actions that open other files (``/GoToR``, ``/GoToE``);
- embedded files (``/EmbeddedFiles``, ``/EmbeddedFile``) and file attachment annotations (``/FileAttachment``);
- forms that send or load data (``/SubmitForm``, ``/ImportData``) and XFA forms (``/XFA``);
- media that plays (``/RichMedia``, ``/Rendition``, ``/Movie``, ``/Sound``).

Every name in the file is looked at, referenced or not, with pypdf's own decoding of ``#xx`` escapes in names.
Decompression is capped (``DECOMPRESSED_BYTES_LIMIT`` per stream, through pypdf's configuration) and the walk
has an object budget and a time budget, so a decompression bomb or a file built to be slow is refused, not
waited for. Content streams are never decoded: only what a viewer would act upon is inspected.
"""

import re
import time
from dataclasses import dataclass

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

MAX_PAGES = 500
MAX_OBJECTS = 100_000
DECOMPRESSED_BYTES_LIMIT = 20_000_000
SECONDS_LIMIT = 5.0

ACTIVE_CONTENT = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/GoToR": "launch",
    "/GoToE": "launch",
    "/EmbeddedFiles": "embedded_file",
    "/EmbeddedFile": "embedded_file",
    "/FileAttachment": "embedded_file",
    "/SubmitForm": "form",
    "/ImportData": "form",
    "/XFA": "form",
    "/RichMedia": "media",
    "/Rendition": "media",
    "/Movie": "media",
    "/Sound": "media",
}


@dataclass(frozen=True)
class PdfProblem:
    """Why a file is refused: ``code`` is one of unreadable, encrypted, no_pages, too_many_pages, too_complex,
    or a kind of active content (javascript, launch, embedded_file, form, media)."""

    code: str


class _TooComplex(Exception):
    pass


class _Encrypted(Exception):
    pass


def _reader(stream) -> pypdf.PdfReader:
    reader = pypdf.PdfReader(stream, strict=False, root_object_recovery_limit=1_000)
    if reader.is_encrypted:
        raise _Encrypted
    return reader


def _every_object(reader: pypdf.PdfReader):
    """Every object of the file, from the trailer down and from the cross-reference table, each once."""
    stack: list = [reader.trailer]
    for generation, numbers in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in numbers)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        yield item
        if isinstance(item, DictionaryObject):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


# A name token of PDF syntax; ``#xx`` escapes are decoded before comparing (``/J#61vaScript``).
NAME_TOKEN = re.compile(rb"/[^\x00\t\n\f\r ()<>\[\]{}/%]+")
STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


def _names_in(syntax: bytes) -> str | None:
    """The kind of active content named anywhere in raw PDF syntax (outside stream bodies), or None."""
    for token in NAME_TOKEN.findall(syntax):
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda match: bytes([int(match.group(1), 16)]), token)
        kind = ACTIVE_CONTENT.get(name.decode("latin-1"))
        if kind:
            return kind
    return None


def _active_content(reader: pypdf.PdfReader, raw: bytes, deadline: float) -> str | None:
    # What a reconstructing viewer could still find: objects left out of the cross-reference table.
    kind = _names_in(STREAM_BODY.sub(b"stream endstream", raw))
    if kind:
        return kind
    for count, item in enumerate(_every_object(reader)):
        if count > MAX_OBJECTS or time.monotonic() > deadline:
            raise _TooComplex
        if isinstance(item, NameObject) and str(item) in ACTIVE_CONTENT:
            return ACTIVE_CONTENT[str(item)]
        if isinstance(item, StreamObject) and item.get("/Type") == "/ObjStm":
            # Objects packed in an object stream, whether the table lists them or not (decoding is capped).
            kind = _names_in(item.get_data())
            if kind:
                return kind
    return None


def inspect_pdf(stream) -> PdfProblem | None:
    """Why the PDF in ``stream`` (a binary file object, read from its start) is refused, or None to accept it."""
    deadline = time.monotonic() + SECONDS_LIMIT
    stream.seek(0)
    raw = stream.read()
    stream.seek(0)
    limits = {
        "zlib_maximum_output_length": DECOMPRESSED_BYTES_LIMIT,
        "lzw_maximum_output_length": DECOMPRESSED_BYTES_LIMIT,
        "run_length_maximum_output_length": DECOMPRESSED_BYTES_LIMIT,
        "array_based_stream_maximum_output_length": DECOMPRESSED_BYTES_LIMIT,
        "stream_decoding_work_maximum_length": 4 * DECOMPRESSED_BYTES_LIMIT,
        "page_tree_maximum_entries": 4 * MAX_PAGES,
        "page_tree_maximum_page_entries": 4 * MAX_PAGES,
    }
    try:
        with pypdf.apply_configuration(**limits):
            reader = _reader(stream)
            root = reader.trailer.get("/Root")
            root = root.get_object() if root is not None else None
            if not isinstance(root, DictionaryObject) or "/Pages" not in root:
                return PdfProblem("unreadable")
            pages = len(reader.pages)
            if pages == 0:
                return PdfProblem("no_pages")
            if pages > MAX_PAGES:
                return PdfProblem("too_many_pages")
            kind = _active_content(reader, raw, deadline)
    except _Encrypted:
        return PdfProblem("encrypted")
    except (_TooComplex, pypdf.errors.LimitReachedError, RecursionError, MemoryError):
        return PdfProblem("too_complex")
    except Exception:  # any failure to read a hostile file is a refusal, whatever pypdf raises
        return PdfProblem("unreadable")
    finally:
        stream.seek(0)
    return PdfProblem(kind) if kind else None
