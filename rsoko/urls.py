from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from rsoko.accounts import PasswordChangeView
from rsoko.api import router
from rsoko.health import healthz
from rsoko.orgs.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", login_not_required(auth_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("healthz", login_not_required(healthz), name="healthz"),
    path("registry/", include("rsoko.orgs.urls")),
    path("audit/", include("rsoko.audit.urls")),
    path("jobs/", include("rsoko.jobs.urls")),
    path("analytics/", include("assessments.stats.urls")),
    path("procedures/", include("assessments.catalog.urls")),
    path("roadmaps/", include("roadmaps.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("decisions/", include("decisions.urls")),
    path("contexts/", include("contexts.urls")),
    path("results/", include("assessments.urls_results")),
    path("fieldwork/", include("assessments.fieldwork.urls")),
    path("kim/", include("assessments.kimbank.urls")),
    path("public/", include("rsoko.public.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api_docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api_redoc"),
    path("admin/", admin.site.urls),
]

handler400 = "rsoko.errors.bad_request"
handler403 = "rsoko.errors.permission_denied"
handler404 = "rsoko.errors.not_found"
handler500 = "rsoko.errors.server_error"
