from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("statistics", views.StatisticRowViewSet, basename="statistic")
router.register("objectivity-signs", views.ObjectivitySignViewSet, basename="objectivity-sign")
router.register("objectivity-index", views.ObjectivityIndexViewSet, basename="objectivity-index")
