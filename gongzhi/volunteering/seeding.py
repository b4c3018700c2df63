"""Demo data for the Junmen profile: the six volunteer teams of seed 001, active volunteers, past activities
with confirmed hours and coming ones open for sign-up, service requests in every state, a proxy for an elder
with a family transfer, and micro-wishes claimed by party members (seed 000). Nothing for the city profile.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongzhi.core.seeding import SeedContext
from gongzhi.ledger.services import proxies
from gongzhi.party.models import PartyMember
from gongzhi.registry.models import Resident

from . import services
from .enums import Funding, ServiceCategory, TeamKind
from .models import Activity, MicroWish, ServiceRecord, ServiceRequest, Signup, Volunteer

TEAMS = [
    (TeamKind.HEALTH, "“健康守护”志愿服务队"), (TeamKind.CULTURE, "“五在社区”文艺志愿队"),
    (TeamKind.NEIGHBOUR_VISITS, "“人人串门”邻里走访队"), (TeamKind.SCHOOL_ESCORT, "军门小学护学岗志愿队"),
    (TeamKind.MEDIATION, "“有事好商量”调解志愿队"), (TeamKind.HOME_REPAIR, "人人工匠屋家电维修队"),
]
ACTIVITIES = [  # (team index, title, location, hours, places)
    (0, "重阳节老年人义诊", "社区党群服务中心", 3, 12), (1, "社区邻里节文艺汇演", "人人广场", 2, 20),
    (2, "高龄独居老人走访", "各网格", 2, 15), (3, "开学季护学岗", "军门小学门口", 1, 8),
    (5, "家电义务维修", "人人工匠屋", 3, 6), (4, "邻里纠纷调解开放日", "调解室", 2, 5),
]
REQUESTS = [
    (ServiceCategory.SCHOOL_ESCORT, "工作日早上送孩子到军门小学", Funding.REQUESTER),
    (ServiceCategory.CLEANING, "厨房和卫生间保洁", Funding.REQUESTER),
    (ServiceCategory.ESCORT, "陪同到福州市第一医院复诊", Funding.COMMUNITY),
    (ServiceCategory.COMPANIONSHIP, "每周陪老人聊天一小时", Funding.COMMUNITY),
    (ServiceCategory.REPAIR, "修理漏水的水龙头", Funding.COMMUNITY),
    (ServiceCategory.SHOPPING, "帮忙买菜送上楼", Funding.COMMUNITY),
]
WISHES = ["想要一台收音机听闽剧", "希望有人教我用智能手机视频通话", "孙子想要一套课外读物", "想要一副老花镜",
          "希望有人陪我去西湖公园走走", "轮椅的刹车坏了，希望能修好", "想学写毛笔字", "冬天想要一床厚棉被"]


def seed_demo(ctx: SeedContext) -> dict:
    if ctx.profile != "junmen" or not ctx.communities:
        return {}
    with transaction.atomic():
        return _seed(ctx, ctx.communities[0])


def _seed(ctx: SeedContext, community) -> dict:
    rng = ctx.rng
    staff = ctx.users.get("worker") or ctx.users.get("secretary")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    teams = [services.create_team(community=community, actor=staff, kind=kind, name=name) for kind, name in TEAMS]

    adults = list(Resident.objects.active().filter(community=community, birth_date__lte=dt.date(2000, 1, 1),
                                                   birth_date__gte=dt.date(1950, 1, 1)).order_by("pk")
                  .values_list("pk", flat=True))
    picked = Resident.objects.in_bulk(rng.sample(adults, min(len(adults), 80)))
    demo = [u.resident for u in ctx.users.values() if u.resident_id]
    people = list({r.pk: r for r in [*demo, *picked.values()]}.values())
    volunteers = []
    for i, resident in enumerate(people):
        volunteers.append(services.register_volunteer(resident=resident, actor=staff, skills="",
                                                      teams=[teams[i % len(teams)]]))

    for t, title, place, hours, places in ACTIVITIES:  # past, attended and confirmed
        start = now - dt.timedelta(days=rng.randint(5, 60), hours=3)
        activity = services.create_activity(community=community, actor=staff, team=teams[t], title=title,
                                            location=place, starts_at=start,
                                            ends_at=start + dt.timedelta(hours=hours), capacity=places)
        for volunteer in rng.sample(volunteers, min(places, len(volunteers))):
            signup = Signup.objects.create(activity=activity, volunteer=volunteer)
            services.check_in(signup=signup, actor=staff, at=start)
            services.check_out(signup=signup, actor=staff,
                               at=start + dt.timedelta(minutes=rng.randint(hours * 40, hours * 60)))
            signup.refresh_from_db()
            if signup.record_id:
                services.confirm_record(record=signup.record, actor=staff)
        Activity.objects.filter(pk=activity.pk).update(status="completed")
    for t, title, place, hours, places in ACTIVITIES[:4]:  # coming, open for sign-up
        start = now + dt.timedelta(days=rng.randint(2, 20), hours=9)
        activity = services.create_activity(community=community, actor=staff, team=teams[t], title=title,
                                            location=place, starts_at=start,
                                            ends_at=start + dt.timedelta(hours=hours), capacity=places)
        for volunteer in rng.sample(volunteers, min(places // 2, len(volunteers))):
            services.sign_up(activity=activity, volunteer=volunteer, actor=staff)

    elders = list(Resident.objects.active().filter(community=community, birth_date__lte=dt.date(1950, 1, 1))
                  .order_by("pk").values_list("pk", flat=True))
    elder_rows = Resident.objects.in_bulk(rng.sample(elders, min(len(elders), 30)))
    for n, elder in enumerate(elder_rows.values()):
        category, text, funding = REQUESTS[n % len(REQUESTS)]
        if funding == Funding.REQUESTER:
            funding = Funding.COMMUNITY  # a fresh elder has no coins yet
        request = services.request_service(requester=elder, actor=staff, category=category, description=text,
                                           funding=funding)
        stage = n % 4
        if stage == 0:
            continue  # open
        helper = next(v for v in rng.sample(volunteers, 3) if v.resident_id != elder.pk)
        services.match_request(request=request, volunteer=helper, actor=staff)
        if stage >= 2:
            services.complete_request(request=request, actor=staff, minutes=rng.choice([30, 45, 60, 90]))
        if stage == 3:
            request.refresh_from_db()
            services.confirm_record(record=request.record, actor=staff)

    # The story of the issue: a volunteer gives coins to her mother, who holds them for home cleaning.
    transfers = 0
    giver = volunteers[0] if volunteers else None
    mother = next(iter(elder_rows.values()), None)
    if giver is not None and mother is not None and mother.pk != giver.resident_id:
        proxies.record_proxy(principal=mother, agent=giver.resident, actor=staff, relation="女儿",
                             consent_method="signed_form", consent_note="授权书存社区档案柜 2024-001")
        balance = giver.resident.ledger_accounts.filter(currency="time").values_list("balance", flat=True).first()
        if balance and balance >= 30:
            services.transfer_time(sender=giver.resident, recipient=mother, actor=staff, minutes=30, memo="给妈妈")
            transfers = 1

    members = list(PartyMember.objects.filter(resident__community=community, resident__isnull=False)
                   .select_related("resident__user").order_by("pk")[:200])
    claimers = [m for m in members if getattr(m.resident, "user", None) is not None]
    wish_people = list(elder_rows.values())[:len(WISHES)]
    for n, (title, beneficiary) in enumerate(zip(WISHES, wish_people, strict=False)):
        wish = services.post_wish(beneficiary=beneficiary, actor=staff, title=title)
        if n % 3 == 0 or not members:
            continue
        member = members[n % len(members)]
        # Party members without a login of their own are recorded as claimers by staff.
        user = member.resident.user if member in claimers else staff
        MicroWish.objects.filter(pk=wish.pk).update(status="claimed", claimed_by=user, claimer_name=member.name,
                                                    claimed_at=timezone.now())
        if n % 3 == 2:
            wish.refresh_from_db()
            services.fulfil_wish(wish=wish, actor=user, note="已送到老人家中")
            services.confirm_wish(wish=wish, actor=staff)
    return {
        "volunteer_teams": len(teams), "volunteers": Volunteer.objects.filter(community=community).count(),
        "activities": Activity.objects.filter(community=community).count(),
        "service_requests": ServiceRequest.objects.filter(community=community).count(),
        "service_records_confirmed": ServiceRecord.objects.filter(community=community, status="confirmed").count(),
        "time_transfers": transfers, "micro_wishes": MicroWish.objects.filter(community=community).count(),
    }
