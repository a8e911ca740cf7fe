from django.apps import AppConfig


class VideoConfig(AppConfig):
    name = "lawdesk.video"
    verbose_name = "远程视频咨询"

    def ready(self) -> None:
        from lawdesk.video import extension

        extension.register()
