from django.urls import path

from . import views

urlpatterns = [
    path("training/", views.training_plan, name="training-plan"),
    path("training/new/", views.training_create, name="training-create"),
    path("training/<int:training_id>/", views.training_detail, name="training-detail"),
]
