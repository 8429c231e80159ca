"""WSGI entry point (gunicorn pacekeeper.wsgi)."""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pacekeeper.settings")

application = get_wsgi_application()

# Every view and what it imports (the PDF renderer takes most of a second)
# loaded now, as the process starts, not in a visitor's first request.
import_module(settings.ROOT_URLCONF)

# What is loaded by now lives as long as the process: the garbage collector's
# full collections, which pages building thousands of objects set off, need
# not walk through it each time.
gc.freeze()
