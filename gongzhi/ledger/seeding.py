"""Demo data for the Junmen profile: a published behaviour list (seed 004, with items awarded automatically for
events), half a year of points history, contests, a stocked redemption shop with orders, community funds with
a public statement, and this year's care vouchers (照料券) with a registered provider and a few payments.

Everything goes through the services, so the demo book verifies (``gongzhi ledger verify``). The city
profile gets nothing here: big seeds stay fast.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongzhi.core.errors import DomainError
from gongzhi.core.seeding import SeedContext
from gongzhi.registry.enums import ResidentUnitKind
from gongzhi.registry.models import Household, Resident, ResidentUnit

from .enums import AwardEvent, BehaviorCategory, CapPeriod, FundPurpose, FundRecordKind, Polarity
from .models import Account, PointsAward, ShopOrder, VoucherGrant
from .services import funds, points, shop, vouchers

C, P = BehaviorCategory, Polarity
# (code, polarity, category, name, points, evidence required, cap points, cap period) — seed 004's
# 文明守约、履职自治、社团活动、志愿服务 and its negative list.
BEHAVIOURS = [
    ("P01", P.POSITIVE, C.PACT, "遵守居民公约，垃圾分类准确投放", 2, False, 8, CapPeriod.MONTH),
    ("P02", P.POSITIVE, C.PACT, "楼道、门前“三包”保持整洁", 3, False, 9, CapPeriod.MONTH),
    ("P03", P.POSITIVE, C.SELF_GOVERNANCE, "出席居民议事会、协商会", 5, False, 20, CapPeriod.MONTH),
    ("P04", P.POSITIVE, C.SELF_GOVERNANCE, "担任楼道长、单元长履职", 10, True, 10, CapPeriod.MONTH),
    ("P05", P.POSITIVE, C.CLUB, "参加社区社团活动（人人社团俱乐部）", 3, False, 12, CapPeriod.MONTH),
    ("P06", P.POSITIVE, C.VOLUNTEERING, "参加志愿服务（每次）", 5, True, 30, CapPeriod.MONTH),
    ("P07", P.POSITIVE, C.VOLUNTEERING, "护学岗、文明劝导值守", 5, True, 30, CapPeriod.MONTH),
    ("P08", P.POSITIVE, C.OTHER, "见义勇为、好人好事（经核实）", 30, True, None, ""),
    ("P09", P.POSITIVE, C.VOLUNTEERING, "时间银行志愿服务（每满 1 小时，时长经确认）", 2, True, 40, CapPeriod.MONTH),
    ("P10", P.POSITIVE, C.SELF_GOVERNANCE, "所提建议落地并获居民好评", 15, True, 30, CapPeriod.YEAR),
    ("N01", P.NEGATIVE, C.PACT, "高空抛物", 20, True, None, ""),
    ("N02", P.NEGATIVE, C.PACT, "楼道堆放杂物经劝导不改", 5, True, None, ""),
    ("N03", P.NEGATIVE, C.PACT, "饲养犬只未牵绳、不清理粪便", 5, True, None, ""),
    ("N04", P.NEGATIVE, C.PACT, "违规停放电动车、楼道充电", 10, True, None, ""),
    ("N05", P.NEGATIVE, C.OTHER, "私搭乱建", 20, True, None, ""),
]
SHOP = [  # (name, currency, price, stock, description)
    ("洗衣液 2kg", "points", 30, 40, "社区党群服务中心领取"),
    ("环保购物袋", "points", 10, 120, ""),
    ("抽纸一提", "points", 20, 60, ""),
    ("食用油 1.8L", "points", 50, 25, ""),
    ("免费理发一次", "time", 30, 20, "人人工匠屋志愿理发"),
    ("家电清洗一次", "time", 90, 10, "家电维修志愿队上门"),
    ("体检套餐（老年）", "points", 120, 8, "社区卫生服务站"),
    ("“最美家庭”光荣牌", "points", 200, 5, ""),
]
MERCHANT_OFFERS = [("店内消费满 50 元减 10 元券", "points", 40, 30), ("上门维修一次（免工时费）", "time", 60, 6)]
EVENTS = {"P03": AwardEvent.MEETING_ATTENDANCE, "P09": AwardEvent.VOLUNTEER_HOURS, "P10": AwardEvent.PROPOSAL_RATED}
EVIDENCE = ["签到表", "现场照片 2 张", "楼道长登记", "网格员巡查记录", "活动合影", "议事会会议纪要"]


def _day(ctx: SeedContext) -> dt.date:
    """The demo's "today", kept within a year of the real date (awards must not be older than a year)."""
    real = timezone.localdate()
    return ctx.today if 0 <= (real - ctx.today).days <= 180 else real


def seed_demo(ctx: SeedContext) -> dict:
    if ctx.profile != "junmen" or not ctx.communities:
        return {}
    with transaction.atomic():
        return _seed_community(ctx, ctx.communities[0])


def _seed_community(ctx: SeedContext, community) -> dict:
    rng = ctx.rng
    staff = ctx.users.get("secretary") or ctx.users.get("worker")
    today = _day(ctx)
    draft = points.create_draft(community=community, actor=staff, title="军门社区“人人社区”积分清单",
                                note="经社区居民代表大会讨论通过并公布")
    items = {}
    for sort, (code, polarity, category, name, pts, evidence, cap, period) in enumerate(BEHAVIOURS):
        fields = {"polarity": polarity, "category": category, "name": name, "points": pts,
                  "evidence_required": evidence, "cap_points": cap, "cap_period": period, "sort": sort,
                  "event": EVENTS.get(code, "")}
        existing = draft.items.filter(code=code).first()  # copied from a list published before
        items[code] = (points.change_item(item=existing, actor=staff, **fields) if existing
                       else points.add_item(behavior_list=draft, actor=staff, code=code, **fields))
    points.publish_list(behavior_list=draft, actor=staff)

    households = list(Household.objects.filter(community=community).order_by("pk").values_list("pk", flat=True))
    demo_households = {u.resident.household_id for u in ctx.users.values() if u.resident_id}
    chosen = sorted(set(rng.sample(households, min(len(households), 150))) | demo_households)
    by_pk = Household.objects.in_bulk(chosen)
    positive = [c for c in items if c.startswith("P") and c not in EVENTS]
    awards = 0
    for pk in chosen:
        household = by_pk[pk]
        for _ in range(rng.randint(2, 4) if pk not in demo_households else 8):
            item = items[rng.choice(positive)]
            day = today - dt.timedelta(days=rng.randint(0, 170))
            try:
                points.award_points(household=household, item=item, actor=staff, occurred_on=day,
                                    evidence=rng.choice(EVIDENCE) if item.evidence_required else "")
                awards += 1
            except DomainError:  # a cap reached in the random history: skip that one
                continue
    deductions = []
    for pk in rng.sample(chosen, min(len(chosen), 18)) + sorted(demo_households)[:1]:
        code = rng.choice(["N02", "N03", "N04", "N01", "N05"])
        deductions.append(points.award_points(household=by_pk[pk], item=items[code], actor=staff,
                                              evidence=rng.choice(EVIDENCE[3:]),
                                              occurred_on=today - dt.timedelta(days=rng.randint(0, 20))))
    for i, award in enumerate(deductions[:4]):
        points.contest_deduction(award=award, actor=staff, reason="当天家中无人，请核实监控")
        if i == 1:
            points.decide_contest(award=award, actor=staff, uphold=True, note="核实监控，非本户所为")
        elif i == 2:
            points.decide_contest(award=award, actor=staff, uphold=False, note="有现场照片为证，维持扣分")

    shop_counts = _seed_shop(ctx, community, staff, chosen, by_pk)
    fund_counts = _seed_funds(ctx, community, staff, today)
    voucher_counts = _seed_vouchers(ctx, community, staff, chosen)
    return {"points_awards": PointsAward.objects.filter(community=community).count(), **shop_counts,
            **fund_counts, **voucher_counts}


def _seed_vouchers(ctx, community, staff, chosen) -> dict:
    """This year's 照料券 for the elders of the sampled households (the whole community takes a while), a
    registered care provider, and a few payments."""
    units = list(ResidentUnit.objects.filter(community=community).order_by("kind", "pk")[:3])
    unit = units[-1] if units else None
    if unit is None:
        return {}
    provider = vouchers.register_provider(unit=unit, actor=staff, services="短期住养、喘息照护、助浴、助餐")
    today = timezone.localdate()
    elders = list(vouchers.eligible_residents(community, today=today).filter(household_id__in=chosen))
    for resident in elders:
        vouchers.issue_voucher(resident=resident, year=today.year, actor=staff, today=today)
    for i, resident in enumerate(ctx.rng.sample(elders, min(len(elders), 12))):
        vouchers.redeem_vouchers(resident=resident, provider=provider, amount=(4 + i % 5) * 3_000,
                                 service=["喘息照护 1 天", "上门助浴", "助餐 10 次"][i % 3], actor=staff)
    return {"voucher_grants": VoucherGrant.objects.filter(community=community).count()}


def _seed_shop(ctx, community, staff, chosen, by_pk) -> dict:
    rng = ctx.rng
    items = [shop.create_item(community=community, actor=staff, name=name, currency=currency, price=price,
                              stock=stock, description=text) for name, currency, price, stock, text in SHOP]
    merchants = list(ResidentUnit.objects.filter(community=community, kind=ResidentUnitKind.MERCHANT)
                     .order_by("pk")[:2])
    for unit, (name, currency, price, stock) in zip(merchants, MERCHANT_OFFERS, strict=False):
        items.append(shop.create_item(community=community, actor=staff, unit=unit, name=name, currency=currency,
                                      price=price, stock=stock))
    point_items = [i for i in items if i.currency == "points"]
    residents = {r.household_id: r for r in Resident.objects.filter(household_id__in=chosen).order_by("pk")}
    balances = dict(Account.objects.filter(household_id__in=chosen).values_list("household_id", "balance"))
    orders = []
    for pk in rng.sample(chosen, min(len(chosen), 50)):
        resident = residents.get(pk)
        affordable = [i for i in point_items if i.price <= balances.get(pk, 0)]
        if resident is None or not affordable:
            continue
        item = rng.choice(affordable)
        try:
            orders.append(shop.place_order(item=item, resident=resident, actor=staff))
        except DomainError:  # not enough points in the random history: skip
            continue
    for i, order in enumerate(orders):
        if i % 3 == 0:
            shop.pick_up(order=order, actor=staff, pickup_code=order.pickup_code)
        elif i % 7 == 0:
            shop.cancel_order(order=order, actor=staff, reason="居民改选其他物品")
    return {"shop_items": len(items), "shop_orders": ShopOrder.objects.filter(community=community).count()}


def _seed_funds(ctx, community, staff, today) -> dict:
    sunshine = funds.open_fund(community=community, actor=staff, name="军门阳光基金", purpose=FundPurpose.SUNSHINE,
                               description="帮扶困难家庭、慰问高龄独居老人", soft_floor=200_000)
    charity = funds.open_fund(community=community, actor=staff, name="“五在社区”慈善帮扶金",
                              purpose=FundPurpose.CHARITY)
    project = funds.open_fund(community=community, actor=staff, name="老旧小区加装电梯项目预算",
                              purpose=FundPurpose.PROJECT, project="三坊小区 5 号楼加装电梯（居民议事会通过）")
    movements = [
        (sunshine, FundRecordKind.GRANT, 5_000_000, "东街街道", False, "年度阳光基金拨款", "DJ-2024-011", 150),
        (sunshine, FundRecordKind.DONATION, 1_000_000, "福州东街口百货有限公司", False, "驻区单位共建捐赠", "JM-001",
         120),
        (sunshine, FundRecordKind.DONATION, 50_000, "林秀英", True, "居民爱心捐款", "JM-002", 95),
        (charity, FundRecordKind.DONATION, 300_000, "陈建国", True, "重阳敬老捐助", "JM-003", 60),
        (sunshine, FundRecordKind.SPENDING, 800_000, "永辉超市东街店", False, "春节慰问困难家庭 40 户", "FP-0101", 80),
        (sunshine, FundRecordKind.SPENDING, 360_000, "福州市第一医院", False, "独居老人免费体检 60 人", "FP-0102", 40),
        (charity, FundRecordKind.SPENDING, 120_000, "军门社区老年协会", False, "重阳节敬老宴", "FP-0103", 30),
    ]
    records = 0
    for fund, kind, amount, who, person, purpose, receipt, days in movements:
        funds.record_fund_movement(fund=fund, actor=staff, kind=kind, amount=amount, purpose=purpose,
                                   counterparty=who, counterparty_is_person=person, receipt_no=receipt,
                                   occurred_on=today - dt.timedelta(days=days))
        records += 1
    funds.record_fund_movement(fund=sunshine, actor=staff, kind=FundRecordKind.ALLOCATION, amount=1_500_000,
                               purpose="配套加装电梯项目", other_fund=project,
                               occurred_on=today - dt.timedelta(days=20))
    return {"funds": 3, "fund_records": records + 1}
