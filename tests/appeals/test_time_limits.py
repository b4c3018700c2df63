import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongzhi.appeals import services, workdays, workflow
from gongzhi.appeals.enums import Action, AppealStatus
from gongzhi.appeals.models import Appeal, Notification
from tests.factories.appeals import appeal_in, make_world

pytestmark = pytest.mark.django_db
S = AppealStatus
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_national_day_holidays_and_make_up_days():
    assert workdays.is_workday(dt.date(2024, 10, 1)) is False  # 国庆
    assert workdays.is_workday(dt.date(2024, 10, 12)) is True  # Saturday make-up working day (调休)
    assert workdays.is_workday(dt.date(2024, 10, 13)) is False  # Sunday
    assert workdays.is_workday(dt.date(2024, 9, 30)) is True


def test_working_days_skip_the_golden_week():
    start = at(2024, 9, 30, 16, 0)

    assert workdays.add_working_days(start, 1) == at(2024, 10, 8, 17, 30)
    assert workdays.add_working_days(start, 5) == at(2024, 10, 12, 17, 30)  # Sat 12 Oct is a workday


def test_working_hours_skip_lunch_nights_and_holidays():
    assert workdays.add_working_hours(at(2024, 9, 30, 11, 0), 2) == at(2024, 9, 30, 14, 30)
    assert workdays.add_working_hours(at(2024, 9, 30, 16, 0), 4) == at(2024, 10, 8, 11, 30)
    assert workdays.add_working_hours(at(2024, 10, 3, 20, 0), 1) == at(2024, 10, 8, 10, 0)
    assert workdays.working_hours_between(at(2024, 9, 30, 16, 0), at(2024, 10, 8, 11, 30)) == 4.0


def test_calendar_override_makes_a_holiday_and_a_workday():
    services.set_calendar_day(actor=None, date=dt.date(2024, 9, 30), is_workday=False, note="台风停工")
    services.set_calendar_day(actor=None, date=dt.date(2024, 10, 5), is_workday=True, note="应急值班")

    assert workdays.is_workday(dt.date(2024, 9, 30)) is False
    assert workdays.add_working_days(at(2024, 9, 29, 9, 0), 1) == at(2024, 10, 5, 17, 30)


def test_year_unknown_to_the_package_falls_back_to_weekdays():
    assert workdays.is_workday(dt.date(2099, 3, 2)) is True  # Monday
    assert workdays.is_workday(dt.date(2099, 3, 1)) is False  # Sunday


def test_tick_reminds_then_escalates_overdue_cases_once():
    world = make_world()
    appeal = appeal_in(world, S.ASSIGNED)
    due = appeal.due_at

    reminded = services.tick(now=due - dt.timedelta(hours=1))
    out = StringIO()
    with timezone.override("Asia/Shanghai"):
        Appeal.objects.filter(pk=appeal.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
        call_command("appeals", "tick", stdout=out)
    again = services.tick()

    assert reminded["reminded"] == 1
    assert json.loads(out.getvalue())["escalated"] == 1
    assert again["escalated"] == 0
    appeal.refresh_from_db()
    assert (appeal.status, appeal.escalated_at is not None) == (S.ASSIGNED, True)
    assert list(
        appeal.events.filter(action__in=["remind", "escalate"]).order_by("id").values_list("action", "actor")
    ) == [("remind", None), ("escalate", None)]
    assert Notification.objects.filter(user=world.street, verb="remind").count() == 1
    assert Notification.objects.filter(user=world.street, verb="escalate").count() == 1


def test_overdue_board_counts_per_handler_community_and_street(api):
    world = make_world()
    late = appeal_in(world, S.IN_PROGRESS)
    appeal_in(world, S.IN_PROGRESS)  # not late
    Appeal.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=3))
    client = api(world.street)

    by_handler = client.get("/api/v1/appeals/overdue", group="handler").json()
    by_community = client.get("/api/v1/appeals/overdue", group="community").json()
    by_street = client.get("/api/v1/appeals/overdue", group="street").json()

    assert by_handler == [
        {"key": f"department:{world.fumes_department.pk}", "label": "区生态环境局·大气环境科", "count": 1}
    ]
    assert by_community == [{"key": world.tree.community_a.pk, "label": "军门社区", "count": 1}]
    assert by_street == [{"key": world.tree.street.pk, "label": "东街街道", "count": 1}]
    assert api(world.secretary_b).get("/api/v1/appeals/overdue").json() == []


def test_late_reply_is_flagged_not_in_time():
    world = make_world()
    appeal = appeal_in(world, S.IN_PROGRESS)

    appeal = workflow.transition(
        appeal, Action.REPLY, actor=world.dept, note="已处理", now=appeal.reply_due_at + dt.timedelta(minutes=5)
    )

    assert appeal.responded_in_time is False
