from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "matching.demo"
    label = "demo"
    verbose_name = "Demo data"
