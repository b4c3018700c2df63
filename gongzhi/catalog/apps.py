from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.enums import Role

HALL_ROLES = frozenset({Role.ADMIN, Role.STREET_OFFICER, Role.SECRETARY, Role.COMMUNITY_WORKER, Role.GRID_WORKER})


class CatalogConfig(AppConfig):
    name = "gongzhi.catalog"
    label = "catalog"
    verbose_name = "便民服务"
    nav = [
        ("catalog:counter", _("Service counter"), HALL_ROLES),
        ("catalog:applications", _("Applications"), HALL_ROLES),
        ("catalog:care", _("Care for old and young"), HALL_ROLES),
    ]
    portal_nav = [("catalog_portal:home", _("Services"), "办")]
