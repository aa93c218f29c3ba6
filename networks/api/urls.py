from rest_framework.routers import SimpleRouter

from networks.api import committee, views

router = SimpleRouter()
router.register("networks", views.NetworkViewSet)
router.register("memberships", views.MembershipViewSet)
router.register("programs", views.ProgramViewSet)
router.register("committee-sessions", committee.CommitteeSessionViewSet)
router.register("decisions", committee.DecisionViewSet)
router.register("votes", committee.VoteViewSet)
