from django.urls import URLPattern, path

from lawdesk.governance import views

app_name = "governance"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("export.xlsx", views.cases_export, name="cases_export"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("opinions/", views.opinions, name="opinions"),
    path("opinions/export.xlsx", views.opinions_export, name="opinions_export"),
    path("opinions/<int:pk>/", views.opinion, name="opinion"),
    path("safety/", views.safety, name="safety"),
    path("safety/export.xlsx", views.safety_export, name="safety_export"),
]
