from django.urls import path

from . import views

urlpatterns = [
    path("caseloads/", views.overview, name="caseload-overview"),
    path("caseloads/teams/<int:team_id>/", views.manager_team, name="caseload-manager-team"),
    path("teams/<int:team_id>/caseload/", views.team_caseload, name="team-caseload"),
]
