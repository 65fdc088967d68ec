"""The root API router at /api/v1/: each app contributes its router."""
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import APIRootView, DefaultRouter

from assessments.api.results_urls import router as results_router
from assessments.catalog.api.urls import router as catalog_router
from assessments.fieldwork.api.urls import router as fieldwork_router
from assessments.kimbank.api.urls import router as kimbank_router
from assessments.stats.api.urls import router as stats_router
from contexts.api import router as contexts_router
from decisions.api.urls import router as decisions_router
from monitoring.api.urls import router as monitoring_router
from roadmaps.api.urls import router as roadmaps_router
from rsoko.jobs.api.urls import router as jobs_router
from rsoko.orgs.api.urls import router as orgs_router
from reports.api.urls import router as reports_router
from rsoko.public.api.urls import router as public_router


class RootView(APIRootView):
    """The list of API endpoints; each endpoint checks its own capability."""

    permission_classes = [IsAuthenticated]


class RootRouter(DefaultRouter):
    APIRootView = RootView
    # No «/statistics/5.json» twins of every route: undocumented, and an unknown suffix answered 404 before
    # the caller was checked. JSON is the only format anyway.
    include_format_suffixes = False

    def extend(self, other) -> None:
        self.registry.extend(other.registry)


router = RootRouter()
for app_router in (orgs_router, jobs_router, catalog_router, results_router, stats_router, roadmaps_router,
                   fieldwork_router, kimbank_router, public_router, monitoring_router, reports_router,
                   decisions_router, contexts_router):
    router.extend(app_router)

