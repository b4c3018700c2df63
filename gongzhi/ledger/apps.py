from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .enums import AWARD_ROLES, LEDGER_MANAGE_ROLES, LEDGER_READ_ROLES


class LedgerConfig(AppConfig):
    name = "gongzhi.ledger"
    label = "ledger"
    verbose_name = "积分·时间币·资金账本"
    nav = [
        ("ledger:home", _("Points"), AWARD_ROLES),
        ("ledger:rankings", _("Points rankings"), LEDGER_READ_ROLES),
        ("ledger:shop", _("Redemption shop"), LEDGER_MANAGE_ROLES),
        ("ledger:funds", _("Community funds"), LEDGER_READ_ROLES),
    ]
    portal_nav = [
        ("ledger_portal:home", _("Points"), "分"),
        ("ledger_portal:shop", _("Redemption shop"), "兑"),
    ]
