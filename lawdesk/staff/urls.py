from django.urls import URLPattern, path

from lawdesk.staff import views

app_name = "staff"

urlpatterns: list[URLPattern] = [
    path("", views.staff_list, name="list"),
    path("new/", views.staff_new, name="new"),
    path("<int:pk>/", views.staff_detail, name="detail"),
    path("<int:pk>/roles/", views.role_grant, name="role_grant"),
    path("<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("training/", views.courses, name="courses"),
    path("training/<int:pk>/", views.course_detail, name="course"),
    path("training/board/", views.board, name="board"),
    path("training/board.xlsx", views.board_export, name="board_export"),
    path("training/requirement/", views.requirement, name="requirement"),
]
