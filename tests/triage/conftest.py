import pytest
from django.utils import translation

from gongzhi.triage import services

SMALL = 40  # training texts per category for the shipped model in tests (seconds, not the full corpus)


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("triage-models")


@pytest.fixture(autouse=True)
def _small_models(settings, models_dir):
    """Models go to a directory of the test session; the shipped model is trained once, on a small subset."""
    settings.TRIAGE_MODELS_DIR = str(models_dir)
    settings.TRIAGE_BUILTIN_LIMIT = SMALL
    services.forget_loaded()
    with translation.override("en"):
        yield
    services.forget_loaded()


@pytest.fixture
def builtin(db):
    """The shipped model (registered and active) and its loaded classifier."""
    row = services.ensure_builtin()
    return row, services.load(row)
