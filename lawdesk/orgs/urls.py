from django.urls import path

from lawdesk.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("export.xlsx", views.tree_export, name="export"),
    path("import/", views.tree_import, name="import"),
    path("<int:pk>/", views.node_detail, name="node"),
    path("<int:pk>/children/", views.node_children, name="children"),
    path("<int:pk>/edit/", views.node_edit, name="edit"),
    path("<int:pk>/add/", views.node_add, name="add"),
    path("<int:pk>/facilities/", views.node_facilities, name="facilities"),
]
