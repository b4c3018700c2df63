from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "gongzhi.triage"
    label = "triage"
    verbose_name = "智能分拨"
    nav: list = []
