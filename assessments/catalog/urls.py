from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.ProcedureListView.as_view(), name="procedure_list"),
    path("kinds/", views.KindListView.as_view(), name="kind_list"),
    path("schedule/", views.ScheduleView.as_view(), name="schedule"),
    path("new/", views.ProcedureCreateView.as_view(), name="procedure_create"),
    path("<str:code>/", views.ProcedureDetailView.as_view(), name="procedure_detail"),
    path("<str:code>/edit/", views.ProcedureEditView.as_view(), name="procedure_edit"),
    path("<str:code>/status/", views.procedure_status_view, name="procedure_status"),
    path("<str:code>/schools/", views.ParticipantsView.as_view(), name="participants"),
    path("<str:code>/tasks/", views.TasksEditView.as_view(), name="tasks_edit"),
    path("<str:code>/codifier/", views.codifier_upload_view, name="codifier_upload"),
    path("<str:code>/scale/", views.ScaleEditView.as_view(), name="scale_edit"),
    path("<str:code>/scale/reference/", views.scale_reference_view, name="scale_reference"),
    path("<str:code>/template.xlsx", views.template_xlsx_view, name="template_xlsx"),
    path("<str:code>/template.csv", views.template_csv_view, name="template_csv"),
]
