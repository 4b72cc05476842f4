from django.urls import path

from . import views

urlpatterns = [
    path("deadlines/", views.my_deadlines, name="my-deadlines"),
    path("teams/<int:team_id>/deadlines/", views.team_deadlines, name="team-deadlines"),
    path("families/<int:family_id>/transfer/", views.family_transfer, name="family-transfer"),
    path("families/<int:family_id>/notifications/new/", views.notification_create, name="notification-create"),
    path("families/<int:family_id>/notifications/<int:notification_id>/", views.notification_detail, name="notification-detail"),
    path("families/<int:family_id>/notifications/<int:notification_id>/decision/", views.notification_decide, name="notification-decide"),
    path(
        "families/<int:family_id>/notifications/<int:notification_id>/notifier-informed/",
        views.notification_inform,
        name="notification-inform",
    ),
    path("families/<int:family_id>/assessments/<int:assessment_id>/complete/", views.assessment_complete, name="assessment-complete"),
    path("families/<int:family_id>/relationships/<int:relationship_id>/plans/new/", views.client_plan_create, name="client-plan-create"),
    path(
        "families/<int:family_id>/relationships/<int:relationship_id>/meetings/new/",
        views.personal_meeting_create,
        name="personal-meeting-create",
    ),
]
