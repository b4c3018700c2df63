from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.enums import STAFF_ROLES, Role

ORDER_ROLES = frozenset({Role.ADMIN, Role.STREET_OFFICER, Role.SECRETARY, Role.COMMUNITY_WORKER})
ENTRY_ROLES = ORDER_ROLES | {Role.GRID_WORKER}


class AppealsConfig(AppConfig):
    name = "gongzhi.appeals"
    label = "appeals"
    verbose_name = "诉求办理"
    nav = [
        ("appeals:triage", _("Triage inbox"), ORDER_ROLES),
        ("appeals:inbox", _("Cases to handle"), STAFF_ROLES),
        ("appeals:list", _("Appeals"), STAFF_ROLES),
        ("appeals:new", _("Record an appeal"), ENTRY_ROLES),
        ("appeals:overdue", _("Overdue board"), ENTRY_ROLES),
        ("appeals:lists", _("Responsibility lists"), ORDER_ROLES),
    ]
    portal_nav = [("appeals_portal:mine", _("My appeals"), "诉")]
