from django.urls import URLPattern, URLResolver, path

from lawdesk.public import views

app_name = "public"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.directory, name="directory"),
    path("map.json", views.map_data, name="map_data"),
    path("p/<int:pk>/", views.platform, name="platform"),
    path("i/<int:pk>/", views.institution, name="institution"),
    path("guide/<slug:service>/", views.guide, name="guide"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/guides/", views.kiosk_guides, name="kiosk_guides"),
    path("kiosk/guides/<slug:service>/", views.kiosk_guide, name="kiosk_guide"),
    path("kiosk/laws/", views.kiosk_laws, name="kiosk_laws"),
    path("kiosk/points/", views.kiosk_points, name="kiosk_points"),
    path("kiosk/p/<int:pk>/", views.kiosk_platform, name="kiosk_platform"),
    path("signage/", views.signage_index, name="signage_index"),
    path("signage/<int:pk>/", views.signage_platform, name="signage"),
    path("signage/<int:pk>/<slug:sign>.svg", views.signage_svg, name="signage_svg"),
    path("signage/<int:pk>/signage.pdf", views.signage_platform_pdf, name="signage_pdf"),
    path("signage/batch/<int:pk>/", views.signage_batch, name="signage_batch"),
    path("signage/batch/<int:pk>/signage.pdf", views.signage_batch_pdf, name="signage_batch_pdf"),
]
