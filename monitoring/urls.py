from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refresh/", views.refresh_values, name="refresh"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<slug:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path("russia/", views.russia_figures, name="russia_figures"),
    path("russia/values/<int:pk>/delete/", views.russia_value_delete, name="russia_value_delete"),
    path("russia/marks/<int:pk>/delete/", views.russia_marks_delete, name="russia_marks_delete"),
    path("map/", views.municipality_map, name="map"),
    path("map/upload/", views.map_upload, name="map_upload"),
    path("forms/", views.form_list, name="form_list"),
    path("forms/new/", views.form_create, name="form_create"),
    path("forms/<int:pk>/", views.form_detail, name="form_detail"),
]
