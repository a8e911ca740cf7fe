from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("lawdesk.site.urls")),
    path("accounts/", include("lawdesk.accounts.urls")),
    path("org/", include("lawdesk.orgs.urls")),
    path("institutions/", include("lawdesk.institutions.urls")),
    path("desk/complaints/", include("lawdesk.complaints.urls")),
    path("desk/mediation/", include("lawdesk.mediation.urls")),
    path("desk/legal-aid/", include("lawdesk.legalaid.urls")),
    path("desk/leader-window/", include("lawdesk.leaderwindow.urls")),
    path("desk/outreach/", include("lawdesk.outreach.urls")),
    path("desk/advisers/", include("lawdesk.advisers.urls")),
    path("desk/correction/", include("lawdesk.correction.urls")),
    path("desk/screening/", include("lawdesk.screening.urls")),
    path("desk/warnings/", include("lawdesk.screening.urls_warnings")),
    path("desk/appointments/", include("lawdesk.appointments.urls")),
    path("desk/duty/", include("lawdesk.duty.urls")),
    path("desk/stats/", include("lawdesk.stats.urls")),
    path("desk/quality/", include("lawdesk.quality.urls")),
    path("desk/assessment/", include("lawdesk.assessment.urls")),
    path("desk/", include("lawdesk.site.urls_desk")),
    path("laws/", include("lawdesk.laws.urls")),
    path("public/", include("lawdesk.public.urls")),
    path("online/", include("lawdesk.online.urls")),
    path("api/", include("lawdesk.api.urls")),
    path("admin/", admin.site.urls),
]
