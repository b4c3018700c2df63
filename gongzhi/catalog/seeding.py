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
    return {"service_items": items, "applications": created, "certificates": certificates}
