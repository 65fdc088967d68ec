from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("public/calendar", views.PublicCalendarViewSet, basename="public-calendar")
router.register("public/results", views.PublicResultsViewSet, basename="public-result")
router.register("public/objectivity", views.PublicObjectivityViewSet, basename="public-objectivity")
