from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .enums import MANAGE_ROLES, VIEW_ROLES


class DeliberationConfig(AppConfig):
    name = "gongzhi.deliberation"
    label = "deliberation"
    verbose_name = "议事协商"
    nav = [
        ("deliberation:proposals", _("Proposals"), VIEW_ROLES),
        ("deliberation:meetings", _("Meetings"), VIEW_ROLES),
        ("deliberation:ballots", _("Votes"), VIEW_ROLES),
        ("deliberation:publicities", _("Publicity"), VIEW_ROLES),
        ("deliberation:projects", _("Projects"), VIEW_ROLES),
        ("deliberation:charters", _("Residents' pacts"), MANAGE_ROLES | {"street_officer"}),
    ]
    portal_nav = [("deliberation_portal:home", _("Deliberation"), "🗳️")]
