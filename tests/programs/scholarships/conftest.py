import pytest


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Applicants' files go to a folder of the test's own, never to var/."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
