"""WSGI entry point (gunicorn pacekeeper.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pacekeeper.settings")

application = get_wsgi_application()
