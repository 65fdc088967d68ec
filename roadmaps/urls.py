from django.urls import path

from . import views

app_name = "roadmaps"
urlpatterns = [
    path("", views.roadmap_list, name="roadmap_list"),
    path("import/", views.roadmap_import, name="roadmap_import"),
    path("import/confirm/", views.roadmap_import_confirm, name="roadmap_import_confirm"),
    path("my/", views.my_items, name="my_items"),
    path("aliases/", views.alias_list, name="alias_list"),
    path("aliases/<int:pk>/", views.alias_edit, name="alias_edit"),
    path("<int:pk>/", views.roadmap_detail, name="roadmap_detail"),
    path("<int:pk>/timeline/", views.roadmap_timeline, name="roadmap_timeline"),
    path("<int:pk>/export.xlsx", views.roadmap_export, name="roadmap_export"),
    path("<int:pk>/rematch/", views.roadmap_rematch, name="roadmap_rematch"),
    path("<int:pk>/publish/", views.roadmap_publish, name="roadmap_publish"),
    path("<int:pk>/copy/", views.roadmap_copy, name="roadmap_copy"),
    path("<int:pk>/rounds/new/", views.round_create, name="round_create"),
    path("items/<int:pk>/links/", views.item_links, name="item_links"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/submit/", views.round_submit, name="round_submit"),
]
