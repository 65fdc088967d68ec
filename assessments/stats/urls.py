from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.ProcedureListView.as_view(), name="procedure_list"),
    path("objectivity/", views.SignListView.as_view(), name="sign_list"),
    path("objectivity/<str:code>/", views.SchoolSignsView.as_view(), name="school_signs"),
    path("procedures/<str:code>/", views.ProcedureAnalyticsView.as_view(), name="procedure_analytics"),
    path("procedures/<str:code>/pupils/<slug:table>/", views.PupilTableView.as_view(), name="pupil_table"),
    path("shnor/", views.SchoolListView.as_view(kind="low"), name="shnor"),
    path("high-results/", views.SchoolListView.as_view(kind="high"), name="high_results"),
    path("criteria/", views.CriterionListView.as_view(), name="criteria"),
    path("criteria/<str:code>/", views.CriterionEditView.as_view(), name="criterion_edit"),
    path("federal-list/", views.FederalListView.as_view(), name="federal_list"),
]
