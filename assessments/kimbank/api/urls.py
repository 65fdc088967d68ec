from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("kim/variants", views.VariantViewSet, basename="kim-variant")
router.register("kim/downloads", views.DownloadLogViewSet, basename="kim-download")
