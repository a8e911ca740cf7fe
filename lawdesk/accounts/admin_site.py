"""The Django admin's site (``/admin/``), installed as Django's default site by
``lawdesk.accounts.admin_apps.LawdeskAdminConfig`` (in ``INSTALLED_APPS`` instead of ``django.contrib.admin``).

- Who enters: the system admin and the security admin (``security.admin_role``); an auditor never does, even
  with ``is_staff`` set. The security admin sees only what their ModelAdmins open to them (accounts, second
  factors, lockouts).
- Every ModelAdmin registered here, Django's and the packages' included, is given ``AuditedAdminMixin``: each
  add, change and delete made in the admin writes an audit row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lawdesk.core.admin_audit import AuditedAdminMixin


class LawdeskAdminSite(admin.AdminSite):
    site_header = "lawdesk 公共法律服务平台 · 系统配置"
    site_title = "lawdesk 系统配置"
    index_title = "配置"

    def has_permission(self, request: HttpRequest) -> bool:
        from lawdesk.accounts.security import admin_role

        return admin_role(request.user) is not None

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (AuditedAdminMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)
