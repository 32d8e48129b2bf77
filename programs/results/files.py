"""An evidence file streamed to whoever may see its report, on the officers' pages and on the partner portal."""

from django.http import FileResponse

from cooperation.files import private_download
from programs.results.models import Evidence


def evidence_response(evidence: Evidence) -> FileResponse:
    """The file as a private download; a 404 when it is gone from the storage, as for a file nobody may see."""
    return private_download(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)
