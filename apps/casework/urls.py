from django.urls import path

from . import views

urlpatterns = [
    path("deadlines/", views.my_deadlines, name="my-deadlines"),
    path("teams/<int:team_id>/deadlines/", views.team_deadlines, name="team-deadlines"),
    path("families/<int:family_id>/notifications/new/", views.notification_create, name="notification-create"),
    path("families/<int:family_id>/notifications/<int:notification_id>/", views.notification_detail, name="notification-detail"),
    path("families/<int:family_id>/assessments/<int:assessment_id>/complete/", views.assessment_complete, name="assessment-complete"),
]
