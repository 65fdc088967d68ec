from django.urls import path

from . import views

app_name = "fieldwork"

urlpatterns = [
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/export.xlsx", views.expert_export, name="expert_export"),
    path("experts/import/", views.expert_import, name="expert_import"),
    path("experts/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/schools/", views.campaign_schools, name="campaign_schools"),
    path("campaigns/<int:pk>/pair/", views.campaign_pair, name="campaign_pair"),
    path("campaigns/<int:pk>/draw/", views.campaign_draw, name="campaign_draw"),
    path("campaigns/<int:pk>/assign/", views.campaign_assign, name="campaign_assign"),
    path("campaigns/<int:pk>/works/", views.campaign_works, name="campaign_works"),
    path("campaigns/<int:pk>/export.xlsx", views.campaign_export, name="campaign_export"),
    path("my/", views.my_works, name="my_works"),
    path("my/assignments/<int:pk>/", views.assignment_check, name="assignment_check"),
    path("my/campaigns/<int:pk>/template.xlsx", views.my_template, name="my_template"),
    path("my/campaigns/<int:pk>/upload/", views.my_upload, name="my_upload"),
    path("observers/", views.observer_list, name="observer_list"),
    path("observers/new/", views.observer_create, name="observer_create"),
    path("observers/<int:pk>/", views.observer_detail, name="observer_detail"),
    path("observers/<int:pk>/report/", views.observer_report, name="observer_report"),
    path("observers/photos/<int:pk>/", views.observer_photo, name="observer_photo"),
    path("controlled/", views.controlled_index, name="controlled_index"),
    path("controlled/<int:pk>/", views.controlled_detail, name="controlled_detail"),
    path("controlled/<int:pk>/set/", views.controlled_set, name="controlled_set"),
]
