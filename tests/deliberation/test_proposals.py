"""Proposals: submission, one support per resident or household (by the database), ranking, review."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongzhi.core.errors import InvalidInput
from gongzhi.deliberation.enums import ProposalSource, ProposalStatus, SupportUnit
from gongzhi.deliberation.errors import AlreadyDone, IllegalTransition
from gongzhi.deliberation.models import ProposalEvent, Support
from gongzhi.deliberation.selectors import proposal_list
from gongzhi.deliberation.services import proposals as services
from gongzhi.registry.enums import Relation
from tests.factories.deliberation import make_proposal, make_resident_user
from tests.factories.registry import make_resident

pytestmark = pytest.mark.django_db


def test_resident_support_counts_once_per_resident(tree, secretary):
    _u, author = make_resident_user(building=tree.buildings["A1-1"])
    _u, neighbour = make_resident_user(building=tree.buildings["A1-1"])
    spouse = make_resident(neighbour.household, name="配偶", relation=Relation.SPOUSE)
    proposal = make_proposal(tree.community_a, author)

    services.support_proposal(actor=None, proposal=proposal, resident=neighbour)
    services.support_proposal(actor=None, proposal=proposal, resident=spouse)  # per resident: both count
    with pytest.raises(AlreadyDone):
        services.support_proposal(actor=None, proposal=proposal, resident=neighbour)

    assert Support.objects.filter(proposal=proposal).count() == 2


def test_household_support_counts_once_per_household_and_the_database_enforces_it(tree, secretary):
    services.set_policy(actor=secretary, community=tree.community_a, support_unit=SupportUnit.HOUSEHOLD,
                        talk_day=10, publicity_working_days=5)
    _u, neighbour = make_resident_user(building=tree.buildings["A1-1"])
    spouse = make_resident(neighbour.household, name="配偶", relation=Relation.SPOUSE)
    proposal = make_proposal(tree.community_a, neighbour)
    assert proposal.support_unit == SupportUnit.HOUSEHOLD

    services.support_proposal(actor=None, proposal=proposal, resident=neighbour)
    with pytest.raises(AlreadyDone):
        services.support_proposal(actor=None, proposal=proposal, resident=spouse)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(proposal=proposal, resident=spouse, household=spouse.household,
                               unit=SupportUnit.HOUSEHOLD)
    assert Support.objects.filter(proposal=proposal).count() == 1


def test_policy_change_does_not_change_how_existing_proposals_count(tree, secretary):
    _u, author = make_resident_user(building=tree.buildings["A1-1"])
    before = make_proposal(tree.community_a, author)
    services.set_policy(actor=secretary, community=tree.community_a, support_unit=SupportUnit.HOUSEHOLD,
                        talk_day=10, publicity_working_days=5)
    before.refresh_from_db()
    assert before.support_unit == SupportUnit.RESIDENT


def test_resident_of_another_community_cannot_support(tree):
    _u, author = make_resident_user(building=tree.buildings["A1-1"])
    _u, stranger = make_resident_user(building=tree.buildings["B1-1"])
    proposal = make_proposal(tree.community_a, author)
    with pytest.raises(InvalidInput) as exc:
        services.support_proposal(actor=None, proposal=proposal, resident=stranger)
    assert exc.value.field == "resident"
    assert Support.objects.count() == 0


def test_staff_entry_needs_its_source_and_lands_in_the_month_received(tree, secretary):
    with pytest.raises(InvalidInput) as exc:
        services.submit_proposal(actor=secretary, community=tree.community_a, title="修剪树木", problem="树太密",
                                 source=ProposalSource.SUGGESTION_BOX)
    assert exc.value.field == "source_note"
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=3)
    p = services.submit_proposal(actor=secretary, community=tree.community_a, title="修剪树木", problem="树太密",
                                 source=ProposalSource.SUGGESTION_BOX, source_note="2号楼意见箱",
                                 received_on=last_month)
    assert (p.period, p.entered_by, p.author) == (last_month.replace(day=1), secretary, None)


def test_ranking_by_support_within_the_period(tree, secretary):
    residents = [make_resident_user(building=tree.buildings["A1-1"])[1] for _ in range(3)]
    low = make_proposal(tree.community_a, residents[0], title="停车")
    high = make_proposal(tree.community_a, residents[0], title="电梯")
    closed = make_proposal(tree.community_a, residents[0], title="重复")
    for r in residents:
        services.support_proposal(actor=None, proposal=high, resident=r)
        services.support_proposal(actor=None, proposal=closed, resident=r)
    services.support_proposal(actor=None, proposal=low, resident=residents[1])
    services.review_proposal(actor=secretary, proposal=closed, decision="merge", merged_into=high)

    ranked = proposal_list(secretary, community_id=tree.community_a.pk, period=high.period, ranked=True)
    assert [(p.title, p.support_count) for p in ranked] == [("电梯", 3), ("停车", 1)]


def test_not_accepting_needs_a_reason_and_closes_support(tree, secretary):
    _u, author = make_resident_user(building=tree.buildings["A1-1"])
    proposal = make_proposal(tree.community_a, author)
    with pytest.raises(InvalidInput) as exc:
        services.review_proposal(actor=secretary, proposal=proposal, decision="not_accept")
    assert exc.value.field == "answer"
    services.review_proposal(actor=secretary, proposal=proposal, decision="not_accept", answer="属于物业职责, 已转物业")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer) == (ProposalStatus.NOT_ACCEPTED, "属于物业职责, 已转物业")
    assert list(ProposalEvent.objects.filter(proposal=proposal).values_list("action", flat=True)) == [
        "submit", "not_accept"]
    with pytest.raises(IllegalTransition):
        services.support_proposal(actor=None, proposal=proposal, resident=author)


def test_merge_needs_another_open_proposal_of_the_community(tree, secretary):
    _u, author = make_resident_user(building=tree.buildings["A1-1"])
    _u, other = make_resident_user(building=tree.buildings["B1-1"])
    a = make_proposal(tree.community_a, author)
    b = make_proposal(tree.community_b, other)
    for target in (b, a):
        with pytest.raises(InvalidInput) as exc:
            services.review_proposal(actor=secretary, proposal=a, decision="merge", merged_into=target)
        assert exc.value.field == "merged_into"
    a.refresh_from_db()
    assert a.status == ProposalStatus.SUBMITTED


def test_appeal_sent_to_deliberation_keeps_its_link_and_residents_cannot_forge_one(api, tree, secretary):
    user, _author = make_resident_user(building=tree.buildings["A1-1"])
    body = {"community_id": tree.community_a.pk, "title": "楼道灯不亮", "problem": "多次反映未解决",
            "source": "appeal", "source_note": "诉求转议事", "source_type": "appeals.appeal", "source_id": "42"}

    staff = api(secretary).post("/api/v1/deliberation/proposals", body)
    forged = api(user).post("/api/v1/deliberation/proposals", {**body, "source": "online"})
    half = api(secretary).post("/api/v1/deliberation/proposals", {**body, "source_id": ""})

    assert staff.status_code == 201
    assert (staff.json()["source_type"], staff.json()["source_id"]) == ("appeals.appeal", "42")
    assert (forged.status_code, forged.json()["field"]) == (422, "source_type")
    assert (half.status_code, half.json()["field"]) == (422, "source_id")
