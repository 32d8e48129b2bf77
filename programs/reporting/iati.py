"""IATI publication pages: which programmes are ready to publish and what to fix in the others, and the
activities and organisation files to download, for those who may export the organisation's data."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cooperation.access import require_perm
from cooperation.roles import Perm
from programs import iati
from programs.selectors import programme_list


def _marked(user):
    return list(programme_list(user=user).filter(publish_to_iati=True).order_by("code"))


@require_GET
@login_required
def iati_overview(request):
    require_perm(request.user, Perm.EXPORT_DATA)
    return _overview(request)


def _overview(request, *, errors=()):
    programmes = _marked(request.user)
    problems = iati.readiness(programmes)
    rows = [{"programme": programme, "problems": problems[programme.pk]} for programme in programmes]
    context = {
        "rows": rows,
        "ready_count": sum(1 for row in rows if not row["problems"]),
        "organisation_identifier": iati.organisation_identifier(),
        "errors": errors,
    }
    return render(request, "reporting/iati.html", context)


def _attachment(xml: bytes, name: str) -> HttpResponse:
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.xml"
    return HttpResponse(
        xml,
        content_type="application/xml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _refused(request, errors):
    """The overview again, saying at its top why no file was given."""
    return _overview(request, errors=errors)


@require_GET
@login_required
def iati_activities(request):
    require_perm(request.user, Perm.EXPORT_DATA)
    publication = iati.activities_publication(_marked(request.user))
    if not publication.published:
        return _refused(request, [_("No programme marked for publication is ready yet.")])
    errors = iati.file_errors(publication.xml)
    if errors:
        return _refused(request, [_("The file would not be valid IATI:"), *errors])
    return _attachment(publication.xml, "iati-activities")


@require_GET
@login_required
def iati_organisation(request):
    require_perm(request.user, Perm.EXPORT_DATA)
    publication = iati.organisation_publication(_marked(request.user))
    if publication.problems:
        return _refused(request, publication.problems)
    errors = iati.file_errors(publication.xml, "organisations")
    if errors:
        return _refused(request, [_("The file would not be valid IATI:"), *errors])
    return _attachment(publication.xml, "iati-organisation")
