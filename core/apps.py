from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Repères"

    def ready(self) -> None:
        # Who may read the activity report (core/usage/).
        from .usage import rules  # noqa: F401
