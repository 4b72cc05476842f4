from django.urls import path

from . import views

urlpatterns = [
    path("audit/", views.search, name="audit-search"),
    path("audit/people/<int:person_id>/", views.person_log, name="audit-person-log"),
    path("audit/people/<int:person_id>/export/", views.person_log_export, name="audit-person-log-export"),
    path("audit/checkpoints/", views.checkpoints_download, name="audit-checkpoints"),
    path("audit/checkpoints/public-key/", views.checkpoint_public_key, name="audit-checkpoint-key"),
]
