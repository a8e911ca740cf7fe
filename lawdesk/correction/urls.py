from django.urls import URLPattern, path

from lawdesk.correction import views

app_name = "correction"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("new/", views.supervisee_new, name="supervisee_new"),
    path("<int:pk>/", views.supervisee, name="supervisee"),
    path("deadlines/", views.deadline_board, name="deadlines"),
    path("released/", views.released_list, name="released"),
    path("released/<int:pk>/", views.released_person, name="released_person"),
    path("ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("national.xlsx", views.national_export, name="national_export"),
]
