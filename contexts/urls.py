from django.urls import path

from . import views

app_name = "contexts"
urlpatterns = [
    path("", views.context_list, name="context_list"),
    path("rule/", views.rule_edit, name="rule_edit"),
    path("<str:code>/", views.context_detail, name="context_detail"),
]
