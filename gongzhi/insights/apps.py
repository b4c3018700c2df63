from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.enums import Role

from .enums import INSIGHT_ROLES, SURVEY_ROLES


class InsightsConfig(AppConfig):
    name = "gongzhi.insights"
    label = "insights"
    verbose_name = "数据看板"
    nav = [("insights:dashboard", _("Dashboard"), INSIGHT_ROLES), ("insights:stars", _("Star rating"), INSIGHT_ROLES),
           ("insights:surveys", _("Surveys"), INSIGHT_ROLES | SURVEY_ROLES),
           ("insights:evaluations", _("Two-way evaluation"),
            frozenset({Role.ADMIN, Role.STREET_OFFICER, Role.SECRETARY, Role.DEPARTMENT_HANDLER}))]
