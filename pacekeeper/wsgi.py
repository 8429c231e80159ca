"""WSGI entry point (gunicorn pacekeeper.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pacekeeper.settings")

application = get_wsgi_application()

# What is loaded by now lives as long as the process: the garbage collector's
# full collections, which pages building thousands of objects set off, need
# not walk through it each time.
gc.freeze()
