"""Django's admin with lawdesk's site (``lawdesk.accounts.admin_site``): in ``INSTALLED_APPS`` in place of
``django.contrib.admin``. Its own module: an app's ``apps.py`` may declare one default AppConfig only."""

from django.contrib.admin.apps import AdminConfig


class LawdeskAdminConfig(AdminConfig):
    """Who may enter the admin, and an audit row for every change made in it (三员分立)."""

    default_site = "lawdesk.accounts.admin_site.LawdeskAdminSite"
