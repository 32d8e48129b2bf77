"""What documents show on other pages, registered in ``apps.py``: a programme's and a partner's documents in the
workspace, and the partner's own on the portal's home and programme pages. Each panel is three queries however
many documents there are: the counts by type, the latest few, and nothing per row."""

from django.urls import reverse

from cooperation.roles import Perm
from programs.documents import selectors
from programs.documents.models import DocumentKind

SHOWN = 10


def _figures(documents, listed, *, link: str, upload: str | None):
    counts = selectors.kind_counts(documents)
    return {
        "total": sum(counts.values()),
        "kinds": [(label, counts.get(kind, 0)) for kind, label in DocumentKind.choices if counts.get(kind)],
        "documents": list(listed[:SHOWN]),
        "list_url": link,
        "upload_url": upload,
    }


def _workspace(request, field: str, record):
    user = request.user
    if not (user.has_perm(Perm.ACCESS_WORKSPACE) and user.has_perm(Perm.VIEW_DOCUMENT)):
        return None
    documents = selectors.visible_documents(user=user).filter(**{field: record})
    upload = f"{reverse('documents:upload')}?{field}={record.pk}" if user.has_perm(Perm.ADD_DOCUMENT) else None
    listed = selectors.listed(documents).order_by("-dated", "-pk")
    return _figures(documents, listed, link=f"{reverse('documents:list')}?{field}={record.pk}", upload=upload)


def programme_detail(request, programme):
    """The programme page's Documents panel; None for those who may not read documents."""
    return _workspace(request, "programme", programme)


def partner_detail(request, organisation):
    """The partner page's Documents panel; None for those who may not read documents."""
    return _workspace(request, "organisation", organisation)


def portal_home(request, record=None):
    """The documents the partner may see, of its organisations and programmes; None when there are none."""
    if not request.user.has_perm(Perm.VIEW_DOCUMENT):
        return None
    documents = selectors.visible_documents(user=request.user, portal=True)
    figures = _figures(documents, selectors.listed(documents), link=reverse("documents_portal:list"), upload=None)
    return figures if figures["total"] else None


def portal_programme(request, programme):
    """The programme's documents visible to the partner; None when there are none."""
    if not request.user.has_perm(Perm.VIEW_DOCUMENT):
        return None
    documents = selectors.visible_documents(user=request.user, portal=True).filter(programme=programme)
    figures = _figures(documents, selectors.listed(documents), link=reverse("documents_portal:list"), upload=None)
    return figures if figures["total"] else None
