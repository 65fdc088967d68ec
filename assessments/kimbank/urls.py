from django.urls import path

from . import views

app_name = "kimbank"
urlpatterns = [
    path("", views.VariantListView.as_view(), name="variant_list"),
    path("new/", views.variant_edit_view, name="variant_create"),
    path("<int:pk>/", views.VariantDetailView.as_view(), name="variant_detail"),
    path("<int:pk>/edit/", views.variant_edit_view, name="variant_edit"),
    path("<int:pk>/tasks/", views.variant_tasks_view, name="variant_tasks"),
    path("<int:pk>/tasks/import/", views.codifier_import_view, name="codifier_import"),
    path("<int:pk>/files/", views.file_add_view, name="file_add"),
    path("<int:pk>/files/<int:file_pk>/", views.file_download_view, name="file_download"),
    path("<int:pk>/files/<int:file_pk>/delete/", views.file_delete_view, name="file_delete"),
    path("<int:pk>/status/<str:action>/", views.transition_view, name="transition"),
    path("<int:pk>/uses/new/", views.use_add_view, name="use_add"),
    path("uses/<int:use_pk>/create-tasks/", views.use_tasks_view, name="use_tasks"),
    path("school/", views.school_materials_view, name="school_materials"),
    path("school/<int:use_pk>/files/<int:file_pk>/", views.school_download_view, name="school_download"),
    path("downloads/", views.DownloadLogView.as_view(), name="download_log"),
]
