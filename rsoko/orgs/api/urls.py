from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("organizations", views.OrganizationViewSet, basename="organization")
