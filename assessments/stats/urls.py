from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.ProcedureListView.as_view(), name="procedure_list"),
    path("objectivity/", views.SignListView.as_view(), name="sign_list"),
    path("objectivity/<str:code>/", views.SchoolSignsView.as_view(), name="school_signs"),
    path("procedures/<str:code>/", views.ProcedureAnalyticsView.as_view(), name="procedure_analytics"),
]
