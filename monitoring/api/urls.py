from rest_framework.routers import SimpleRouter

from .views import IndicatorValueViewSet, IndicatorViewSet

router = SimpleRouter()
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("indicator-values", IndicatorValueViewSet, basename="indicator-value")
