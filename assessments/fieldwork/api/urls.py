from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("fieldwork/experts", views.ExpertViewSet, basename="fieldwork-expert")
router.register("fieldwork/campaigns", views.CampaignViewSet, basename="fieldwork-campaign")
router.register("fieldwork/assignments", views.AssignmentViewSet, basename="fieldwork-assignment")
router.register("fieldwork/observers", views.ObserverAssignmentViewSet, basename="fieldwork-observer")
