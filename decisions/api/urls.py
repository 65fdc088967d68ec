from rest_framework.routers import SimpleRouter

from .views import DecisionViewSet

router = SimpleRouter()
router.register("decisions", DecisionViewSet, basename="decision")
