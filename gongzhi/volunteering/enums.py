from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.enums import Role


class TeamKind(models.TextChoices):
    """志愿服务队类别 (seed 001)."""

    HEALTH = "health", _("health")  # 健康服务
    CULTURE = "culture", _("culture")  # 文化文艺
    NEIGHBOUR_VISITS = "neighbour_visits", _("neighbour visits")  # 邻里串门/走访
    SCHOOL_ESCORT = "school_escort", _("school escort")  # 护学接送
    MEDIATION = "mediation", _("dispute mediation")  # 矛盾调解
    HOME_REPAIR = "home_repair", _("home repair")  # 家电维修/居家维修
    OTHER = "other", _("other")


class ServiceCategory(models.TextChoices):
    """服务需求类别."""

    COMPANIONSHIP = "companionship", _("companionship")  # 陪伴聊天
    ESCORT = "escort", _("escort to hospital or errands")  # 陪同就医/办事
    CLEANING = "cleaning", _("home cleaning")  # 居家保洁
    REPAIR = "repair", _("home repair")  # 维修
    SHOPPING = "shopping", _("shopping")  # 代买代购
    HEALTH = "health", _("health care")  # 健康护理
    SCHOOL_ESCORT = "school_escort", _("school escort")  # 接送孩子
    OTHER = "other", _("other")


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("open for sign-up")  # 报名中
    CLOSED = "closed", _("sign-up closed")  # 报名截止
    COMPLETED = "completed", _("completed")  # 已结束
    CANCELLED = "cancelled", _("cancelled")  # 已取消


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("signed up")  # 已报名
    CHECKED_IN = "checked_in", _("checked in")  # 已签到
    CHECKED_OUT = "checked_out", _("checked out")  # 已签退
    CONFIRMED = "confirmed", _("hours confirmed")  # 时长已确认
    CANCELLED = "cancelled", _("cancelled")  # 已取消


class RequestStatus(models.TextChoices):
    OPEN = "open", _("waiting for a volunteer")  # 待接单
    MATCHED = "matched", _("volunteer matched")  # 已匹配
    DONE = "done", _("service done, awaiting confirmation")  # 待确认
    CONFIRMED = "confirmed", _("confirmed and paid")  # 已确认
    CANCELLED = "cancelled", _("cancelled")  # 已取消


class Funding(models.TextChoices):
    """Who pays the volunteer's time coins for a service request."""

    REQUESTER = "requester", _("the served resident's time coins")  # 本人时间币
    COMMUNITY = "community", _("the community (public-benefit service)")  # 社区公益


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("awaiting confirmation")  # 待确认
    CONFIRMED = "confirmed", _("confirmed and paid")  # 已确认
    REJECTED = "rejected", _("rejected")  # 未认可


class WishStatus(models.TextChoices):
    OPEN = "open", _("open")  # 待认领
    CLAIMED = "claimed", _("claimed")  # 已认领
    FULFILLED = "fulfilled", _("fulfilled, awaiting confirmation")  # 已实现
    CONFIRMED = "confirmed", _("confirmed")  # 已确认
    CANCELLED = "cancelled", _("cancelled")  # 已撤回


class WishCategory(models.TextChoices):
    GOODS = "goods", _("goods")  # 物品
    SERVICE = "service", _("service")  # 服务
    COMPANIONSHIP = "companionship", _("companionship")  # 陪伴
    OTHER = "other", _("other")


# Community staff who run volunteering: teams, activities, matching, confirming hours.
VOLUNTEERING_MANAGE_ROLES = frozenset({Role.ADMIN, Role.SECRETARY, Role.COMMUNITY_WORKER})
# Staff who may confirm hours and match requests (grid workers within their grid).
VOLUNTEERING_STAFF_ROLES = VOLUNTEERING_MANAGE_ROLES | {Role.GRID_WORKER}
VOLUNTEERING_READ_ROLES = VOLUNTEERING_STAFF_ROLES | {Role.STREET_OFFICER}

MAX_SERVICE_MINUTES = 12 * 60  # one record covers at most one working day
