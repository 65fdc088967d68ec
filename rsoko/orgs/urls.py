from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("kinds/", views.ActorKindsView.as_view(), name="kinds"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization_list"),
    path("organizations/new/", views.OrganizationEditView.as_view(), name="organization_create"),
    path("organizations/<str:code>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("organizations/<str:code>/edit/", views.OrganizationEditView.as_view(), name="organization_edit"),
    path("municipalities/", views.MunicipalityListView.as_view(), name="municipality_list"),
    path("municipalities/<str:code>/", views.MunicipalityDetailView.as_view(), name="municipality_detail"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/memberships/", views.membership_add_view, name="membership_add"),
    path("users/<int:pk>/token/", views.token_issue_view, name="token_issue"),
    path("users/<int:pk>/token/revoke/", views.token_revoke_view, name="token_revoke"),
    path("memberships/<int:pk>/remove/", views.membership_remove_view, name="membership_remove"),
    path("registry/upload/", views.RegistryUploadView.as_view(), name="registry_upload"),
]
