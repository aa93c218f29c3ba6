from rest_framework.routers import SimpleRouter

from events.api import views

router = SimpleRouter()
router.register("events", views.EventViewSet)
router.register("sessions", views.SessionViewSet)
router.register("talks", views.TalkViewSet)
router.register("participations", views.ParticipationViewSet)
