from django.urls import path

from . import views

urlpatterns = [path("caseloads/", views.overview, name="caseload-overview")]
