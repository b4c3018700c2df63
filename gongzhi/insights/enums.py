"""Who may read the dashboards, rates and reports (数据看板); states of surveys and star ratings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.enums import Role

INSIGHT_ROLES = frozenset({Role.ADMIN, Role.STREET_OFFICER, Role.SECRETARY, Role.COMMUNITY_WORKER})
# Roles that run surveys and enter paper answers in their unit.
SURVEY_ROLES = frozenset({Role.ADMIN, Role.STREET_OFFICER, Role.SECRETARY, Role.COMMUNITY_WORKER,
                          Role.GRID_WORKER})
# Roles that self-assess their community (自评) and the ones that review it (审核).
SELF_ASSESS_ROLES = frozenset({Role.SECRETARY, Role.COMMUNITY_WORKER})
REVIEW_ROLES = frozenset({Role.ADMIN, Role.STREET_OFFICER})


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # 草稿
    OPEN = "open", _("open")  # 进行中
    CLOSED = "closed", _("closed")  # 已结束


class ResponseChannel(models.TextChoices):
    PORTAL = "portal", _("resident portal")  # 居民端
    STAFF = "staff", _("entered by staff")  # 工作人员代录


class IndicatorKind(models.TextChoices):
    GROUP = "group", _("group")  # 一级/二级指标（汇总下级）
    COMPUTED = "computed", _("computed from platform data")  # 平台数据自动计算
    ASSESSED = "assessed", _("scored with evidence")  # 评审打分（附佐证）
    VETO = "veto", _("veto item")  # 一票否决


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("self-assessment")  # 自评中
    SUBMITTED = "submitted", _("submitted for review")  # 已报送
    REVIEWED = "reviewed", _("reviewed")  # 已审核
