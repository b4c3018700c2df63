from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """角色 — a role is held on a unit and sees that unit's subtree only."""

    ADMIN = "admin", _("administrator")  # 系统管理员
    STREET_OFFICER = "street_officer", _("street officer")  # 街道干部
    SECRETARY = "secretary", _("community secretary")  # 社区书记
    COMMUNITY_WORKER = "community_worker", _("community worker")  # 社区工作者
    GRID_WORKER = "grid_worker", _("grid worker")  # 网格员
    DEPARTMENT_HANDLER = "department_handler", _("department handler")  # 职能部门经办人
    RESIDENT = "resident", _("resident")  # 居民
    VOLUNTEER = "volunteer", _("volunteer")  # 志愿者
    SOCIAL_ORGANIZATION = "social_organization", _("social organization")  # 社会组织
    MERCHANT = "merchant", _("merchant")  # 商户


# Roles that read the resident registry within their unit's subtree.
REGISTRY_ROLES = frozenset({Role.ADMIN, Role.STREET_OFFICER, Role.SECRETARY, Role.COMMUNITY_WORKER, Role.GRID_WORKER})
# Roles that may reveal an ID number or phone (with a reason, audited) within their scope.
REVEAL_ROLES = frozenset({Role.STREET_OFFICER, Role.SECRETARY, Role.COMMUNITY_WORKER, Role.GRID_WORKER})
# Roles that may change registry data (import, edit, archive) within their scope.
REGISTRY_WRITE_ROLES = frozenset({Role.ADMIN, Role.SECRETARY, Role.COMMUNITY_WORKER, Role.GRID_WORKER})
# Roles that read the audit log of their scope.
AUDIT_ROLES = frozenset({Role.ADMIN, Role.STREET_OFFICER, Role.SECRETARY})
STAFF_ROLES = frozenset(
    {Role.ADMIN, Role.STREET_OFFICER, Role.SECRETARY, Role.COMMUNITY_WORKER, Role.GRID_WORKER, Role.DEPARTMENT_HANDLER}
)

# Which place kinds a role may be held on.
ROLE_PLACE_KINDS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(),  # held globally, no place
    Role.STREET_OFFICER: frozenset({"district", "street"}),
    Role.SECRETARY: frozenset({"community"}),
    Role.COMMUNITY_WORKER: frozenset({"community"}),
    Role.GRID_WORKER: frozenset({"grid"}),
    Role.DEPARTMENT_HANDLER: frozenset({"district", "street"}),
    Role.RESIDENT: frozenset({"community"}),
    Role.VOLUNTEER: frozenset({"community"}),
    Role.SOCIAL_ORGANIZATION: frozenset({"community", "street"}),
    Role.MERCHANT: frozenset({"community"}),
}
