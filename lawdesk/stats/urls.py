from django.urls import URLPattern, URLResolver, path

from lawdesk.stats import views

app_name = "stats"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/<str:month>/", views.report, name="report"),
    path("<int:pk>/<str:month>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:pk>/<str:month>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/<str:month>/submit/", views.submit, name="submit"),
    path("<int:pk>/<str:month>/review/", views.review, name="review"),
    path("<int:pk>/<str:month>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/<str:month>/drill/<str:indicator>/", views.drill, name="drill"),
]
