from rest_framework.routers import SimpleRouter

from directory.api import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet)
router.register("people", views.PersonViewSet)
router.register("positions", views.PositionViewSet)
router.register("sources", views.SourceViewSet)
