from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.core import paths

from .enums import Function, MemberKind, MemberStatus, OrganizationKind


class PartyOrganizationQuerySet(models.QuerySet):
    def subtree(self, path: str, *, include_self: bool = True):
        return self.filter(paths.subtree_q("path", path, include_self=include_self))


class PartyOrganization(models.Model):
    """党组织 — one node of 街镇党工委 → 社区党委 → 网格党总支 → 小区党支部 → 楼栋党小组 (→ 党员中心户)."""

    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=64, unique=True, editable=False)
    place = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="party_organizations")
    # The place path the organisation answers for; scope for visibility.
    place_path = models.CharField(max_length=64, db_index=True, editable=False)
    function = models.CharField(_("function"), max_length=20, choices=Function, blank=True)
    is_non_public = models.BooleanField(_("non-public enterprise"), default=False)  # 非公企业党组织
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # 党员中心户 only
    secretary = models.ForeignKey("PartyMember", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    sort = models.PositiveIntegerField(default=0)

    objects = PartyOrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=Q(kind=OrganizationKind.FUNCTION_BRANCH) | Q(function=""),
                                   name="only_function_branch_has_function"),
            models.CheckConstraint(condition=~Q(kind=OrganizationKind.FUNCTION_BRANCH) | ~Q(function=""),
                                   name="function_branch_has_function"),
        ]

    def __str__(self) -> str:
        return self.name


class PartyMember(models.Model):
    """党员 — a member of a party organisation, linked to the resident record where they live here."""

    organization = models.ForeignKey(PartyOrganization, on_delete=models.PROTECT, related_name="members")
    org_path = models.CharField(max_length=64, db_index=True, editable=False)
    place_path = models.CharField(max_length=64, db_index=True, editable=False)
    resident = models.OneToOneField("registry.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="party_membership")
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=MemberKind, default=MemberKind.COMMUNITY)
    status = models.CharField(_("status"), max_length=14, choices=MemberStatus, default=MemberStatus.FULL)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    functions = models.CharField(_("committees chosen"), max_length=120, blank=True)  # comma-separated Function

    class Meta:
        ordering = ["org_path", "name"]

    def __str__(self) -> str:
        return self.name


class InServiceRegistration(models.Model):
    """在职党员报到 — a party member organised at their workplace registers with the community they live in."""

    name = models.CharField(_("name"), max_length=50)
    resident = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="in_service_registrations")
    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="in_service_members")
    place_path = models.CharField(max_length=64, db_index=True, editable=False)
    workplace = models.CharField(_("workplace"), max_length=100)
    workplace_organization = models.CharField(_("workplace party organisation"), max_length=100, blank=True)
    registered_on = models.DateField(_("registered on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    functions = models.CharField(_("committees chosen"), max_length=120, blank=True)

    class Meta:
        ordering = ["-registered_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("registered_on")),
                                   name="in_service_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.workplace}）"
