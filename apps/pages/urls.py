from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("teams/<int:team_id>/", views.team_detail, name="team-detail"),
    path("families/<int:family_id>/", views.family_detail, name="family-detail"),
    path("audit/", views.audit_search, name="audit-search"),
    path("audit/people/<int:person_id>/", views.audit_person_log, name="audit-person-log"),
    path("audit/people/<int:person_id>/export/", views.audit_person_log_export, name="audit-person-log-export"),
    path("audit/checkpoints/", views.audit_checkpoints, name="audit-checkpoints"),
    path("audit/checkpoints/public-key/", views.audit_checkpoint_key, name="audit-checkpoint-key"),
]
