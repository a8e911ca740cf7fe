from django.apps import AppConfig


class OnlineConfig(AppConfig):
    name = "lawdesk.online"
    verbose_name = "网上服务"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from lawdesk.matters.models import MatterEvent
        from lawdesk.online.rating import on_matter_event

        post_save.connect(on_matter_event, sender=MatterEvent, dispatch_uid="online.rating_link")
