import pytest

from gongzhi.appeals import services, workflow
from gongzhi.appeals.enums import Action, AppealStatus
from gongzhi.appeals.models import Appeal, Notification, OutboxMessage
from gongzhi.appeals.workflow import IllegalTransition
from gongzhi.core.errors import InvalidInput
from tests.factories.appeals import FUMES, appeal_in, make_world, submit

pytestmark = pytest.mark.django_db
S = AppealStatus


@pytest.fixture
def world():
    return make_world()


def snapshot(appeal):
    appeal.refresh_from_db()
    return ({f.name: getattr(appeal, f.attname) for f in Appeal._meta.concrete_fields}, appeal.events.count())


def test_main_path_closes_with_reply_rating_flags_and_one_event_per_move(world):
    appeal = appeal_in(world, S.CLOSED)

    assert list(appeal.events.values_list("action", flat=True)) == [
        "submit",
        "triage",
        "assign",
        "accept",
        "start",
        "reply",
        "rate",
        "close",
    ]
    assert (appeal.responded_in_time, appeal.resolved, appeal.satisfied) == (True, True, True)
    assert appeal.public_text == FUMES
    assert appeal.closed_at is not None


def test_chain_gives_each_step_its_own_deadline(world):
    appeal = appeal_in(world, S.ASSIGNED)
    accept_due, reply_due = appeal.due_at, appeal.reply_due_at
    appeal = workflow.transition(appeal, Action.ACCEPT, actor=world.street)

    assert accept_due < appeal.due_at < reply_due  # respond deadline between accept and reply deadlines
    appeal = workflow.transition(appeal, Action.START, actor=world.dept)
    assert appeal.due_at == reply_due


def test_reply_reaches_the_resident_in_app_and_through_the_outbox(world):
    appeal = appeal_in(world, S.REPLIED)
    pending = OutboxMessage.objects.filter(user=world.resident_a, template="reply", status="pending").count()

    delivered = services.tick()

    notice = Notification.objects.get(user=world.resident_a, verb="reply")
    assert notice.text == f"Your appeal #{appeal.pk} has been answered; please rate the reply."
    assert pending == 1  # written with the event, in its transaction
    assert OutboxMessage.objects.filter(user=world.resident_a, template="reply", status="sent").count() == 1
    assert delivered["sent"] == OutboxMessage.objects.filter(status="sent").count()
    assert OutboxMessage.objects.filter(status="pending").count() == 0


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.SUBMITTED, Action.ASSIGN),
        (S.TRIAGED, Action.REPLY),
        (S.REPLIED, Action.CLOSE),
        (S.CLOSED, Action.REOPEN),
        (S.CLOSED, Action.WITHDRAW),
        (S.ASSIGNED, Action.RATE),
    ],
)
def test_illegal_move_is_refused_and_changes_nothing(world, status, action):
    appeal = appeal_in(world, status) if status != S.SUBMITTED else submit(world, "随便说说")
    before = snapshot(appeal)

    with pytest.raises(IllegalTransition) as info:
        workflow.transition(appeal, action, actor=world.admin, note="x", rating="satisfied")

    assert info.value.status == 409
    assert snapshot(appeal) == before


def test_reply_without_text_is_refused_naming_the_field(world):
    appeal = appeal_in(world, S.IN_PROGRESS)
    before = snapshot(appeal)

    with pytest.raises(InvalidInput) as info:
        workflow.transition(appeal, Action.REPLY, actor=world.dept, note="  ")

    assert info.value.field == "note"
    assert snapshot(appeal) == before


def test_return_needs_a_reason_and_is_limited(world):
    appeal = appeal_in(world, S.ASSIGNED)
    with pytest.raises(InvalidInput):
        workflow.transition(appeal, Action.RETURN, actor=world.street)

    for _i in range(2):
        appeal = workflow.transition(appeal, Action.RETURN, actor=world.street, note="不属于本街道职责")
        assert appeal.status == S.TRIAGED
        appeal = workflow.transition(appeal, Action.ASSIGN, actor=world.secretary_a)

    with pytest.raises(IllegalTransition) as info:
        workflow.transition(appeal, Action.RETURN, actor=world.street, note="again")
    assert str(info.value.message) == "This case has been returned too often; escalate it to the street instead."
    assert Action.RETURN not in workflow.available_actions(appeal)


def test_reopen_only_after_unsatisfied_rating_and_only_once(world):
    appeal = appeal_in(world, S.REPLIED)
    appeal = workflow.transition(
        appeal, Action.RATE, actor=world.resident_a, rating="unsatisfied", comment="还是有油烟"
    )
    assert (appeal.satisfied, appeal.status) == (False, S.RATED)

    appeal = workflow.transition(appeal, Action.REOPEN, actor=world.resident_a, note="请再处理")
    assert (appeal.status, appeal.rating, appeal.reopen_count) == (S.IN_PROGRESS, "", 1)
    appeal = workflow.transition(appeal, Action.REPLY, actor=world.dept, note="已第二次整改")
    appeal = workflow.transition(appeal, Action.RATE, actor=world.resident_a, rating="unsatisfied")

    with pytest.raises(IllegalTransition):
        workflow.transition(appeal, Action.REOPEN, actor=world.resident_a)


def test_satisfied_case_cannot_be_reopened(world):
    appeal = appeal_in(world, S.RATED)

    with pytest.raises(IllegalTransition):
        workflow.transition(appeal, Action.REOPEN, actor=world.resident_a)


def test_merged_duplicates_get_the_masters_reply(world):
    master = appeal_in(world, S.IN_PROGRESS)
    dup = submit(world, "楼下饭店油烟太大了", user=world.resident_a)

    dup = workflow.transition(dup, Action.MERGE, actor=world.secretary_a, into=master.pk)
    workflow.transition(master, Action.REPLY, actor=world.dept, note="已整改")

    dup.refresh_from_db()
    assert (dup.status, dup.merged_into_id, dup.reply) == (S.MERGED, master.pk, "已整改")
    assert list(dup.events.values_list("action", flat=True)) == ["submit", "triage", "merge", "reply"]


def test_merge_into_itself_or_another_community_is_refused(world):
    appeal = appeal_in(world, S.TRIAGED)
    other = submit(world, FUMES, user=world.resident_b)

    with pytest.raises(InvalidInput):
        workflow.transition(appeal, Action.MERGE, actor=world.secretary_a, into=appeal.pk)
    with pytest.raises(InvalidInput):
        workflow.transition(appeal, Action.MERGE, actor=world.secretary_a, into=other.pk)
    appeal.refresh_from_db()
    assert appeal.status == S.TRIAGED


def test_escalation_happens_once_and_tells_the_street(world):
    appeal = appeal_in(world, S.TRIAGED)

    appeal = workflow.transition(appeal, Action.ESCALATE, actor=world.grid_a1, note="吹哨：多次反映无果")

    assert (appeal.status, appeal.escalated_at is not None) == (S.TRIAGED, True)
    assert Notification.objects.filter(user=world.street, verb="escalate").count() == 1
    with pytest.raises(IllegalTransition):
        workflow.transition(appeal, Action.ESCALATE, actor=world.grid_a1)


def test_withdraw_ends_the_case(world):
    appeal = appeal_in(world, S.ACCEPTED)

    appeal = workflow.transition(appeal, Action.WITHDRAW, actor=world.resident_a, note="已自行解决")

    assert (appeal.status, appeal.due_at) == (S.WITHDRAWN, None)
    assert workflow.available_actions(appeal) == []


def test_failed_delivery_is_retried_then_marked_failed(world, settings):
    settings.APPEALS_NOTIFY_CHANNELS = ["wechat"]  # an adapter that is not configured: every send fails
    appeal_in(world, S.REPLIED)
    pending = OutboxMessage.objects.filter(status="pending").count()

    for _i in range(5):
        services.tick()

    assert pending > 0
    assert OutboxMessage.objects.filter(status="failed").count() == pending
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {5}
