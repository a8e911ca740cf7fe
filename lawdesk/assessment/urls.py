from django.urls import URLPattern, URLResolver, path

from lawdesk.assessment import views

app_name = "assessment"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("standards/", views.standards, name="standards"),
    path("standards/<int:pk>/", views.standard_detail, name="standard"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/collect/", views.round_collect, name="round_collect"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("rounds/<int:pk>/rewards/", views.round_rewards, name="round_rewards"),
    path("rules/", views.rules, name="rules"),
    path("notices/", views.notices, name="notices"),
    path("notices.xlsx", views.notices_xlsx, name="notices_xlsx"),
    path("notices.pdf", views.notices_pdf, name="notices_pdf"),
    path("rounds/<int:pk>/report/<int:district>.pdf", views.round_report, name="round_report"),
    path("rounds/<int:pk>/entries/<int:entry>/", views.entry_detail, name="entry"),
    path("scores/<int:pk>/", views.score_detail, name="score"),
    path("scores/<int:pk>/rectify/", views.rectification_new, name="rectification_new"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path("population/", views.population, name="population"),
    path("board/", views.board, name="board"),
]
