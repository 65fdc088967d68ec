from django.urls import path

from .views import results as views

app_name = "results"
urlpatterns = [
    path("upload/", views.ResultUploadView.as_view(), name="upload"),
    path("archive/", views.ArchiveUploadView.as_view(), name="archive_upload"),
    path("batches/", views.BatchListView.as_view(), name="batch_list"),
    path("batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch_detail"),
    path("batches/<int:pk>/quarantine.xlsx", views.quarantine_download_view, name="quarantine_download"),
    path("quarantine/", views.QuarantineListView.as_view(), name="quarantine_list"),
    path("versions/<str:procedure>/<str:school>/", views.VersionHistoryView.as_view(), name="version_history"),
]
