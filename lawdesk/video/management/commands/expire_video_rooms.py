"""``manage.py expire_video_rooms``: end the video consultations past their time, for cron
(``*/5 * * * * … manage.py expire_video_rooms``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lawdesk.video.services import expire_rooms


class Command(BaseCommand):
    help = "视频咨询：结束已超时的房间（同时在媒体服务器上销毁）。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = expire_rooms()
        self.stdout.write(f"已结束{count}个超时的视频咨询房间。")
