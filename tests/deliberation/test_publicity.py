"""Publicity: working days across holidays, objections answered, upheld ones block the project."""

import datetime as dt

import pytest

from gongzhi.core.errors import InvalidInput
from gongzhi.deliberation import workdays
from gongzhi.deliberation.enums import ObjectionStatus, ProjectStatus, ProposalStatus, PublicityStatus
from gongzhi.deliberation.errors import IllegalTransition
from gongzhi.deliberation.models import Project
from gongzhi.deliberation.services import proposals as proposal_services
from gongzhi.deliberation.services import publicity as services
from gongzhi.deliberation.workflow import transition
from tests.factories.deliberation import make_proposal, make_resident_user

pytestmark = pytest.mark.django_db

# 2026 (State Council notice): National Day holiday 1–7 October; Saturday 10 October is a working day.
POSTED = dt.date(2026, 9, 29)  # a Tuesday


def test_five_working_days_across_national_day():
    # Day 1 Wed 30 Sep; 1–7 Oct holiday; day 2 Thu 8 Oct; day 3 Fri 9 Oct; day 4 Sat 10 Oct (adjusted
    # workday); Sunday 11 Oct off; day 5 Mon 12 Oct.
    assert workdays.add_working_days(POSTED, 5) == dt.date(2026, 10, 12)


def test_weekend_is_skipped_and_the_posting_day_does_not_count():
    assert workdays.add_working_days(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)  # Fri → Mon
    assert workdays.add_working_days(dt.date(2026, 11, 16), 5) == dt.date(2026, 11, 23)


def test_unknown_year_falls_back_to_monday_to_friday():
    assert workdays.is_known(dt.date(2031, 1, 6)) is False
    assert workdays.add_working_days(dt.date(2031, 1, 3), 1) == dt.date(2031, 1, 6)  # Fri → Mon


@pytest.fixture
def decided(tree, secretary):
    _u, author = make_resident_user(building=tree.buildings["A1-1"])
    proposal = make_proposal(tree.community_a, author)
    proposal_services.review_proposal(actor=secretary, proposal=proposal, decision="accept")
    transition(proposal, "decide", actor=secretary)
    return proposal


def _publish(secretary, proposal):
    return services.start_publicity(actor=secretary, proposal=proposal, body="经议事会表决通过, 为1号楼加装电梯",
                                    project_function="environment", project_budget_fen=45_000_000,
                                    starts_on=POSTED, today=POSTED)


def test_publicity_over_the_holiday_ends_on_the_computed_day(secretary, decided):
    pub = _publish(secretary, decided)
    decided.refresh_from_db()
    assert (pub.ends_on, pub.working_days, decided.status) == (dt.date(2026, 10, 12), 5, ProposalStatus.PUBLICITY)

    with pytest.raises(IllegalTransition, match="2026-10-12"):
        services.close_publicity(actor=secretary, publicity=pub, today=dt.date(2026, 10, 12))
    project = services.close_publicity(actor=secretary, publicity=pub, today=dt.date(2026, 10, 13))

    decided.refresh_from_db()
    assert (project.function, project.budget_fen, project.status) == ("environment", 45_000_000,
                                                                      ProjectStatus.PLANNED)
    assert decided.status == ProposalStatus.PROJECT


def test_objection_must_be_answered_before_the_project_starts(tree, secretary, decided):
    pub = _publish(secretary, decided)
    _u, objector = make_resident_user(building=tree.buildings["A1-2"])
    objection = services.object_to_publicity(actor=secretary, publicity=pub, text="一楼住户采光受影响",
                                             resident=objector, today=dt.date(2026, 10, 9))

    with pytest.raises(IllegalTransition):
        services.close_publicity(actor=secretary, publicity=pub, today=dt.date(2026, 10, 13))
    assert Project.objects.count() == 0

    services.answer_objection(actor=secretary, objection=objection, uphold=False,
                              answer="经测算采光减少不足一小时, 设计已调整")
    project = services.close_publicity(actor=secretary, publicity=pub, today=dt.date(2026, 10, 13))
    assert project.proposal_id == decided.pk


def test_upheld_objection_blocks_the_project_and_sends_the_proposal_back(secretary, decided):
    pub = _publish(secretary, decided)
    objection = services.object_to_publicity(actor=secretary, publicity=pub, text="预算未经业主确认",
                                             today=dt.date(2026, 9, 30))

    services.answer_objection(actor=secretary, objection=objection, uphold=True, answer="异议成立, 重新协商分摊方案")

    pub.refresh_from_db()
    decided.refresh_from_db()
    objection.refresh_from_db()
    assert (pub.status, objection.status, decided.status) == (PublicityStatus.BLOCKED, ObjectionStatus.UPHELD,
                                                              ProposalStatus.ACCEPTED)
    with pytest.raises(IllegalTransition):
        services.close_publicity(actor=secretary, publicity=pub, today=dt.date(2026, 10, 13))
    assert Project.objects.count() == 0


def test_objection_after_the_last_day_is_refused(secretary, decided):
    pub = _publish(secretary, decided)
    with pytest.raises(IllegalTransition):
        services.object_to_publicity(actor=secretary, publicity=pub, text="晚了", today=dt.date(2026, 10, 13))
    services.object_to_publicity(actor=secretary, publicity=pub, text="最后一天", today=dt.date(2026, 10, 12))
    assert pub.objections.count() == 1


def test_publicity_cannot_be_backdated(secretary, decided):
    with pytest.raises(InvalidInput) as exc:
        services.start_publicity(actor=secretary, proposal=decided, body="补登", project_function="environment",
                                 starts_on=POSTED, today=POSTED + dt.timedelta(days=1))
    assert exc.value.field == "starts_on"
    decided.refresh_from_db()
    assert decided.status == ProposalStatus.DECIDED


def test_only_a_decided_proposal_is_published(tree, secretary):
    _u, author = make_resident_user(building=tree.buildings["A1-1"])
    proposal = make_proposal(tree.community_a, author)
    with pytest.raises(IllegalTransition):
        _publish(secretary, proposal)


def test_daily_task_closes_only_due_publicities_without_pending_objections(secretary, decided):
    pub = _publish(secretary, decided)
    assert services.close_due_publicities(today=dt.date(2026, 10, 12)) == 0
    assert services.close_due_publicities(today=dt.date(2026, 10, 13)) == 1
    pub.refresh_from_db()
    assert pub.status == PublicityStatus.PASSED
