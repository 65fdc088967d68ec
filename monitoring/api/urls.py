from rest_framework.routers import SimpleRouter

from .views import IndicatorValueViewSet, IndicatorViewSet, MonitoringFormViewSet

router = SimpleRouter()
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("indicator-values", IndicatorValueViewSet, basename="indicator-value")
router.register("monitoring-forms", MonitoringFormViewSet, basename="monitoring-form")
