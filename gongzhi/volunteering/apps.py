from django.apps import AppConfig


class VolunteeringConfig(AppConfig):
    name = "gongzhi.volunteering"
    label = "volunteering"
    verbose_name = "志愿服务与时间银行"
    nav: list = []
