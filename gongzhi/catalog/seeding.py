"""Demo data for the service hall: the full catalogue, applications in every state, certificates."""

from gongzhi.accounts.enums import Role
from gongzhi.accounts.models import RoleAssignment
from gongzhi.core.seeding import SeedContext
from gongzhi.registry.enums import ResidentStatus
from gongzhi.registry.models import Resident

from . import services, workflow
from .enums import ApplicationAction as A
from .enums import ApplicationChannel
from .models import LowIncomeLine, ServiceItem

# (actions after submission, share of applications)
PATHS = [
    ([], 0.15),
    ([A.ACCEPT], 0.2),
    ([A.REQUEST_MATERIALS], 0.1),
    ([A.ACCEPT, A.COMPLETE], 0.4),
    ([A.REJECT], 0.05),
    ([A.WITHDRAW], 0.05),
    ([A.REQUEST_MATERIALS, A.RESUBMIT, A.ACCEPT, A.COMPLETE], 0.05),
]


def seed_demo(ctx: SeedContext) -> dict:
    categories, items = services.load_default_catalog()
    if ctx.profile != "junmen" or not ctx.communities:
        return {"service_items": items}
    community = ctx.communities[0]
    LowIncomeLine.objects.get_or_create(place=community.parent.parent, effective_from=ctx.today.replace(month=1, day=1),
                                        defaults={"monthly_fen": 95_000})
    worker = ctx.users.get("worker") or RoleAssignment.objects.filter(
        role=Role.COMMUNITY_WORKER, place=community).first().user
    residents = list(Resident.objects.filter(community=community, status=ResidentStatus.ACTIVE)
                     .order_by("id")[:2000].select_related("household"))
    if not residents:
        return {"service_items": items}
    hall_items = list(ServiceItem.objects.filter(on_admission_catalog=True).order_by("code"))
    created = 0
    for path, share in PATHS:
        for _i in range(round(120 * share)):
            resident = ctx.rng.choice(residents)
            item = ctx.rng.choice(hall_items)
            application = services.submit_application(
                actor=worker, item=item, resident=resident, channel=ApplicationChannel.COUNTER,
                note="窗口受理")
            for action in path:
                note = {"complete": "已办结，结果已告知申请人", "reject": "不符合申领条件"}.get(action, "")
                application = workflow.transition(application, action, actor=worker, note=note,
                                                  missing=["户口簿复印件"] if action == A.REQUEST_MATERIALS else None)
            created += 1
    certificates = 0
    for resident in residents[:25]:
        services.issue_certificate(actor=worker, resident=resident, purpose=ctx.rng.choice(
            ["子女入学", "银行开户", "办理居住证", "单位证明材料", "申请公租房"]))
        certificates += 1
    counts = {"service_items": items, "applications": created, "certificates": certificates}
    counts.update(_seed_care(ctx, community, worker))
    counts.update(_seed_market(ctx, community, worker))
    return counts


def _seed_care(ctx: SeedContext, community, worker) -> dict:
    """Elderly archives, this year's check-up campaign, meal deliveries, emergency phones, a 四点钟学校."""
    import datetime as dt

    from . import care
    from .enums import CheckupStatus, Mobility
    from .models import ElderlyProfile

    rng = ctx.rng
    elderly = list(Resident.objects.filter(community=community, status=ResidentStatus.ACTIVE)
                   .aged(60, today=ctx.today).select_related("household").order_by("id"))
    conditions = ["高血压", "糖尿病", "冠心病", "慢阻肺", "骨质疏松", "", "", ""]
    profiles = []
    for r in elderly:
        age = r.age(ctx.today)
        profiles.append(ElderlyProfile(
            resident=r, path=r.path, chronic_conditions="、".join(sorted({rng.choice(conditions) for _ in range(2)}
                                                                         - {""})),
            mobility=Mobility.BEDRIDDEN if age >= 90 and rng.random() < 0.3 else (
                Mobility.ASSISTED if age >= 80 and rng.random() < 0.3 else Mobility.INDEPENDENT),
            meal_delivery=age >= 80 and rng.random() < 0.25,
            meal_note=rng.choice(["", "低盐", "软食", "糖尿病餐"]),
            emergency_phone_issued_on=(ctx.today - dt.timedelta(days=rng.randint(30, 900)))
            if age >= 65 and rng.random() < 0.55 else None))
    ElderlyProfile.objects.bulk_create(profiles, batch_size=1000, ignore_conflicts=True)
    campaign, _added = care.start_checkup_campaign(actor=worker, community=community, year=ctx.today.year)
    for record in campaign.records.select_related("resident").order_by("id"):
        roll = rng.random()
        if roll < 0.55:
            day = ctx.today - dt.timedelta(days=rng.randint(1, 200))
            care.record_checkup(actor=worker, record=record, status=CheckupStatus.DONE, on=day)
        elif roll < 0.7:
            care.record_checkup(actor=worker, record=record, status=CheckupStatus.SCHEDULED,
                                on=ctx.today + dt.timedelta(days=rng.randint(1, 30)))
        elif roll < 0.75:
            care.record_checkup(actor=worker, record=record, status=CheckupStatus.DECLINED, note="本人已在医院体检")
    meals = 0
    for profile in ElderlyProfile.objects.filter(path__startswith=community.path, meal_delivery=True)[:60]:
        for back in range(1, 4):
            care.record_meal(actor=worker, resident=profile.resident, day=ctx.today - dt.timedelta(days=back))
            meals += 1
    program = care.create_program(actor=worker, community=community, name="军门社区四点钟学校", capacity=40)
    kids = 0
    for child in (Resident.objects.filter(community=community, status=ResidentStatus.ACTIVE, relation="child")
                  .filter(birth_date__gte=ctx.today.replace(year=ctx.today.year - 12),
                          birth_date__lte=ctx.today.replace(year=ctx.today.year - 7)).order_by("id")[:25]):
        guardian = (Resident.objects.filter(household_id=child.household_id, relation__in=["head", "spouse"])
                    .exclude(pk=child.pk).first())
        if guardian is not None and kids < program.capacity:
            care.enrol_child(actor=worker, program=program, child=child, guardian=guardian, today=ctx.today)
            kids += 1
    return {"elderly_profiles": len(profiles), "checkup_records": campaign.records.count(), "meal_deliveries": meals,
            "after_school_children": kids}


def _seed_market(ctx: SeedContext, community, worker) -> dict:
    """Merchant services from the directory, shared parking, jobs, incubation and projects."""
    import datetime as dt

    from gongzhi.registry.models import ResidentUnit

    from . import market
    from .enums import ServiceKind
    from .models import SharedResource

    keywords = {"保洁": ServiceKind.CLEANING, "助浴": ServiceKind.BATHING, "陪诊": ServiceKind.ESCORT,
                "维修": ServiceKind.REPAIR, "助餐": ServiceKind.MEALS, "理发": ServiceKind.HAIRCUT,
                "洗衣": ServiceKind.LAUNDRY}
    services = 0
    for unit in ResidentUnit.objects.filter(community=community, kind="merchant").order_by("id"):
        for part in unit.services.split("、"):
            kind = next((k for word, k in keywords.items() if word in part), ServiceKind.OTHER)
            market.offer_service(actor=worker, unit=unit, kind=kind, name=part,
                                 price_text=ctx.rng.choice(["面议", "30元/次", "60元/2小时", "按件计价"]),
                                 hours="8:00-20:00")
            services += 1
    for unit in ResidentUnit.objects.filter(community=community, services__contains="停车")[:3]:
        SharedResource.objects.create(unit=unit, path=community.path, name=f"{unit.name}错时共享停车位",
                                      capacity=ctx.rng.randint(5, 20), available_from=dt.time(19, 0),
                                      available_until=dt.time(7, 30))
    jobs = 0
    for unit in ResidentUnit.objects.filter(community=community, kind="merchant").order_by("id")[:5]:
        market.post_job(actor=worker, unit=unit, title=ctx.rng.choice(["店员", "保洁员", "送餐员", "收银员"]),
                        description="面向本社区待业居民，就近上岗，可培训。", pay_text="3500-4500元/月")
        jobs += 1
    orgs = list(ResidentUnit.objects.filter(community=community, kind="social_organization").order_by("id"))
    for i, org in enumerate(orgs):
        incubation = market.apply_for_incubation(actor=worker, organization=org, field=org.services or "社区服务")
        for _step in range(i % 3):
            market.advance_incubation(actor=worker, incubation=incubation, mentor="街道社会组织服务中心")
        market.add_project(actor=worker, organization=org, title=f"{org.services.split('、')[0]}项目",
                           funding=["government", "community_fund", "venture"][i % 3],
                           budget_fen=ctx.rng.choice([500_000, 1_200_000, 3_000_000]),
                           starts_on=ctx.today.replace(month=1, day=1), ends_on=ctx.today.replace(month=12, day=31))
    counts = {"merchant_services": services, "jobs": jobs, "social_organization_projects": len(orgs)}
    counts.update(_seed_orders(ctx, community, worker, orgs))
    return counts


# What happens to the demo's orders: (moves after ordering, rating or None), in turn.
ORDER_STORIES = [([], None), (["accept"], None), (["accept", "complete"], 5), (["accept", "complete"], 4),
                 (["accept", "complete"], None), (["cancel"], None), (["accept", "complete"], 3)]
DEMO_UNIT_LOGINS = (("merchant01", Role.MERCHANT, "merchant"), ("org01", Role.SOCIAL_ORGANIZATION,
                                                                  "social_organization"))


def _seed_orders(ctx: SeedContext, community, worker, orgs) -> dict:
    """Orders in every state (some rated), bookings, the demo resident's own applications and orders, and
    logins for one merchant and one social organisation (demo password) to try their pages."""
    import datetime as dt

    from django.utils import timezone

    from gongzhi.accounts.services import assign_role, create_user
    from gongzhi.registry.models import ResidentUnit
    from gongzhi.registry.seeding import DEMO_PASSWORD

    from . import market
    from .models import MerchantService, MerchantStaff, ServiceOrder, SharedResource

    logins = 0
    for username, role, kind in DEMO_UNIT_LOGINS:
        unit = (ResidentUnit.objects.filter(community=community, kind=kind).order_by("id").first()
                if kind != "social_organization" else (orgs[0] if orgs else None))
        if unit is None or MerchantStaff.objects.filter(user__username=username).exists():
            continue
        user = create_user(username=username, password=DEMO_PASSWORD, display_name=unit.name)
        assign_role(user=user, role=role, place=community)
        MerchantStaff.objects.create(user=user, unit=unit)
        ctx.users[username] = user
        logins += 1
    offered = list(MerchantService.objects.filter(unit__community=community, active=True).order_by("id"))
    people = list(Resident.objects.filter(community=community, status=ResidentStatus.ACTIVE).order_by("id")[:400])
    demo = ctx.users.get("resident01")
    demo_resident = demo.resident if demo is not None and demo.resident_id else None
    if not offered or not people:
        return {"unit_logins": logins}
    now = timezone.now()
    orders = 0
    for i in range(28):
        customer = demo_resident if (demo_resident is not None and i % 7 == 2) else ctx.rng.choice(people)
        moves, rating = ORDER_STORIES[i % len(ORDER_STORIES)]
        service = offered[i % len(offered)]
        actor = demo if customer is demo_resident else worker
        order = market.place_order(actor=actor, service=service, resident=customer,
                                   wanted_at=now + dt.timedelta(days=1 + i % 5, hours=i % 8), note="")
        merchant = MerchantStaff.objects.filter(unit=service.unit).values_list("user", flat=True).first()
        for move in moves:
            order = ServiceOrder.objects.get(pk=order.pk)
            mover = worker if move == "cancel" else None
            if mover is None:  # the merchant's move: the demo staff login when linked, else a system link
                mover = _unit_login(service.unit, merchant)
            market.move_order(actor=mover, order=order, action=move)
        if "complete" in moves:  # a done order happened in the past
            ServiceOrder.objects.filter(pk=order.pk).update(wanted_at=now - dt.timedelta(days=1 + i % 20))
        comment = ctx.rng.choice(["服务周到", "准时上门", "价格实惠", ""])
        if rating is not None and customer is demo_resident:
            market.rate_order(actor=demo, order=ServiceOrder.objects.get(pk=order.pk), rating=rating,
                              comment=comment)
        elif rating is not None:  # other customers have no login in the demo: their rating is data only
            ServiceOrder.objects.filter(pk=order.pk).update(rating=rating, rating_comment=comment)
        orders += 1
    bookings = 0
    for resource in SharedResource.objects.filter(unit__community=community).order_by("id"):
        evening = timezone.localtime(now).replace(hour=19, minute=30, second=0, microsecond=0) + dt.timedelta(days=1)
        for customer in ([demo_resident] if demo_resident else []) + ctx.rng.sample(people, min(3, len(people))):
            market.book(actor=worker, resource=resource, resident=customer, starts_at=evening,
                        ends_at=evening + dt.timedelta(hours=11))
            bookings += 1
    if demo_resident is not None:
        online = list(ServiceItem.objects.exclude(channel="hall").order_by("code")[:2])
        for item, path in zip(online, ([A.REQUEST_MATERIALS], [A.ACCEPT, A.COMPLETE]), strict=False):
            application = services.submit_application(actor=demo, item=item, resident=demo_resident,
                                                      channel=ApplicationChannel.ONLINE, note="网上申请")
            for action in path:
                note = "已办结，结果已告知申请人" if action == A.COMPLETE else ""
                application = workflow.transition(application, action, actor=worker, note=note,
                                                  missing=["户口簿复印件"] if action == A.REQUEST_MATERIALS else None)
    return {"service_orders": orders, "bookings": bookings, "unit_logins": logins}


def _unit_login(unit, user_id):
    """The unit's staff login; the demo links one on first use so the merchant's moves are its own."""
    from gongzhi.accounts.models import User
    from gongzhi.accounts.services import create_user

    from .models import MerchantStaff

    if user_id is None:  # linked by an earlier move of the same order?
        user_id = MerchantStaff.objects.filter(unit=unit).values_list("user", flat=True).first()
    if user_id is not None:
        return User.objects.get(pk=user_id)
    user = create_user(username=f"unit{unit.pk:05d}", password=None, display_name=unit.name)
    MerchantStaff.objects.create(user=user, unit=unit)
    return user
