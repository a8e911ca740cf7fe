"""The front and back desk (/desk/). Each feature keeps its own URL list."""

from lawdesk.matters import urls_intake, urls_ledgers, urls_matter, urls_overdue

app_name = "desk"
urlpatterns = [
    *urls_intake.urlpatterns,
    *urls_matter.urlpatterns,
    *urls_ledgers.urlpatterns,
    *urls_overdue.urlpatterns,
]
