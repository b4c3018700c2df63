from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.enums import AUDIT_ROLES, REGISTRY_ROLES, STAFF_ROLES


class RegistryConfig(AppConfig):
    name = "gongzhi.registry"
    label = "registry"
    verbose_name = "区划与居民"
    nav = [
        ("console:home", _("Overview"), STAFF_ROLES),
        ("console:places", _("Places"), REGISTRY_ROLES),
        ("console:residents", _("Residents"), REGISTRY_ROLES),
        ("registry_io:index", _("Import and export"), REGISTRY_ROLES),
        ("console:work_list", _("Frontline work list"), STAFF_ROLES),
        ("console:audit", _("Audit log"), AUDIT_ROLES),
    ]
