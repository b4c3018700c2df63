"""Demo data for 议事协商 (profile "junmen"): a month of proposals with supports, last month's talk day with
minutes, the lift story of an old walk-up building decided by the owners' double majority (computed from the
households' floor areas), its publicity and the project in progress, a publicity running now, an online vote
open for the demo residents, and the residents' pact in force. The "city" profile adds nothing.

Everything goes through the services, so every row obeys the same rules as live data; only the pact vote of
the whole community writes its votes in bulk (thousands of households), from the frozen electorate.
"""

import contextlib
import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from gongzhi.accounts.models import Department
from gongzhi.core.seeding import SeedContext
from gongzhi.registry.enums import PlaceKind, Relation, ResidentStatus
from gongzhi.registry.models import Household, Place, Resident

from .eligibility import OWNER_RELATIONS, adult_born_before
from .enums import (
    BallotMode,
    BallotRule,
    Channel,
    CharterKind,
    Choice,
    InvitationKind,
    MatterKind,
    MeetingKind,
    ProposalCategory,
    ProposalSource,
)
from .errors import AlreadyDone
from .models import BallotElector, Participation, Proposal, Support, Vote
from .services import ballots as ballot_services
from .services import charters as charter_services
from .services import meetings as meeting_services
from .services import projects as project_services
from .services import proposals as proposal_services
from .services import publicity as publicity_services

# (title, category, problem, solution, supports) — this month's proposals, as residents write them.
MONTH_PROPOSALS = [
    ("小区电动车集中充电棚", ProposalCategory.SAFETY, "电动车在楼道飞线充电, 存在火灾隐患。",
     "在小区空地建设集中充电棚, 按次扫码计费。", 34),
    ("夜间广场舞音量管控", ProposalCategory.CULTURE, "晚上九点后广场舞音响太吵, 影响老人和学生休息。",
     "与舞蹈队协商, 21:00后降低音量, 配置定向音箱。", 21),
    ("增设适老化扶手和休息座椅", ProposalCategory.CARE, "小区主干道没有休息座椅, 老人走一段就要歇。",
     "在主干道每隔五十米设一组座椅, 单元门口加装扶手。", 18),
    ("错时共享驻区单位停车位", ProposalCategory.PARKING, "晚上停车难, 消防通道常被占。",
     "与驻区单位协商下班后开放停车位, 居民按月登记。", 15),
    ("垃圾分类投放点加装洗手池", ProposalCategory.ENVIRONMENT, "分类投放后没有地方洗手。",
     "在两个集中投放点加装洗手池和照明。", 9),
    ("楼道堆物清理", ProposalCategory.SAFETY, "部分楼道堆放杂物, 堵塞通道。", "组织志愿者和楼长集中清理。", 6),
    ("四点钟学堂延长时间", ProposalCategory.CARE, "双职工家庭五点半才下班。", "四点钟学堂延长到六点。", 12),
    ("小区围墙破损修补", ProposalCategory.FACILITIES, "东侧围墙破损, 有安全隐患。", "申请维修资金修补围墙。", 4),
]
MINUTES = (
    "本月居民恳谈日由社区书记主持, 居民代表、网格员、区住建局和驻区单位代表参加。\n"
    "一、居民反映老旧楼栋上下楼难, 建议加装电梯。经讨论, 提交议事会按业主双多数规则表决。\n"
    "二、树木遮挡采光问题, 由公共环境委员会牵头制定修剪方案, 兼顾遮阴需要。\n"
    "三、其余诉求已登记, 按三事分流责任清单交办。"
)


def seed_demo(ctx: SeedContext) -> dict:
    if ctx.profile != "junmen" or not ctx.communities:
        return {}
    return _Junmen(ctx).run()


class _Junmen:
    def __init__(self, ctx: SeedContext):
        self.ctx, self.rng = ctx, ctx.rng
        self.community = ctx.communities[0]
        self.secretary = ctx.users["secretary"]
        self.grid = ctx.users.get("grid01") or self.secretary
        self.today = ctx.today
        self.this_month = self.today.replace(day=1)
        self.last_month = (self.this_month - dt.timedelta(days=1)).replace(day=1)
        self.residents = list(Resident.objects.filter(community=self.community, status=ResidentStatus.ACTIVE,
                                                      birth_date__lte=adult_born_before(self.today))
                              .order_by("id").values_list("id", flat=True))

    def resident(self):
        return Resident.objects.get(pk=self.rng.choice(self.residents))

    def run(self) -> dict:
        lift_building = self._lift_building()
        lift, tree = self._last_month_proposals(lift_building)
        talk_day = self._talk_day(lift, tree)
        self._lift_story(lift, lift_building, talk_day)
        self._tree_publicity(tree, talk_day)
        self._this_month()
        self._open_vote()
        self._pact()
        return {
            "deliberation_proposals": Proposal.objects.filter(community=self.community).count(),
            "deliberation_supports": Support.objects.filter(proposal__community=self.community).count(),
            "deliberation_votes": Vote.objects.filter(ballot__community=self.community).count(),
        }

    # -- the lift story ---------------------------------------------------------------------------------

    def _lift_building(self) -> Place:
        """An old walk-up without a lift and with the most owner households: where resident01 lives if it fits."""
        owners = Count("households", filter=Q(households__is_owner_occupied=True))
        candidates = (Place.objects.filter(community=self.community, kind=PlaceKind.BUILDING, has_lift=False,
                                           floors__lte=8).annotate(owners=owners).filter(owners__gte=6))
        demo = self.ctx.users.get("resident01")
        if demo is not None and demo.resident_id:
            mine = candidates.filter(pk=demo.resident.household.building_id).first()
            if mine is not None:
                return mine
        return candidates.order_by("-owners", "path").first() or Place.objects.filter(
            community=self.community, kind=PlaceKind.BUILDING).order_by("path").first()

    def _author_in(self, building: Place) -> Resident:
        return (Resident.objects.filter(household__building=building, status=ResidentStatus.ACTIVE,
                                        relation=Relation.HEAD).order_by("id").first()
                or self.resident())

    def _last_month_proposals(self, building: Place):
        day = self.last_month.replace(day=3)
        lift = proposal_services.submit_proposal(
            actor=self.grid, community=self.community, place=building,
            title=f"{building.parent.name}{building.name}加装电梯",
            problem=f"{building.name}为{building.floors}层老旧步梯楼, 高龄老人多, 上下楼困难。",
            solution="申请老旧小区加装电梯补助, 业主按楼层分摊自筹部分, 一楼住户给予补偿。",
            category=ProposalCategory.FACILITIES, author=self._author_in(building),
            source=ProposalSource.GROUP_CHAT, source_note=f"{building.name}楼栋微信群", received_on=day)
        tree = proposal_services.submit_proposal(
            actor=self.grid, community=self.community, title="修剪遮挡采光的树木",
            problem="小区内大树枝叶过密, 低层住户采光差, 夏季蚊虫多。", solution="由专业队伍适度修剪, 保留遮阴。",
            category=ProposalCategory.ENVIRONMENT, author=self.resident(), source=ProposalSource.SUGGESTION_BOX,
            source_note="小区东门建议征集箱", received_on=day)
        duplicate = proposal_services.submit_proposal(
            actor=self.grid, community=self.community, title="老楼装电梯", place=building,
            problem="爬楼太累。", category=ProposalCategory.FACILITIES, source=ProposalSource.SUGGESTION_BOX,
            source_note=f"{building.name}单元门口意见箱", received_on=day)
        private = proposal_services.submit_proposal(
            actor=self.grid, community=self.community, title="楼上漏水影响我家",
            problem="楼上卫生间漏水到我家天花板。", category=ProposalCategory.PROPERTY, author=self.resident(),
            source=ProposalSource.MAILBOX, source_note="居民信箱", received_on=day)
        for _ in range(46):
            self._support(lift)
        for _ in range(23):
            self._support(tree)
        proposal_services.review_proposal(actor=self.secretary, proposal=lift, decision="accept",
                                          answer="提交居民恳谈日和议事会协商, 按业主双多数规则表决。")
        proposal_services.review_proposal(actor=self.secretary, proposal=tree, decision="accept",
                                          answer="由公共环境委员会牵头协商修剪方案。")
        proposal_services.review_proposal(actor=self.secretary, proposal=duplicate, decision="merge",
                                          merged_into=lift)
        proposal_services.review_proposal(
            actor=self.secretary, proposal=private, decision="not_accept",
            answer="属于相邻住户之间的私事, 已联系物业上门查看, 并由人民调解员协助协商维修。")
        return lift, tree

    def _support(self, proposal: Proposal) -> None:
        with contextlib.suppress(AlreadyDone):
            proposal_services.support_proposal(actor=None, proposal=proposal, resident=self.resident())

    def _talk_day(self, lift: Proposal, tree: Proposal):
        meeting = meeting_services.schedule_talk_day(actor=self.secretary, community=self.community,
                                                     month=self.last_month, location="社区党群服务中心一楼议事厅")
        meeting_services.add_agenda_item(actor=self.secretary, meeting=meeting, proposal=lift)
        meeting_services.add_agenda_item(actor=self.secretary, meeting=meeting, proposal=tree)
        department = Department.objects.filter(place__path__in=[p for p in _ancestors(self.community)]).first()
        if department is not None:
            meeting_services.invite(actor=self.secretary, meeting=meeting, kind=InvitationKind.DEPARTMENT,
                                    department=department)
        meeting_services.invite(actor=self.secretary, meeting=meeting, kind=InvitationKind.PEOPLES_CONGRESS_DEPUTY,
                                name="区人大代表", note="两代表一委员")
        for invitation in meeting.invitations.all():
            meeting_services.sign_in(actor=self.grid, meeting=meeting, invitation=invitation)
        for pk in self.rng.sample(self.residents, min(28, len(self.residents))):
            meeting_services.sign_in(actor=self.grid, meeting=meeting, resident=Resident.objects.get(pk=pk))
        meeting_services.start_meeting(actor=self.secretary, meeting=meeting)
        meeting_services.record_minutes(actor=self.secretary, meeting=meeting, minutes=MINUTES)
        meeting_services.close_meeting(actor=self.secretary, meeting=meeting)
        return meeting

    def _lift_story(self, lift: Proposal, building: Place, talk_day) -> None:
        council = meeting_services.create_meeting(
            actor=self.secretary, community=self.community, kind=MeetingKind.COUNCIL,
            title=f"{lift.title}议事会", location="社区党群服务中心议事厅",
            starts_at=timezone.make_aware(dt.datetime.combine(self.last_month.replace(day=20), dt.time(19))))
        meeting_services.add_agenda_item(actor=self.secretary, meeting=council, proposal=lift)
        ballot = ballot_services.create_ballot(
            actor=self.secretary, community=self.community, title=f"{lift.title}业主表决",
            question="是否同意按方案加装电梯, 并按楼层比例分摊自筹费用?", rule=BallotRule.OWNERS_DOUBLE_MAJORITY,
            matter=MatterKind.MAJOR, mode=BallotMode.SECRET, electorate=[building], proposal=lift, meeting=council)
        ballot_services.open_ballot(actor=self.secretary, ballot=ballot)
        steps = list(council.steps.order_by("order"))
        for step in steps[:4]:
            meeting_services.complete_step(actor=self.secretary, step=step)
        electors = list(BallotElector.objects.filter(ballot=ballot).order_by("area", "household_id"))
        for i, elector in enumerate(electors):
            voter = (Resident.objects.filter(household_id=elector.household_id, status=ResidentStatus.ACTIVE,
                                             relation__in=OWNER_RELATIONS).order_by("relation", "id").first())
            if voter is None or (i % 9 == 8):  # one owner in nine does not vote
                continue
            # The smallest flats say no / abstain, so the approval holds by area too (≥ 3/4 both ways).
            choice = (Choice.NO if i == 0 and len(electors) >= 4
                      else Choice.ABSTAIN if i == 1 and len(electors) >= 8 else Choice.YES)
            channel = Channel.MEETING if i % 2 else Channel.PAPER
            if channel == Channel.MEETING:
                meeting_services.sign_in(actor=self.grid, meeting=council, resident=voter)
            ballot_services.record_vote(actor=self.secretary, ballot=ballot, resident=voter, choice=choice,
                                        channel=channel)
        result = ballot_services.close_ballot(actor=self.secretary, ballot=ballot)
        for step in steps[4:6]:
            meeting_services.complete_step(actor=self.secretary, step=step)
        meeting_services.record_minutes(
            actor=self.secretary, meeting=council,
            minutes=(f"{building.name}业主表决: 应参与 {result.eligible.count} 户、专有面积 {result.eligible.area} m²; "
                     f"实际参与 {result.participating.count} 户、{result.participating.area} m²; "
                     f"同意 {result.yes.count} 户、{result.yes.area} m²。结果由系统按民法典第二百七十八条计算。"))
        meeting_services.close_meeting(actor=self.secretary, meeting=council)
        lift.refresh_from_db()
        if lift.status != "decided":  # the registry's random data did not give a majority: nothing to publish
            return
        posted = self.today - dt.timedelta(days=14)
        publicity = publicity_services.start_publicity(
            actor=self.secretary, proposal=lift, starts_on=posted, today=posted, project_function="environment",
            project_budget_fen=52_000_000,
            body=(f"{lift.title}经业主表决通过(同意户数与面积均达四分之三以上)。预算52万元, 其中政府补助30万元, "
                  "业主按楼层分摊22万元。由公共环境委员会负责实施, 请居民监督。"))
        objection = publicity_services.object_to_publicity(
            actor=self.grid, publicity=publicity, text="一楼住户担心采光和噪音, 希望明确补偿。",
            resident=self._author_in(building), today=posted + dt.timedelta(days=1))
        publicity_services.answer_objection(
            actor=self.secretary, objection=objection, uphold=False,
            answer="设计单位已出具日照分析, 采光影响不足一小时; 补偿标准已写入分摊方案并张贴于单元门口。")
        project = publicity_services.close_publicity(actor=self.secretary, publicity=publicity, today=self.today)
        project_services.start_project(actor=self.secretary, project=project)
        for title, weight in (("设计方案与审批", 1), ("施工招标", 1), ("土建施工", 3), ("电梯安装调试", 2),
                              ("竣工验收", 1)):
            project_services.add_milestone(actor=self.secretary, project=project, title=title, weight=weight)
        for milestone in project.milestones.order_by("order")[:2]:
            project_services.complete_milestone(actor=self.secretary, milestone=milestone)
        project_services.post_update(actor=self.secretary, project=project, text="设计方案已通过规划审批。")
        project_services.post_update(actor=self.secretary, project=project, text="施工单位已确定, 下周进场。")
        meeting_services.complete_step(actor=self.secretary, step=steps[6], note="公共环境委员会每周巡查施工")
        if self.ctx.users.get("resident01"):
            project_services.follow_project(actor=self.ctx.users["resident01"], project=project)

    def _tree_publicity(self, tree: Proposal, talk_day) -> None:
        proposal_services.decide_by_meeting(actor=self.secretary, proposal=tree, meeting=talk_day,
                                            note="居民恳谈日协商一致, 无需表决")
        publicity_services.start_publicity(
            actor=self.secretary, proposal=tree, starts_on=self.today - dt.timedelta(days=1),
            today=self.today - dt.timedelta(days=1),
            project_function="environment", project_budget_fen=1_800_000,
            body="经居民恳谈日协商一致: 由专业队伍按树种和长势适度修剪, 不简单一砍了之, 保留夏季遮阴。预算1.8万元。")

    # -- this month -------------------------------------------------------------------------------------

    def _this_month(self) -> None:
        for title, category, problem, solution, supports in MONTH_PROPOSALS:
            author = self.resident()
            proposal = proposal_services.submit_proposal(
                actor=None, community=self.community, title=title, problem=problem, solution=solution,
                category=category, author=author, received_on=self.today)
            for _ in range(supports):
                self._support(proposal)
        talk_day_date = meeting_services.talk_day_of(self.community, self.this_month)
        if talk_day_date >= self.today:
            meeting = meeting_services.schedule_talk_day(actor=self.secretary, community=self.community,
                                                         month=self.this_month, location="社区党群服务中心一楼议事厅")
            meeting_services.add_top_proposals(actor=self.secretary, meeting=meeting, period=self.this_month,
                                               limit=3)

    def _open_vote(self) -> None:
        demo = self.ctx.users.get("resident01")
        estate = demo.resident.household.building.parent if demo and demo.resident_id else None
        if estate is None or estate.kind != PlaceKind.ESTATE:
            return
        now = timezone.now()
        ballot = ballot_services.create_ballot(
            actor=self.secretary, community=self.community, title=f"{estate.name}停车管理方案",
            question="是否同意对小区内停车实行登记管理, 收取的费用用于道路维护?", rule=BallotRule.PER_HOUSEHOLD,
            matter=MatterKind.ORDINARY, mode=BallotMode.SECRET, electorate=[estate],
            opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=7))
        ballot_services.open_ballot(actor=self.secretary, ballot=ballot)

    # -- the pact ---------------------------------------------------------------------------------------

    def _pact(self) -> None:
        charter = charter_services.create_charter(actor=self.secretary, community=self.community,
                                                  kind=CharterKind.PACT, title=f"{self.community.name}居民公约")
        version = charter_services.draft_charter_version(actor=self.secretary, charter=charter, body=PACT_TEXT)
        ballot = ballot_services.create_ballot(
            actor=self.secretary, community=self.community, title=f"{charter.title}(第1版)表决",
            question="是否通过本居民公约?", rule=BallotRule.PER_HOUSEHOLD, electorate=[self.community],
            charter_version=version)
        ballot_services.open_ballot(actor=self.secretary, ballot=ballot)
        self._bulk_votes(ballot, share=0.62, yes=0.93)
        ballot_services.close_ballot(actor=self.secretary, ballot=ballot)
        version.refresh_from_db()
        if version.status == "adopted":
            charter_services.file_charter_version(actor=self.secretary, version=version, filed_with="东街街道办事处",
                                                  filing_ref="东街民备〔2024〕12号")

    def _bulk_votes(self, ballot, *, share: float, yes: float) -> None:
        """Paper ballots collected door to door: one per household that took part, written in bulk."""
        electors = list(BallotElector.objects.filter(ballot=ballot).order_by("id"))
        taking = [e for e in electors if self.rng.random() < share]
        voters = dict(Household.objects.filter(pk__in=[e.household_id for e in taking]).annotate(
            head=_first_adult()).values_list("pk", "head"))
        now = timezone.now()
        rows = [Participation(ballot=ballot, elector=e, cast_by_id=voters.get(e.household_id), channel=Channel.PAPER,
                              recorded_by=self.secretary, cast_at=now) for e in taking]
        Participation.objects.bulk_create(rows, batch_size=1000)
        Vote.objects.bulk_create([Vote(ballot=ballot, area=e.area, choice=Choice.YES if self.rng.random() < yes
                                       else Choice.NO) for e in taking], batch_size=1000)


def _first_adult():
    from django.db.models import Min

    return Min("residents__id", filter=Q(residents__status=ResidentStatus.ACTIVE))


def _ancestors(place: Place) -> list[str]:
    from gongzhi.core import paths

    return paths.ancestors(place.path)


PACT_TEXT = """为建设安居、友爱、和谐、欢乐、幸福的社区, 全体居民共同约定:
一、爱党爱国, 遵纪守法, 维护社区平安。
二、爱护公共环境, 垃圾分类投放, 不乱堆乱放, 不高空抛物。
三、文明养犬, 牵绳出行, 及时清理犬只粪便。
四、规范停车, 不占用消防通道, 电动车不进楼道、不飞线充电。
五、邻里和睦, 互谅互让, 有事好商量, 矛盾纠纷找调解。
六、关爱老人和儿童, 积极参加志愿服务和时间银行。
七、参与社区议事, 依法表达诉求, 共建共治共享。
本公约经居民会议表决通过, 报街道办事处备案, 自通过之日起施行。"""
