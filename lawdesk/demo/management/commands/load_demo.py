import unicodedata
from typing import Any

from django.core.management.base import BaseCommand

from lawdesk.demo.loader import COUNT_LABELS, LoadReport, load_demo


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def logins_table(report: LoadReport) -> str:
    header = ("用户名", "密码", "姓名", "角色", "所在节点/机构")
    rows = [header] + [(x.username, x.password, x.full_name, x.role, x.place) for x in report.logins]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "载入西安市演示数据（真实区划名称、服务平台、后台机构、演示用户）。仅在演示模式（LAWDESK_DEMO=1）下可用。"

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo(stdout=self.stdout)
        self.stdout.write(f"数据来源：{report.source}")
        if report.created_anything:
            parts = [f"{label} {report.created[key]} {unit}" for key, (label, unit) in COUNT_LABELS.items()]
            self.stdout.write(self.style.SUCCESS("演示数据载入完成。本次新建：" + "，".join(parts) + "。"))
        else:
            self.stdout.write(self.style.SUCCESS("演示数据已经存在，本次没有做任何改动。"))
        self.stdout.write("")
        self.stdout.write("演示账号（仅在演示模式下可以登录）：")
        self.stdout.write(logins_table(report))
        from lawdesk.accounts.demo import DEMO_TOTP_SECRET_BASE32, demo_otp_usernames

        self.stdout.write(
            f"动态口令：{'、'.join(demo_otp_usernames())} 登录后还须输入 6 位动态验证码；演示模式下验证页直接显示"
            f"当前验证码。演示密钥（可添加到身份验证器）：{DEMO_TOTP_SECRET_BASE32}"
        )
