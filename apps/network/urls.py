from django.urls import path

from . import views

# Removals and the editor's actions come after what they act on: the access walk posts in this order.
urlpatterns = [
    path("families/<int:family_id>/genogram/", views.genogram_detail, name="family-genogram"),
    path("families/<int:family_id>/genogram.svg", views.genogram_svg, name="family-genogram-svg"),
    path("families/<int:family_id>/genogram/edit/", views.genogram_edit, name="genogram-edit"),
    path("families/<int:family_id>/genogram/draft/", views.genogram_draft, name="genogram-draft"),
    path("families/<int:family_id>/genogram/people/", views.person_add, name="genogram-person-add"),
    path("families/<int:family_id>/genogram/people/<int:genogram_person_id>/", views.person_update, name="genogram-person-update"),
    path("families/<int:family_id>/genogram/partnerships/", views.partnership_add, name="genogram-partnership-add"),
    path("families/<int:family_id>/genogram/children/", views.child_add, name="genogram-child-add"),
    path("families/<int:family_id>/genogram/households/", views.household_add, name="genogram-household-add"),
    path("families/<int:family_id>/genogram/relationships/", views.relationship_add, name="genogram-relationship-add"),
    path("families/<int:family_id>/genogram/remove/", views.genogram_remove, name="genogram-remove"),
    path("families/<int:family_id>/ecomaps/", views.ecomap_list, name="family-ecomaps"),
    path("families/<int:family_id>/ecomaps/new/", views.ecomap_create, name="ecomap-create"),
    path("families/<int:family_id>/ecomaps/compare/", views.ecomap_compare, name="ecomap-compare"),
    path("families/<int:family_id>/ecomaps/<int:ecomap_id>/", views.ecomap_detail, name="ecomap-detail"),
    path("families/<int:family_id>/ecomaps/<int:ecomap_id>.svg", views.ecomap_svg, name="ecomap-svg"),
    path("families/<int:family_id>/ecomaps/<int:ecomap_id>/ties/", views.tie_add, name="ecomap-tie-add"),
    path("families/<int:family_id>/ecomaps/<int:ecomap_id>/ties/remove/", views.tie_remove, name="ecomap-tie-remove"),
]
