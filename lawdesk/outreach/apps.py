from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "lawdesk.outreach"
    verbose_name = "脱贫攻坚与法治宣传"

    def ready(self) -> None:
        from lawdesk.outreach import extension

        extension.register()
