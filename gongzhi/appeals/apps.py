from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "gongzhi.appeals"
    label = "appeals"
    verbose_name = "诉求办理"
    nav: list = []  # filled when the appeals pages exist: [(url name, label, roles)]
