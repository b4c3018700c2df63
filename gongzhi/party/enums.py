from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    """党组织类型 — the five levels of seed 000, function branches (seed 001) and 党员中心户 (seed 004)."""

    WORKING_COMMITTEE = "working_committee", _("street party working committee")  # 街镇党工委
    COMMITTEE = "committee", _("community party committee")  # 社区党委
    GENERAL_BRANCH = "general_branch", _("grid general branch")  # 网格党总支
    BRANCH = "branch", _("party branch")  # 党支部 (小区党支部, 非公企业党支部)
    FUNCTION_BRANCH = "function_branch", _("function branch")  # 功能型党支部 (六大委员会)
    GROUP = "group", _("building party group")  # 楼栋党小组
    CENTER_HOUSEHOLD = "center_household", _("party-member centre household")  # 党员中心户


class Function(models.TextChoices):
    """居委会六大委员会 (seed 001) — each led by a function branch."""

    CO_BUILDING = "co_building", _("co-building and coordination")  # 共建与协调委员会
    SAFETY_MEDIATION = "safety_mediation", _("safety and mediation")  # 安全与民调委员会
    PUBLIC_AFFAIRS = "public_affairs", _("public affairs")  # 公共事业发展委员会
    WELFARE = "welfare", _("welfare")  # 社会福利委员会
    PUBLIC_OPINION = "public_opinion", _("public opinion")  # 民情民意委员会
    ENVIRONMENT = "environment", _("environment")  # 公共环境委员会


class MemberKind(models.TextChoices):
    COMMUNITY = "community", _("community member")  # 社区党员
    RETIRED = "retired", _("retired member")  # 退休党员
    ENTERPRISE = "enterprise", _("enterprise member")  # 非公企业党员
    UNIT = "unit", _("resident-unit member")  # 驻区单位党员


class MemberStatus(models.TextChoices):
    FULL = "full", _("full member")  # 正式党员
    PROBATIONARY = "probationary", _("probationary member")  # 预备党员


# Which kind may stand under which.
ALLOWED_PARENTS: dict[str, frozenset[str]] = {
    OrganizationKind.WORKING_COMMITTEE: frozenset(),
    OrganizationKind.COMMITTEE: frozenset({OrganizationKind.WORKING_COMMITTEE}),
    OrganizationKind.GENERAL_BRANCH: frozenset({OrganizationKind.COMMITTEE}),
    OrganizationKind.BRANCH: frozenset({OrganizationKind.GENERAL_BRANCH, OrganizationKind.COMMITTEE}),
    OrganizationKind.FUNCTION_BRANCH: frozenset({OrganizationKind.COMMITTEE}),
    OrganizationKind.GROUP: frozenset({OrganizationKind.BRANCH, OrganizationKind.FUNCTION_BRANCH}),
    OrganizationKind.CENTER_HOUSEHOLD: frozenset({OrganizationKind.GROUP}),
}
