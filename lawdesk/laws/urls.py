from django.urls import URLPattern, URLResolver, path

from lawdesk.laws import views

app_name = "laws"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("<int:law_id>/", views.law_detail, name="law"),
]
