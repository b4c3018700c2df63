"""Demo data for 诉求办理: each community's published responsibility list (drafted from the district
catalogue), and a few hundred realistic cases over the last four months in every state — closed ones on
the public board, some overdue and escalated, some merged, withdrawn or reopened.

Everything goes through the services and the workflow with simulated times, so every row obeys the same
rules as live data. Notifications written while seeding are marked delivered (they are history).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.enums import Role
from gongzhi.accounts.models import User
from gongzhi.core.seeding import SeedContext
from gongzhi.registry.enums import PlaceKind, ResidentStatus
from gongzhi.registry.models import Place, Resident

from . import services, workflow
from .enums import Action, AppealStatus, Channel, ListStatus, OutboxStatus, Rating
from .models import Appeal, OutboxMessage, ResponsibilityList

S = AppealStatus

TEXTS = {
    "restaurant-fumes": [
        "楼下餐馆油烟直排，晚上都不敢开窗",
        "小区门口烧烤店油烟太大，衣服都晾不了",
        "沿街饭店排烟管道对着居民楼，油烟味很重",
    ],
    "construction-noise": ["旁边工地夜间施工噪音太大，晚上十一点还在打桩", "道路维修噪音影响休息，能否调整施工时间"],
    "commercial-noise": ["楼下商铺音响声音太大，天天放歌", "KTV半夜还很吵"],
    "road-damage": ["小区门口路面坑洼，雨天积水，老人容易摔倒", "人行道地砖破损好几块了"],
    "streetlight": ["巷子里的路灯不亮一个星期了，晚上回家很黑", "路灯坏了没人修"],
    "manhole-cover": ["路口井盖缺失，很危险", "窨井盖松动，车压过去响"],
    "sewer-blockage": ["下水道堵塞，污水外溢到路面", "一下雨路口就积水内涝"],
    "illegal-construction": ["顶楼住户在楼顶私搭乱建", "一楼住户违章搭建占用公共通道"],
    "street-vendors": ["菜市场门口流动摊贩占道经营，堵路", "早餐店出店经营占用人行道"],
    "garbage-clearance": ["垃圾站垃圾清运不及时，臭味很大", "路边垃圾堆了好几天没人收"],
    "street-trees": ["马路边的树有断枝，担心掉下来砸人", "台风后行道树倒伏还没清理"],
    "old-building-lift": ["我们是老旧小区，想加装电梯，政策是怎样的", "老人上下楼困难，希望加装电梯"],
    "property-management": ["物业公司不作为，保洁很差", "物业费涨价没有公示"],
    "housing-safety": ["楼道墙体开裂，担心房屋安全", "外墙瓷砖脱落，楼下行人危险"],
    "water-supply": ["今天突然停水，也没有通知", "自来水发黄，水质有问题"],
    "one-meter-per-household": ["我们楼还是总表，希望一户一表改造", "水费总表分摊不公平，要求抄表到户"],
    "power-outage": ["整栋楼停电了", "电压不稳，空调都开不了"],
    "food-safety": ["楼下熟食店卫生很差，还有过期食品", "无证经营的早餐摊"],
    "consumer-dispute": ["健身房预付卡跑路了，怎么退款", "超市缺斤短两"],
    "illegal-parking-road": ["车辆违停占用消防通道", "路边乱停车，公交都过不去"],
    "fire-hazard": ["楼道里有人飞线充电，很危险", "电动车在楼道充电，消防隐患"],
    "social-assistance": ["家里困难，想咨询低保怎么申请", "临时救助需要什么材料"],
    "pest-control": ["小区老鼠很多", "垃圾房附近蟑螂成群"],
    "stray-animals": ["小区里流浪狗很多，晚上追人", "有人遛狗不牵绳"],
    "estate-tree-pruning": ["小区里的树木太高了，挡住阳光，希望修剪一下树枝", "树枝伸到窗户里，招蚊虫，请修剪"],
    "estate-parking": ["小区停车难，晚上回来没有车位", "小区乱停车，希望规划车位"],
    "estate-hygiene": ["楼道卫生没人打扫", "垃圾分类做得不好，希望加强宣传"],
    "corridor-clutter": ["楼道堆放杂物，影响通行", "有人长期占用楼道堆放纸箱"],
    "estate-facilities": ["小区健身器材坏了", "单元门门禁坏了，陌生人随便进出"],
    "neighbour-dispute": ["和邻居因为晾衣服的事吵架，请社区调解", "邻里纠纷，楼上装修影响我家"],
    "water-leak-between-floors": ["楼上漏水，我家天花板都渗水了", "卫生间天花板渗水，楼上不配合维修"],
    "pet-nuisance": ["楼上养狗，狗叫声很吵", "邻居家的猫粪便在楼道里"],
    "square-dancing": ["广场舞音乐太吵，能否协调时间", "广场舞占用停车场"],
    "elderly-care": ["独居老人想申请助餐送餐", "高龄老人需要有人定期上门看看"],
    "children-after-school": ["希望社区办四点半课堂", "放学后孩子没人看护"],
    "bicycle-shed": ["希望小区装电动车充电桩", "车棚漏雨"],
    "appliance-repair": ["家里洗衣机坏了，不知道找谁维修", "空调不制冷了，有没有靠谱的维修师傅"],
    "home-plumbing": ["家里水龙头坏了，一直滴水", "卫生间马桶漏水"],
    "unlocking": ["钥匙锁在家里了，需要开锁"],
    "housekeeping": ["想找个钟点工打扫卫生"],
    "escort-to-hospital": ["老人要去医院复查，子女不在身边，能否陪诊"],
}
UNMATCHED = ["想了解一下社区最近有什么新闻", "感谢社区工作人员上次的帮助", "社区办公时间是几点到几点"]
REPLIES = {
    "government": "经{handler}现场核查，已责令整改并复查合格，后续将加强巡查。",
    "community": "居委会已组织相关居民协商，按议定方案处理完毕。",
    "private": "已向您提供便民服务手册中的服务商联系方式，并安排志愿者上门协助。",
}
CHANNELS = (
    [Channel.PORTAL] * 5
    + [Channel.PHONE] * 2
    + [Channel.HOTLINE] * 3
    + [Channel.MAILBOX, Channel.TALK_DAY, Channel.OPINION_DIARY, Channel.GRID_WALK, Channel.PARTY_STUDIO]
)


def _staff(community: Place) -> dict[str, User | None]:
    def first(role, **kw):
        return User.objects.filter(roles__role=role, **kw).order_by("id").first()

    ancestors = [community.path[:i] for i in range(4, len(community.path), 4)]
    return {
        "secretary": first(Role.SECRETARY, roles__place=community),
        "worker": first(Role.COMMUNITY_WORKER, roles__place=community) or first(Role.SECRETARY, roles__place=community),
        "street": first(Role.STREET_OFFICER, roles__place__path__in=ancestors),
        "admin": first(Role.ADMIN),
    }


def _handler_user(appeal: Appeal, staff: dict) -> User | None:
    if appeal.department_id:
        return (
            User.objects.filter(roles__role=Role.DEPARTMENT_HANDLER, roles__department_id=appeal.department_id).first()
            or staff["admin"]
        )
    return staff["worker"]


def _publish_list(community: Place, actor) -> ResponsibilityList:
    existing = ResponsibilityList.objects.filter(community=community, status=ListStatus.PUBLISHED).first()
    if existing:
        return existing
    draft = services.draft_list(actor=actor, community=community, note="依据区级指导目录起草，经居民代表会议商定")
    return services.publish_list(actor=actor, rlist=draft)


def _target(rng, age_days: int) -> str:
    """Older cases are mostly closed; recent ones are spread over the open statuses."""
    if age_days > 30:
        return rng.choices([S.CLOSED, S.RATED, S.REPLIED, S.IN_PROGRESS, S.WITHDRAWN, S.MERGED], [78, 4, 5, 5, 4, 4])[0]
    return rng.choices(
        [S.SUBMITTED, S.TRIAGED, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.REPLIED, S.RATED, S.CLOSED, S.WITHDRAWN],
        [6, 12, 12, 12, 18, 12, 6, 18, 4],
    )[0]


def _advance(
    appeal: Appeal, target: str, *, rng, staff: dict, resident_user, at: dt.datetime, now: dt.datetime, masters: list
) -> Appeal:
    """Walk one case along the workflow to ``target``, each step some working hours after the last."""

    def step(hours_lo: float, hours_hi: float) -> dt.datetime:
        nonlocal at
        at = min(at + dt.timedelta(hours=rng.uniform(hours_lo, hours_hi)), now - dt.timedelta(minutes=5))
        return at

    if target == S.WITHDRAWN:
        return workflow.transition(
            appeal, Action.WITHDRAW, actor=resident_user or staff["worker"], note="问题已自行解决", now=step(1, 20)
        )
    if target == S.MERGED and masters:
        master = rng.choice(masters)
        return workflow.transition(
            appeal, Action.MERGE, actor=staff["worker"], into=master.pk, note="与已有诉求重复，合并办理", now=step(1, 6)
        )
    if appeal.status == S.SUBMITTED:
        if target == S.SUBMITTED:
            return appeal
        suggestion = appeal.suggestion or {}
        if not suggestion.get("tier") or suggestion.get("handler", "") in ("", "department"):
            return appeal  # nothing to confirm: stays in the triage inbox
        appeal = workflow.transition(
            appeal,
            Action.TRIAGE,
            actor=staff["worker"],
            tier=suggestion["tier"],
            category=suggestion["category"],
            handler=suggestion["handler"],
            now=step(0.2, 3),
        )
    order = [S.TRIAGED, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.REPLIED, S.RATED, S.CLOSED]
    goal = order.index(target) if target in order else order.index(S.CLOSED)
    handler = _handler_user(appeal, staff)
    government = appeal.tier == "government"
    late = rng.random() < 0.12
    if goal >= 1:
        appeal = workflow.transition(appeal, Action.ASSIGN, actor=staff["worker"], now=step(0.3, 4))
        masters.append(appeal)
    if goal >= 2:
        acceptor = staff["street"] if government and staff["street"] else staff["worker"]
        appeal = workflow.transition(appeal, Action.ACCEPT, actor=acceptor, now=step(0.5, 6))
    if goal >= 3:
        appeal = workflow.transition(appeal, Action.START, actor=handler, now=step(1, 10))
    if goal >= 4:
        days = rng.uniform(5, 12) if late else rng.uniform(0.5, 4)
        handler_label = appeal.handler_label or "承办单位"
        appeal = workflow.transition(
            appeal,
            Action.REPLY,
            actor=handler,
            now=step(days * 24, days * 24 + 2),
            note=REPLIES[appeal.tier].format(handler=handler_label),
        )
    if goal >= 5:
        rating = rng.choices(Rating.values, [70, 20, 10])[0]
        by_phone = resident_user is None or rng.random() < 0.3
        action = Action.FOLLOW_UP if by_phone else Action.RATE
        actor = staff["worker"] if by_phone else resident_user
        appeal = workflow.transition(
            appeal,
            action,
            actor=actor,
            rating=rating,
            now=step(2, 30),
            comment={
                "satisfied": "处理及时，谢谢",
                "basically_satisfied": "基本解决",
                "unsatisfied": "问题没有根本解决",
            }[rating],
            note="电话回访" if by_phone else "",
        )
        if rating == Rating.UNSATISFIED and rng.random() < 0.5:
            appeal = workflow.transition(
                appeal, Action.REOPEN, actor=staff["worker"], note="居民不满意，重新办理", now=step(1, 8)
            )
            appeal = workflow.transition(
                appeal, Action.REPLY, actor=handler, note="已再次现场处理，问题解决。", now=step(24, 72)
            )
            appeal = workflow.transition(
                appeal,
                Action.FOLLOW_UP,
                actor=staff["worker"],
                rating=Rating.BASICALLY_SATISFIED,
                now=step(2, 24),
                note="电话回访",
            )
    if goal >= 6:
        appeal = workflow.transition(appeal, Action.CLOSE, actor=staff["secretary"], now=step(1, 24))
    return appeal


def _seed_community(ctx: SeedContext, community: Place, count: int) -> int:
    rng = ctx.rng
    staff = _staff(community)
    if staff["secretary"] is None or staff["worker"] is None:
        return 0
    _publish_list(community, staff["secretary"])
    residents = list(
        Resident.objects.filter(community=community, status=ResidentStatus.ACTIVE)
        .select_related("household__building")
        .order_by("id")[:3000]
    )
    if not residents:
        return 0
    resident_users = {u.resident_id: u for u in User.objects.filter(resident__community=community)}
    now = timezone.now()
    codes = sorted(TEXTS)
    masters: list[Appeal] = []
    made = 0
    for n in range(count):
        age = rng.choices([rng.randint(31, 120), rng.randint(0, 30)], [60, 40])[0]
        created = now - dt.timedelta(days=age, hours=rng.uniform(0, 10))
        created = created.replace(hour=rng.randint(8, 20), minute=rng.randint(0, 59))
        if created > now - dt.timedelta(hours=1):
            created = now - dt.timedelta(hours=rng.uniform(1, 30))
        text = rng.choice(UNMATCHED) if rng.random() < 0.04 else rng.choice(TEXTS[rng.choice(codes)])
        # the demo residents get their share of cases so "my appeals" is alive
        if resident_users and rng.random() < 0.08:
            resident = rng.choice(list(resident_users.values())).resident
        else:
            resident = rng.choice(residents)
        user = resident_users.get(resident.pk)
        channel = Channel.PORTAL if user is not None else rng.choice(CHANNELS[5:])
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if rng.random() < 0.7 else ""
        appeal = services.submit_appeal(
            actor=user if channel == Channel.PORTAL else staff["worker"],
            community=community,
            place=resident.household.building,
            resident=resident,
            text=text,
            channel=channel,
            contact_phone=phone,
            created_at=created,
            external_id=f"GD{created:%Y%m%d}{community.pk:05d}{n:04d}" if channel == Channel.HOTLINE else "",
        )
        target = _target(rng, age)
        _advance(appeal, target, rng=rng, staff=staff, resident_user=user, at=created, now=now, masters=masters)
        made += 1
    return made


def seed_demo(ctx: SeedContext) -> dict:
    communities = [c for c in ctx.communities if c.kind == PlaceKind.COMMUNITY]
    if ctx.profile == "junmen":
        plan = [(c, 300 if i == 0 else 40) for i, c in enumerate(communities[:6])]
    else:
        plan = [(c, 20) for c in communities[:10]]
    total = 0
    for community, count in plan:
        with transaction.atomic():
            made = _seed_community(ctx, community, count)
            OutboxMessage.objects.filter(status=OutboxStatus.PENDING).update(
                status=OutboxStatus.SENT, sent_at=timezone.now()
            )
        total += made
        ctx.log(f"appeals: {community.name} {made}")
    with transaction.atomic():
        escalated = services.escalate_overdue_appeals()
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING).update(
            status=OutboxStatus.SENT, sent_at=timezone.now()
        )
    return {
        "appeals": total,
        "appeals_closed": Appeal.objects.filter(status=S.CLOSED).count(),
        "appeals_escalated": escalated,
        "responsibility_lists": ResponsibilityList.objects.filter(status=ListStatus.PUBLISHED).count(),
    }
