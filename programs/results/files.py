"""An evidence file streamed to whoever may see its report, on the officers' pages and on the partner portal."""

from django.http import FileResponse, Http404

from programs.results.models import Evidence


def evidence_response(evidence: Evidence) -> FileResponse:
    """The file as a private download; a 404 when it is gone from the storage, as for a file nobody may see."""
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
