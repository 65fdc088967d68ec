from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="decision_list"),
    path("new/", views.decision_create, name="decision_create"),
    path("<int:pk>/", views.decision_detail, name="decision_detail"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
]
