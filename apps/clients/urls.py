from django.urls import path

from . import views

urlpatterns = [
    path("teams/<int:team_id>/families/new/", views.family_create, name="family-create"),
    path("families/<int:family_id>/edit/", views.family_edit, name="family-edit"),
    path("families/<int:family_id>/people/new/", views.person_create, name="person-create"),
    path("families/<int:family_id>/people/<int:person_id>/edit/", views.person_edit, name="person-edit"),
    path("families/<int:family_id>/relationships/new/", views.relationship_open, name="relationship-open"),
    path("families/<int:family_id>/relationships/<int:relationship_id>/phases/new/", views.phase_create, name="phase-create"),
    path("families/<int:family_id>/relationships/<int:relationship_id>/worker/", views.relationship_assign, name="relationship-assign"),
]
