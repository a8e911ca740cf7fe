from django.urls import URLPattern, path

from lawdesk.bureau import views

app_name = "bureau"

urlpatterns: list[URLPattern] = [
    path("", views.board, name="board"),
    path("divisions/new/", views.division_new, name="division_new"),
    path("divisions/<int:pk>/", views.division, name="division"),
    path("divisions/<int:pk>/edit/", views.division_edit, name="division_edit"),
    path("divisions/<int:pk>/supervise/", views.supervise, name="supervise"),
    path("timetable/", views.timetable, name="timetable"),
    path("timetable.xlsx", views.timetable_xlsx, name="timetable_xlsx"),
    path("timetable/<int:pk>/plan/", views.plan, name="plan"),
    path("milestones/<int:pk>/", views.milestone, name="milestone"),
]
