from django.urls import URLPattern, URLResolver, path

from lawdesk.quality import views

app_name = "quality"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("ranking/", views.ranking, name="ranking"),
    path("export.xlsx", views.export, name="export"),
    path("drill/<str:kind>/<int:pk>/<str:figure>/", views.drill, name="drill"),
    path("rate/<int:matter_id>/", views.tablet, name="tablet"),
    path("kiosk/<int:node_id>/", views.kiosk, name="kiosk"),
    path("receipt/<int:visit_id>/", views.receipt, name="receipt"),
    path("complaints/", views.findings, name="findings"),
    path("complaints/<int:matter_id>/finding/", views.finding_record, name="finding"),
]
