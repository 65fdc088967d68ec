from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("procedure-kinds", views.ProcedureKindViewSet, basename="procedure-kind")
router.register("subjects", views.SubjectViewSet, basename="subject")
router.register("procedures", views.ProcedureViewSet, basename="procedure")
router.register("reference-scales", views.ReferenceScaleViewSet, basename="reference-scale")
