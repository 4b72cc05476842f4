from django.urls import path

from . import views

urlpatterns = [
    path("families/<int:family_id>/plan/", views.shared_plan, name="shared-plan"),
    path("families/<int:family_id>/plan/versions/", views.shared_plan_versions, name="shared-plan-versions"),
    path("families/<int:family_id>/plan/family/", views.shared_plan_family, name="shared-plan-family"),
    path("families/<int:family_id>/consents/", views.consents, name="consents"),
    path("families/<int:family_id>/consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path("families/<int:family_id>/joint-assessments/", views.joint_assessments, name="joint-assessments"),
    path("families/<int:family_id>/joint-assessments/<int:joint_id>/", views.joint_assessment, name="joint-assessment"),
    path(
        "families/<int:family_id>/joint-assessments/<int:joint_id>/links/<int:joint_link_id>/",
        views.joint_link,
        name="joint-link",
    ),
    path("y/<str:joint_token>/", views.joint_assess, name="joint-assess"),
    path("families/<int:family_id>/handovers/", views.handovers, name="handovers"),
    path("families/<int:family_id>/handovers/<int:handover_id>/", views.handover, name="handover"),
    path("families/<int:family_id>/notifier-feedback/", views.notifier_feedback, name="notifier-feedback"),
    path("teams/<int:team_id>/peer-groups/", views.peer_groups, name="peer-groups"),
    path("teams/<int:team_id>/peer-groups/<int:peer_group_id>/", views.peer_group, name="peer-group"),
    path("teams/<int:team_id>/peer-groups/<int:peer_group_id>/invite/", views.peer_group_invite, name="peer-group-invite"),
    path(
        "teams/<int:team_id>/peer-groups/<int:peer_group_id>/members/<int:peer_member_id>/resend/",
        views.peer_group_resend,
        name="peer-group-resend",
    ),
    path(
        "teams/<int:team_id>/peer-groups/<int:peer_group_id>/members/<int:peer_member_id>/made/",
        views.peer_group_invite_made,
        name="peer-group-invite-made",
    ),
    path("teams/<int:team_id>/peer-groups/<int:peer_group_id>/meetings/", views.peer_group_meeting, name="peer-group-meeting"),
    path("teams/<int:team_id>/peer-groups/<int:peer_group_id>/plan/", views.peer_group_plan, name="peer-group-plan"),
    path(
        "teams/<int:team_id>/peer-groups/<int:peer_group_id>/contributions/",
        views.peer_group_contribution,
        name="peer-group-contribution",
    ),
    path("partner/", views.partner_home, name="partner-home"),
    path("partner/handovers/<int:handover_id>/", views.partner_handover, name="partner-handover"),
    path("partner/plans/<int:plan_id>/", views.partner_plan, name="partner-plan"),
    path("partner/families/<int:family_id>/ecomap/", views.partner_ecomap, name="partner-ecomap"),
    path("partner/steps/<int:shared_step_id>/done/", views.partner_step_done, name="partner-step-done"),
]
