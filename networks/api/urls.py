from rest_framework.routers import SimpleRouter

from networks.api import views

router = SimpleRouter()
router.register("networks", views.NetworkViewSet)
router.register("memberships", views.MembershipViewSet)
router.register("programs", views.ProgramViewSet)
