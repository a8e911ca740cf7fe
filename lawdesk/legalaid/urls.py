from django.urls import URLPattern, path

from lawdesk.legalaid import standards, views

app_name = "legalaid"

urlpatterns: list[URLPattern] = [
    path("standards/<int:node_id>/", standards.standards, name="standards"),
    path("<int:matter_id>/", views.application, name="application"),
    path("<int:matter_id>/review/", views.review, name="review"),
    path("<int:matter_id>/transfer/", views.transfer, name="transfer"),
    path("<int:matter_id>/decision/", views.decision, name="decision"),
    path("<int:matter_id>/application.pdf", views.application_pdf, name="application_pdf"),
    path("<int:matter_id>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
]
