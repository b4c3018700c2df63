from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .enums import VOLUNTEERING_READ_ROLES, VOLUNTEERING_STAFF_ROLES


class VolunteeringConfig(AppConfig):
    name = "gongzhi.volunteering"
    label = "volunteering"
    verbose_name = "志愿服务与时间银行"
    nav = [
        ("volunteering:home", _("Volunteering and time bank"), VOLUNTEERING_STAFF_ROLES),
        ("volunteering:wishes", _("Micro-wishes"), VOLUNTEERING_READ_ROLES),
    ]
    portal_nav = [
        ("volunteering_portal:home", _("Volunteering"), "志"),
        ("volunteering_portal:wishes", _("Micro-wishes"), "愿"),
    ]
