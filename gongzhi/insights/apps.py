from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "gongzhi.insights"
    label = "insights"
    verbose_name = "数据看板"
    nav: list = []
