from django.urls import path

from . import views

urlpatterns = [
    path("families/<int:family_id>/ratings/", views.family_ratings, name="family-ratings"),
    path("families/<int:family_id>/ratings/links/", views.link_create, name="rating-link-create"),
    path("families/<int:family_id>/ratings/links/<int:link_id>/", views.link_detail, name="rating-link"),
    path("families/<int:family_id>/ratings/paper/", views.paper_entry, name="rating-paper"),
    path("families/<int:family_id>/ratings/export/", views.export, name="ratings-export"),
    path("teams/<int:team_id>/ratings/", views.team_ratings, name="team-ratings"),
    path("r/<str:token>/", views.rate, name="rate"),
    path("fhir/Questionnaire/<str:questionnaire_id>", views.fhir_questionnaire, name="fhir-questionnaire"),
]
