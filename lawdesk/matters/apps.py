from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "lawdesk.matters"
    verbose_name = "来访与事项"

    def ready(self) -> None:
        from lawdesk.matters.models import MatterKind
        from lawdesk.workcal.models import register_kinds

        register_kinds(MatterKind.choices)
        from lawdesk.matters import loop, retention

        retention.register()
        loop.register()
