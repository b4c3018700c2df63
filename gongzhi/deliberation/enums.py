"""议事协商 vocabularies: proposals, meetings, ballots, publicity, projects, pacts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.enums import Role

# Who manages deliberation (review, meetings, ballots, publicity, projects) within their scope.
MANAGE_ROLES = frozenset({Role.ADMIN, Role.SECRETARY, Role.COMMUNITY_WORKER})
# Who enters things on residents' behalf (suggestion box, group chat) and records sign-in.
ENTRY_ROLES = MANAGE_ROLES | {Role.GRID_WORKER}
# Who reads everything (including what residents do not see, such as attendance lists) within scope.
VIEW_ROLES = ENTRY_ROLES | {Role.STREET_OFFICER}


class SupportUnit(models.TextChoices):
    """附议单位 — one support per resident or one per household."""

    RESIDENT = "resident", _("one per resident")  # 一人一票
    HOUSEHOLD = "household", _("one per household")  # 一户一票


class ProposalCategory(models.TextChoices):
    """议题类别."""

    FACILITIES = "facilities", _("facilities and lifts")  # 设施与加装电梯
    ENVIRONMENT = "environment", _("environment and greening")  # 环境与绿化
    PARKING = "parking", _("parking and traffic")  # 停车与交通
    SAFETY = "safety", _("safety")  # 平安
    PROPERTY = "property", _("property management")  # 物业管理
    CARE = "care", _("elderly and children")  # 一老一少
    CULTURE = "culture", _("culture and activities")  # 文体活动
    OTHER = "other", _("other")  # 其他


class ProposalSource(models.TextChoices):
    """议题来源 — where the proposal came in."""

    ONLINE = "online", _("online")  # 线上提交
    SUGGESTION_BOX = "suggestion_box", _("suggestion box")  # 建议征集箱
    GROUP_CHAT = "group_chat", _("group chat")  # 楼栋微信群
    TALK_DAY = "talk_day", _("residents' talk day")  # 居民恳谈日
    MAILBOX = "mailbox", _("residents' mailbox")  # 居民信箱
    APPEAL = "appeal", _("appeal")  # 诉求转议事 (一事一议)
    STAFF = "staff", _("staff")  # 工作人员走访


STAFF_SOURCES = frozenset(ProposalSource.values) - {ProposalSource.ONLINE}


class ProposalStatus(models.TextChoices):
    """议题状态. Only workflow.py assigns Proposal.status."""

    SUBMITTED = "submitted", _("submitted")  # 已提交, 征集附议
    ACCEPTED = "accepted", _("accepted for deliberation")  # 采纳, 进入协商
    NOT_ACCEPTED = "not_accepted", _("not accepted")  # 不予采纳
    MERGED = "merged", _("merged")  # 合并办理
    DECIDED = "decided", _("decided")  # 已议定
    REJECTED = "rejected", _("rejected by vote")  # 表决未通过
    PUBLICITY = "publicity", _("in publicity")  # 公示中
    PROJECT = "project", _("project")  # 已立项


SUPPORTABLE_STATUSES = frozenset({ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED})


class ProposalAction(models.TextChoices):
    """议题流程动作 — each one is a ProposalEvent."""

    SUBMIT = "submit", _("submit")  # 提交
    ACCEPT = "accept", _("accept")  # 采纳
    NOT_ACCEPT = "not_accept", _("not accept")  # 不予采纳
    MERGE = "merge", _("merge")  # 合并
    DECIDE = "decide", _("decide")  # 议定
    REJECT = "reject", _("reject")  # 否决
    PUBLISH = "publish", _("publish")  # 公示
    REOPEN = "reopen", _("back to deliberation")  # 异议成立, 重新协商
    START_PROJECT = "start_project", _("start project")  # 立项


class MeetingKind(models.TextChoices):
    """会议形式 (seed 000: 民主恳谈、议事、听证、咨询、评议; 居民恳谈日 on the 10th)."""

    TALK_DAY = "talk_day", _("residents' talk day")  # 居民恳谈日
    COUNCIL = "council", _("deliberation council")  # 议事会
    HEARING = "hearing", _("hearing")  # 听证会
    REVIEW = "review", _("review meeting")  # 评议会
    DEMOCRATIC_TALK = "democratic_talk", _("democratic consultation")  # 民主恳谈会
    CONSULTATION = "consultation", _("consultation")  # 咨询会


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")  # 筹备中
    IN_PROGRESS = "in_progress", _("in progress")  # 进行中
    CLOSED = "closed", _("closed")  # 已结束


class InvitationKind(models.TextChoices):
    """列席/邀请方 — departments, "two representatives and one member", resident units, residents."""

    DEPARTMENT = "department", _("department")  # 职能部门
    PARTY_REPRESENTATIVE = "party_representative", _("party congress representative")  # 党代表
    PEOPLES_CONGRESS_DEPUTY = "peoples_congress_deputy", _("people's congress deputy")  # 人大代表
    CPPCC_MEMBER = "cppcc_member", _("CPPCC member")  # 政协委员
    RESIDENT_UNIT = "resident_unit", _("resident unit")  # 驻区单位/商户/社会组织
    RESIDENT = "resident", _("resident representative")  # 居民代表
    OTHER = "other", _("other")  # 其他 (律师、专家…)


class BallotRule(models.TextChoices):
    """表决规则."""

    PER_RESIDENT = "per_resident", _("one vote per resident")  # 一人一票 (18 岁以上居民)
    PER_HOUSEHOLD = "per_household", _("one vote per household")  # 一户一票
    OWNERS_DOUBLE_MAJORITY = "owners", _("owners' double majority (area and number)")  # 业主双多数


class MatterKind(models.TextChoices):
    """事项类别 (民法典第二百七十八条) — sets the default approval threshold of an owners' vote."""

    ORDINARY = "ordinary", _("ordinary matter")  # 一般事项: 双过半
    MAJOR = "major", _("major matter (e.g. adding lifts)")  # 重大事项: 双四分之三以上


class BallotMode(models.TextChoices):
    SECRET = "secret", _("secret ballot")  # 无记名投票
    OPEN = "open", _("open vote")  # 记名表决


class BallotStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # 拟定
    OPEN = "open", _("voting")  # 投票中
    CLOSED = "closed", _("closed")  # 已计票
    CANCELLED = "cancelled", _("cancelled")  # 已取消


class BallotOutcome(models.TextChoices):
    APPROVED = "approved", _("approved")  # 通过
    REJECTED = "rejected", _("not approved")  # 未通过
    NO_QUORUM = "no_quorum", _("too few took part")  # 参与人数/面积不足


class Choice(models.TextChoices):
    YES = "yes", _("in favour")  # 同意
    NO = "no", _("against")  # 反对
    ABSTAIN = "abstain", _("abstain")  # 弃权


class Channel(models.TextChoices):
    ONLINE = "online", _("online")  # 线上投票
    MEETING = "meeting", _("at the meeting")  # 会场表决
    PAPER = "paper", _("paper ballot")  # 书面表决票 (入户征询)


class PublicityStatus(models.TextChoices):
    RUNNING = "running", _("running")  # 公示中
    PASSED = "passed", _("passed without objection")  # 公示无异议
    BLOCKED = "blocked", _("objection upheld")  # 异议成立


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("awaiting answer")  # 待答复
    UPHELD = "upheld", _("upheld")  # 异议成立
    DISMISSED = "dismissed", _("dismissed")  # 异议不成立


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")  # 待实施
    IN_PROGRESS = "in_progress", _("in progress")  # 实施中
    COMPLETED = "completed", _("completed")  # 已完成


class Award(models.TextChoices):
    """社区奖项 (seed 001)."""

    EXPERT = "expert", _("community building expert award")  # 社区建设专家奖
    CONTRIBUTOR = "contributor", _("community contribution award")  # 社区贡献高参达人奖


class CharterKind(models.TextChoices):
    PACT = "pact", _("residents' pact")  # 居民公约
    CHARTER = "charter", _("self-governance charter")  # 自治章程


class CharterStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # 草案
    VOTING = "voting", _("being voted")  # 表决中
    ADOPTED = "adopted", _("in force")  # 现行有效
    REJECTED = "rejected", _("not adopted")  # 未通过
    SUPERSEDED = "superseded", _("superseded")  # 已废止 (被新版本取代)
