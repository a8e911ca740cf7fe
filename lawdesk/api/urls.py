from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from lawdesk.api import views
from lawdesk.api.docs import ApiDocsView

app_name = "api"

router = SimpleRouter()
router.register("visits", views.VisitViewSet, basename="visit")
router.register("matters", views.MatterViewSet, basename="matter")
router.register("people", views.PersonViewSet, basename="person")
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("appointments/slots", views.SlotViewSet, basename="slot")
router.register("appointments", views.AppointmentViewSet, basename="appointment")
router.register("ledgers", views.LedgerViewSet, basename="ledger")
router.register("reports/monthly", views.MonthlyReportViewSet, basename="monthly-report")

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not-found"),
]
