from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("public/calendar", api.PublicCalendarViewSet, basename="public-calendar")
router.register("public/results", api.PublicResultsViewSet, basename="public-result")
router.register("public/objectivity", api.PublicObjectivityViewSet, basename="public-objectivity")
