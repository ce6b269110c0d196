from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "帮助中心"

    def ready(self):
        from . import signals

        signals.connect()
