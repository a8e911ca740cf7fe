from django.urls import URLPattern, path

from lawdesk.coverage import views

app_name = "coverage"

urlpatterns: list[URLPattern] = [
    path("", views.board, name="board"),
    path("villages/", views.villages, name="villages"),
    path("villages/export.xlsx", views.export, name="export"),
    path("villages/import/", views.import_villages, name="import"),
    path("lightboxes/", views.lightboxes, name="lightboxes"),
    path("lightboxes/<int:pk>/", views.lightbox, name="lightbox"),
    path("lightboxes/<int:pk>/signage.pdf", views.lightbox_pdf, name="lightbox_pdf"),
]
