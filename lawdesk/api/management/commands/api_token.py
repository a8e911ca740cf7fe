"""API clients from the command line: ``create`` prints the token once; ``list``; ``disable`` and ``enable``."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lawdesk.accounts.models import User
from lawdesk.api.models import ApiClient
from lawdesk.api.services import api_client_create, api_client_set_active


class Command(BaseCommand):
    help = "管理接口调用方的令牌：create 签发（令牌只显示一次）、list 列出、disable/enable 停用或启用。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="签发令牌")
        create.add_argument("--user", required=True, help="服务账号的用户名（须已在某节点分配角色）")
        create.add_argument("--name", required=True, help="调用方名称，如“12348热线”")
        create.add_argument("--expires", help="有效期至（年-月-日），默认长期有效")
        sub.add_parser("list", help="列出调用方")
        for name in ("disable", "enable"):
            each = sub.add_parser(name, help="停用" if name == "disable" else "启用")
            each.add_argument("prefix", help="令牌前缀（ld_ 开头的前11位）")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "list":
            for client in ApiClient.objects.select_related("user").order_by("name", "id"):
                state = "启用" if client.is_active and not client.is_expired else "停用/过期"
                self.stdout.write(f"{client.token_prefix}\t{client.name}\t{client.user.username}\t{state}")
        else:
            found = ApiClient.objects.filter(token_prefix=options["prefix"]).first()
            if found is None:
                raise CommandError(f"没有前缀为“{options['prefix']}”的调用方。")
            api_client_set_active(actor=None, client=found, active=action == "enable")
            self.stdout.write(f"已{'启用' if action == 'enable' else '停用'}：{found.name}")

    def _create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"没有用户名为“{options['user']}”的用户。")
        expires_at = None
        if options.get("expires"):
            try:
                day = datetime.date.fromisoformat(options["expires"])
            except ValueError as exc:
                raise CommandError(f"有效期“{options['expires']}”不是有效日期（应为年-月-日）。") from exc
            expires_at = datetime.datetime.combine(
                day, datetime.time.max, tzinfo=timezone.get_current_timezone()
            )
        try:
            client, token = api_client_create(
                actor=None, user=user, name=options["name"], expires_at=expires_at
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已签发：{client.name}（服务账号 {user.username}，前缀 {client.token_prefix}）")
        self.stdout.write("令牌只显示这一次，请妥善保存：")
        self.stdout.write(token)
