from django.urls import path

from . import views

urlpatterns = [
    path("teams/<int:team_id>/fidelity/", views.team_fidelity, name="team-fidelity"),
    path("teams/<int:team_id>/fidelity/targets/", views.fidelity_targets, name="fidelity-targets"),
    path("teams/<int:team_id>/fidelity/quarters/", views.fidelity_trend, name="fidelity-trend"),
    path("teams/<int:team_id>/fidelity/records/<key>/", views.fidelity_records, name="fidelity-records"),
    path("evaluation/county/", views.county_report, name="county-report"),
    path("evaluation/units/<int:unit_id>/", views.unit_report, name="unit-report"),
    path("teams/<int:team_id>/report/", views.team_report, name="team-report"),
    path("evaluation/effectiveness/", views.effectiveness, name="effectiveness"),
    path("evaluation/placement-costs/", views.placement_costs, name="placement-costs"),
    path("evaluation/research/", views.research_export, name="research-export"),
    path("evaluation/research/<int:job_id>/download/", views.research_download, name="research-download"),
    path("pulse/", views.pulse_page, name="pulse"),
]
