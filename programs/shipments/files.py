"""A receipt's photo streamed to whoever may see its shipment, on the officers' pages and on the partner portal."""

from django.http import FileResponse

from cooperation.files import private_download
from programs.shipments.models import ReceiptPhoto


def photo_response(photo: ReceiptPhoto) -> FileResponse:
    """The photo as a private download; a 404 when it is gone from the storage, as for a photo nobody may see."""
    return private_download(photo.file, filename=photo.original_name, content_type=photo.content_type)
