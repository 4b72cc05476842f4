from django.urls import path

from . import endpoints, meetings, partnership, ratings  # noqa: F401  (importing registers the operations on `api`)
from .api import api

urlpatterns = [path("api/v1/", api.urls)]
