from django.urls import URLPattern, path

from lawdesk.leaderwindow import views

app_name = "leaderwindow"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("board/", views.board, name="board"),
    path("board.xlsx", views.board_export, name="board_export"),
    path("district/<int:pk>/", views.district, name="district"),
    path("district/<int:pk>/draw/", views.draw, name="draw"),
    path("draw/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("draw/<int:pk>/check-out/", views.check_out, name="check_out"),
]
