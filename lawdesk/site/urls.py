from django.contrib.auth import views as auth_views
from django.urls import path

from lawdesk.matters import views_reveal as people_views
from lawdesk.site import views, views_audit

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Issue 9: the auditors' search of the audit log, and the audited full read of a phone or ID number.
    path("audit/", views_audit.audit_search, name="audit_search"),
    path("audit/export.jsonl", views_audit.audit_export, name="audit_export"),
    path("people/<int:pk>/reveal/<str:field>/", people_views.reveal, name="person_reveal"),
    path("matters/<int:pk>/reveal/<str:which>/", people_views.contact_reveal, name="contact_reveal"),
]
