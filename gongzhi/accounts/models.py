import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Role


class User(AbstractUser):
    """用户 — a login. What it may see comes from its role assignments, never from is_staff."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    resident = models.OneToOneField(
        "registry.Resident", null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )

    def __str__(self) -> str:
        return self.display_name or self.username


class Department(models.Model):
    """职能部门 — a government department (with its office) that receives government matters."""

    name = models.CharField(_("name"), max_length=100)
    office = models.CharField(_("office"), max_length=100, blank=True)  # 科室
    place = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="departments")
    phone = models.CharField(_("office phone"), max_length=30, blank=True)  # public office line

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "name", "office"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.label_of(self.name, self.office)

    @staticmethod
    def label_of(name: str, office: str) -> str:
        """"Department·office" (科室), as lists show it; also for rows read with ``values()``."""
        return f"{name}·{office}" if office else name


class RoleAssignment(models.Model):
    """角色任职 — a user holds a role on a place (or, for department handlers, a department)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=24, choices=Role)
    place = models.ForeignKey(
        "registry.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="handlers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "place", "department"], name="role_assignment_unique"),
            models.CheckConstraint(
                condition=Q(role=Role.ADMIN, place__isnull=True) | (~Q(role=Role.ADMIN) & Q(place__isnull=False)),
                name="role_place_required_except_admin",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.DEPARTMENT_HANDLER) | Q(department__isnull=False),
                name="department_handler_has_department",
            ),
        ]

    def __str__(self) -> str:
        where = self.department or self.place or _("everywhere")
        return f"{self.get_role_display()} @ {where}"


class ApiToken(models.Model):
    """API 令牌 — bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return "gz_" + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
