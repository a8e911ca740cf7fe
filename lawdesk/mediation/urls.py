from django.urls import URLPattern, path

from lawdesk.mediation import views

app_name = "mediation"

urlpatterns: list[URLPattern] = [
    path("<int:pk>/", views.dispute_detail, name="detail"),
    path("<int:pk>/route/", views.dispute_route, name="route"),
    path("<int:pk>/result/", views.mediation_result, name="result"),
]
