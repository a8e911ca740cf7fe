"""The six ledgers (五台帐一登记): /desk/ledgers/ and /desk/ledgers/<code>/ with .xlsx and .pdf variants, all
taking ?node=&from=&to=."""

from django.urls import URLPattern, path

from lawdesk.ledgers import views

urlpatterns: list[URLPattern] = [
    path("ledgers/", views.ledger_index, name="ledgers"),
    path("ledgers/<int:code>/", views.ledger_detail, name="ledger"),
    path("ledgers/<int:code>.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("ledgers/<int:code>.pdf", views.ledger_pdf, name="ledger_pdf"),
]
