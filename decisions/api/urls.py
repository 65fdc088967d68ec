from rest_framework.routers import SimpleRouter

from .views import CaseViewSet, DecisionViewSet

router = SimpleRouter()
router.register("decisions", DecisionViewSet, basename="decision")
router.register("cases", CaseViewSet, basename="case")
