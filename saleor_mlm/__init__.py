"""saleor-mlm: network marketing for Saleor, as a Saleor App."""

# Released versions and what changed: CHANGELOG.md. Between releases, the next one as `.devN`.
__version__ = "0.2.0.dev0"

# Celery's app is loaded with Django so that `shared_task` binds to it.
from .celery import app as celery_app

__all__ = ["celery_app", "__version__"]
