from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("statistics", views.StatisticRowViewSet, basename="statistic")
router.register("objectivity-signs", views.ObjectivitySignViewSet, basename="objectivity-sign")
router.register("objectivity-index", views.ObjectivityIndexViewSet, basename="objectivity-index")
router.register("school-lists", views.SchoolListEntryViewSet, basename="school-list")
router.register("risk-pupils", views.RiskPupilViewSet, basename="risk-pupil")
router.register("deficits", views.DeficitViewSet, basename="deficit")
router.register("federal-marks", views.FederalMarkViewSet, basename="federal-mark")
