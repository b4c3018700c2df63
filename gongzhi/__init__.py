"""共治 Gongzhi — co-governance of Chinese urban communities."""

__version__ = "0.1.0"

# Load the Celery app with Django so @shared_task uses it (and its broker settings) everywhere.
from .celery import app as celery_app  # noqa: E402

__all__ = ["__version__", "celery_app"]
