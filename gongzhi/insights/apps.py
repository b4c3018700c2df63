from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .enums import INSIGHT_ROLES


class InsightsConfig(AppConfig):
    name = "gongzhi.insights"
    label = "insights"
    verbose_name = "数据看板"
    nav = [("insights:dashboard", _("Dashboard"), INSIGHT_ROLES), ("insights:stars", _("Star rating"), INSIGHT_ROLES)]
