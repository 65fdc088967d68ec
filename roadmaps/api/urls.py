from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("roadmaps", views.RoadmapViewSet, basename="roadmap")
router.register("roadmap-items", views.ItemViewSet, basename="roadmap-item")
router.register("roadmap-assignments", views.AssignmentViewSet, basename="roadmap-assignment")
