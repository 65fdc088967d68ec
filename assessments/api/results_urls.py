from rest_framework.routers import SimpleRouter

from . import results_views

router = SimpleRouter()
router.register("results/uploads", results_views.ResultUploadViewSet, basename="result-upload")
