from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.ArchiveListView.as_view(), name="archive_list"),
    path("quarterly/new/", views.QuarterlyRenderView.as_view(), name="quarterly_render"),
    path("procedures/<str:code>/render/", views.ProcedureRenderView.as_view(), name="procedure_render"),
    path("procedures/<str:code>/recommendations/", views.RecommendationEditView.as_view(), name="recommendation_edit"),
    path("campaigns/<int:pk>/render/", views.CampaignRenderView.as_view(), name="campaign_render"),
    path("archive/<int:pk>/download/", views.ArchiveDownloadView.as_view(), name="archive_download"),
]
