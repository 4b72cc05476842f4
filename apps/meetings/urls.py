from django.urls import path

from . import views

ITEM = "meetings/<int:meeting_id>/items/<int:item_id>/"

urlpatterns = [
    path("teams/<int:team_id>/meetings/", views.team_meetings, name="team-meetings"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:meeting_id>/agenda/", views.agenda_add, name="meeting-agenda-add"),
    path("meetings/<int:meeting_id>/agenda/<int:item_id>/move/", views.agenda_move, name="meeting-agenda-move"),
    path("meetings/<int:meeting_id>/agenda/<int:item_id>/remove/", views.agenda_remove, name="meeting-agenda-remove"),
    path("meetings/<int:meeting_id>/schedule/", views.agenda_schedule, name="meeting-schedule"),
    path("meetings/<int:meeting_id>/attendance/", views.attendance, name="meeting-attendance"),
    path("meetings/<int:meeting_id>/approve/", views.approve, name="meeting-approve"),
    path(ITEM, views.item_record, name="meeting-item"),
    path(ITEM + "record/", views.record_save, name="meeting-item-record"),
    path(ITEM + "details/", views.item_details, name="meeting-item-details"),
    path(ITEM + "hypotheses/", views.hypothesis_add, name="meeting-item-hypothesis-add"),
    path(ITEM + "hypotheses/<int:hypothesis_id>/status/", views.hypothesis_status, name="meeting-item-hypothesis-status"),
    path(ITEM + "steps/", views.step_add, name="meeting-item-step-add"),
    path(ITEM + "timer/", views.item_timer, name="meeting-item-timer"),
    path(ITEM + "share/", views.summary_share, name="meeting-item-share"),
    path(ITEM + "summary/", views.item_summary, name="meeting-summary"),
    path("families/<int:family_id>/discussions/", views.family_discussions, name="family-discussions"),
    path("steps/", views.my_steps, name="my-steps"),
    path("steps/<int:step_id>/status/", views.step_status, name="step-status"),
]
