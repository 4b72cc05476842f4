from django.urls import path

from . import views

urlpatterns = [
    path("families/<int:family_id>/plan/", views.shared_plan, name="shared-plan"),
    path("families/<int:family_id>/plan/versions/", views.shared_plan_versions, name="shared-plan-versions"),
    path("families/<int:family_id>/plan/family/", views.shared_plan_family, name="shared-plan-family"),
    path("families/<int:family_id>/consents/", views.consents, name="consents"),
    path("families/<int:family_id>/consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path("partner/", views.partner_home, name="partner-home"),
    path("partner/plans/<int:plan_id>/", views.partner_plan, name="partner-plan"),
    path("partner/steps/<int:shared_step_id>/done/", views.partner_step_done, name="partner-step-done"),
]
