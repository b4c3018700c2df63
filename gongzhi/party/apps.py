from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.enums import STAFF_ROLES


class PartyConfig(AppConfig):
    name = "gongzhi.party"
    label = "party"
    verbose_name = "党组织"
    nav = [("party:tree", _("Party organisation"), STAFF_ROLES)]
