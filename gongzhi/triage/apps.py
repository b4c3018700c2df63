from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.enums import Role

REPORT_ROLES = frozenset({Role.ADMIN, Role.STREET_OFFICER, Role.SECRETARY, Role.COMMUNITY_WORKER, Role.GRID_WORKER})


class TriageConfig(AppConfig):
    name = "gongzhi.triage"
    label = "triage"
    verbose_name = "智能分拨"
    nav = [
        ("triage:top_problems", _("Top problems"), REPORT_ROLES),
        ("triage:models", _("Triage models"), frozenset({Role.ADMIN})),
    ]
