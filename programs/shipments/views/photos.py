"""The photos the consignee took on receipt, streamed to staff who see the shipment."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from programs.shipments import selectors
from programs.shipments.files import photo_response


@require_GET
@login_required
def receipt_photo(request, pk):
    """One photo of a receipt, to those who may see its shipment; 404 for anyone else, so nobody learns whether the
    photo exists."""
    return photo_response(selectors.receipt_photo_get(user=request.user, pk=pk))
