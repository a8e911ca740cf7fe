"""The front and back desk (/desk/, namespace ``desk``): the matters' pages and the ledgers. Each feature keeps its
own URL list."""

from lawdesk.ledgers import urls as urls_ledgers
from lawdesk.matters import urls_intake, urls_matter, urls_overdue

app_name = "desk"
urlpatterns = [
    *urls_intake.urlpatterns,
    *urls_matter.urlpatterns,
    *urls_ledgers.urlpatterns,
    *urls_overdue.urlpatterns,
]
