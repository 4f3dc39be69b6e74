import pytest


@pytest.fixture(autouse=True)
def _files_root(settings, tmp_path):
    """Attached PDFs go to a throw-away folder."""
    settings.RESOURCES_FILES_ROOT = tmp_path / "resources"
