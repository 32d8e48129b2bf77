"""Files people upload that must never be public (applicants' documents, evidence of results): stored under
``PRIVATE_MEDIA_ROOT``, outside MEDIA_ROOT and static, with no URL; a view streams each one to those allowed to
see it."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """The private folder, read from the settings at each use (tests give each run a folder of its own)."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


def private_storage() -> FileSystemStorage:
    return PrivateStorage()
