from django.urls import path

from . import views

urlpatterns = [
    path("teams/<int:team_id>/meetings/", views.team_meetings, name="team-meetings"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:meeting_id>/items/<int:item_id>/", views.item_record, name="meeting-item"),
    path("meetings/<int:meeting_id>/items/<int:item_id>/summary/", views.item_summary, name="meeting-summary"),
    path("families/<int:family_id>/discussions/", views.family_discussions, name="family-discussions"),
    path("steps/", views.my_steps, name="my-steps"),
    path("steps/<int:step_id>/status/", views.step_status, name="step-status"),
]
