from django.urls import URLPattern, path

from lawdesk.advisers import views

app_name = "advisers"

urlpatterns: list[URLPattern] = [
    path("", views.board, name="board"),
    path("contracts/", views.contracts, name="contracts"),
    path("mine/", views.mine, name="mine"),
    path("records/", views.records, name="records"),
    path("records/export.xlsx", views.records_export, name="export"),
    path("records/new/", views.record_new, name="record_new"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/resubmit/", views.record_resubmit, name="record_resubmit"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("groups/", views.groups, name="groups"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
]
