from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongzhi.portal"
    label = "portal"
    verbose_name = "信息公开"
