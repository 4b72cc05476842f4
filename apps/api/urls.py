from django.urls import path

from . import caseload, casework, endpoints, evaluation, meetings, network, partnership, ratings  # noqa: F401  (importing registers the operations on `api`)
from .api import api

urlpatterns = [path("api/v1/", api.urls)]
