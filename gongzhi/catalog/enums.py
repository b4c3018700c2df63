from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """办理渠道."""

    ONLINE = "online", _("online")  # 网上办
    HALL = "hall", _("service hall")  # 窗口办
    BOTH = "both", _("online or hall")  # 网上或窗口


class ApplicationChannel(models.TextChoices):
    ONLINE = "online", _("online")
    COUNTER = "counter", _("counter")  # 窗口受理


class ApplicationStatus(models.TextChoices):
    """申请状态."""

    SUBMITTED = "submitted", _("submitted")  # 已提交
    MISSING_MATERIALS = "missing_materials", _("materials missing")  # 待补正
    ACCEPTED = "accepted", _("accepted")  # 已受理
    COMPLETED = "completed", _("completed")  # 已办结
    REJECTED = "rejected", _("rejected")  # 不予受理/不予批准
    WITHDRAWN = "withdrawn", _("withdrawn")  # 已撤回


CLOSED_STATUSES = (ApplicationStatus.COMPLETED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)


class ApplicationAction(models.TextChoices):
    ACCEPT = "accept", _("accept")  # 受理
    REQUEST_MATERIALS = "request_materials", _("request missing materials")  # 一次性告知补正
    RESUBMIT = "resubmit", _("resubmit materials")  # 补正材料
    COMPLETE = "complete", _("complete")  # 办结
    REJECT = "reject", _("reject")  # 不予办理
    WITHDRAW = "withdraw", _("withdraw")  # 撤回
    VISIT = "visit", _("record a visit to the hall")  # 跑动一次


class CertificateKind(models.TextChoices):
    RESIDENCE = "residence", _("residence certificate")  # 居住证明
    FAMILY_RELATION = "family_relation", _("household relationship certificate")  # 家庭关系证明


class TaskDecision(models.TextChoices):
    """社区工作准入 — what happens to a task sent to a community."""

    ACCEPTED = "accepted", _("accepted: on the admission catalogue")  # 准入
    REJECTED = "rejected", _("rejected: not on the admission catalogue")  # 退回
    PURCHASED = "purchased", _("bought as a service")  # 购买服务


class Mobility(models.TextChoices):
    INDEPENDENT = "independent", _("independent")  # 自理
    ASSISTED = "assisted", _("needs help")  # 半失能
    BEDRIDDEN = "bedridden", _("bedridden")  # 失能


class CheckupStatus(models.TextChoices):
    PENDING = "pending", _("to contact")  # 待通知
    SCHEDULED = "scheduled", _("scheduled")  # 已预约
    DONE = "done", _("done")  # 已体检
    DECLINED = "declined", _("declined")  # 本人放弃


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")  # 到
    ABSENT = "absent", _("absent")  # 缺
    LEAVE = "leave", _("excused")  # 请假


class ServiceKind(models.TextChoices):
    """便民服务手册 categories."""

    CLEANING = "cleaning", _("home cleaning")  # 家政保洁
    BATHING = "bathing", _("bathing help")  # 助浴
    ESCORT = "escort", _("hospital escort")  # 陪诊
    REPAIR = "repair", _("repairs")  # 家电维修/水电维修
    MEALS = "meals", _("meals")  # 助餐
    HAIRCUT = "haircut", _("haircut")  # 理发
    LAUNDRY = "laundry", _("laundry")  # 洗衣
    OTHER = "other", _("other")  # 其他


class OrderStatus(models.TextChoices):
    ORDERED = "ordered", _("ordered")  # 已下单
    ACCEPTED = "accepted", _("accepted")  # 已接单
    DONE = "done", _("done")  # 已完成
    CANCELLED = "cancelled", _("cancelled")  # 已取消


class IncubationStage(models.TextChoices):
    APPLIED = "applied", _("applied")  # 申请入驻
    INCUBATING = "incubating", _("incubating")  # 孵化中
    GRADUATED = "graduated", _("graduated")  # 出壳
    WITHDRAWN = "withdrawn", _("withdrawn")  # 退出


class ProjectFunding(models.TextChoices):
    GOVERNMENT = "government", _("bought by government")  # 政府购买服务
    COMMUNITY_FUND = "community_fund", _("community fund")  # 社区基金
    VENTURE = "venture", _("charity venture")  # 公益创投
