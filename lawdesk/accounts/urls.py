from django.urls import path

from lawdesk.accounts import views

app_name = "accounts"

urlpatterns = [
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("password/change/", views.password_change, name="password_change"),
]
